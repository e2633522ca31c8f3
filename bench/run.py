"""`make bench`: certificates per second (PDF alone, QR alone, full issuance with the database), the time to
bulk-issue 1 045 certificates on a fresh SQLite database, the learner hot path (GET a lesson page) and the latency of
the platform search (p50/p99 over the labelled Polish queries).

Prints a table and rewrites the figures block of BENCHMARKS.md. Figures come from one run on this machine;
compare ratios measured in the same run, not absolute numbers across machines.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BULK_COUNT = 1045  # the EFS+ project's "1 045 people raise their qualifications"


def timed(fn, repeat: int) -> float:
    """Seconds per call (best of three batches, to keep noise from other processes out)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best


def sample_snapshot():
    from elearn.certificates.snapshot import AttainedCompetence, CertificateSnapshot, Topic

    return CertificateSnapshot(
        holder_name="Zażółć Gęślą-Jaźń", course_title="Animator społeczności lokalnej", course_version=1,
        course_slug="animator-spolecznosci-lokalnej", hours=20, period_from=date(2026, 1, 5), period_to=date(2026, 2, 20),
        organiser="Regionalny Ośrodek Polityki Społecznej w Toruniu", issuer_name="Regionalny Ośrodek Polityki Społecznej w Toruniu",
        issuer_address=("ul. Słowackiego 114", "87-100 Toruń"), signatory_name="Katarzyna Zielińska", signatory_function="Dyrektor",
        place_of_issue="Toruń", issue_date=date(2026, 3, 1), number="ROPS-KP/2026/000001",
        verification_url="https://elearn.rops.example.pl/verify/WEpqUu2nt0Ym51HMt1NHGJrIuGXviH_4",
        topics=tuple(Topic(f"Moduł {i}: wejście w społeczność i budowanie relacji", 4) for i in range(5)),
        competences=tuple(AttainedCompetence(f"ANI.1.{i}", "Diagnoza partycypacyjna potrzeb i zasobów", 1, "podstawowy") for i in range(8)),
    )  # fmt: skip


def bench_render() -> dict[str, float]:
    import secrets

    import segno

    from elearn.certificates.pdf import register_fonts, render_certificate
    from elearn.certificates.qr import qr_runs

    register_fonts()
    snapshot = sample_snapshot()
    base = "https://elearn.rops.example.pl/verify/"
    results = {}
    results["QR encode, fixed mask (per s)"] = 1 / timed(lambda: qr_runs.__wrapped__(base + secrets.token_urlsafe(24)), 200)
    default_qr = lambda: segno.make_qr(base + secrets.token_urlsafe(24), error="m")  # noqa: E731
    results["QR encode, segno default mask search (per s)"] = 1 / timed(default_qr, 200)
    results["PDF render alone, incl. QR (per s)"] = 1 / timed(
        lambda: render_certificate(replace(snapshot, verification_url=base + secrets.token_urlsafe(24))), 30
    )
    return results


def fresh_app(tmp: Path, name: str):
    os.environ["ELEARN_INSTANCE_PATH"] = str(tmp / f"instance-{name}")
    from elearn import create_app

    app = create_app({
        "ELEARN_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / (name + '.sqlite3')}", "JOBS_INLINE_MODE": "sync",
        "PUBLIC_BASE_URL": "https://elearn.rops.example.pl", "MAIL_OUTBOX": str(tmp / "outbox"),
    })  # fmt: skip
    import contextlib
    import io

    from flask_migrate import upgrade

    from elearn.extensions import db
    from elearn.seed import load_reference_data

    with app.app_context(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        upgrade()
        load_reference_data()
        db.session.commit()
    return app


def graduates(app, count: int, prefix: str) -> list[int]:
    from sqlalchemy import insert, select

    from elearn.accounts.models import User, UserRole
    from elearn.core.timeutil import utcnow
    from elearn.courses.models import Course, CourseVersion, Enrolment
    from elearn.extensions import db

    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "animator-spolecznosci-lokalnej"))
        version = db.session.scalar(select(CourseVersion).where(CourseVersion.course_id == course.id))
        now = utcnow()
        rows = [
            {"email": f"{prefix}{i}@example.org", "full_name": f"Uczestnik Szkolenia {i:04d}", "password_hash": "!bench"}
            for i in range(count)
        ]
        db.session.execute(insert(User), rows)
        ids = list(db.session.scalars(select(User.id).where(User.email.like(f"{prefix}%@example.org")).order_by(User.id)))
        db.session.execute(insert(UserRole), [{"user_id": i, "role": "learner"} for i in ids])
        db.session.execute(insert(Enrolment), [
            {"user_id": i, "course_id": course.id, "enrolled_at": now, "completed_at": now, "completed_version": version.number}
            for i in ids
        ])  # fmt: skip
        db.session.commit()
        return ids


def bench_issue(tmp: Path) -> dict[str, float]:
    from elearn.accounts.models import User
    from elearn.certificates import bulk, services
    from elearn.courses.models import Course
    from elearn.extensions import db

    results = {}
    app = fresh_app(tmp, "issue")
    ids = graduates(app, 60, "one")
    with app.app_context():
        course = db.session.scalar(db.select(Course).where(Course.slug == "animator-spolecznosci-lokalnej"))
        start = time.perf_counter()
        for user_id in ids:
            services.issue_certificate(db.session, db.session.get(User, user_id), course, issued_by_id=None)
            db.session.commit()
        results["Full issuance incl. DB, one transaction each (per s)"] = len(ids) / (time.perf_counter() - start)

    app = fresh_app(tmp, "bulk")
    ids = graduates(app, BULK_COUNT, "bulk")
    with app.app_context():
        course = db.session.scalar(db.select(Course).where(Course.slug == "animator-spolecznosci-lokalnej"))
        job = bulk.create_job(db.session, course, user_ids=ids, period_from=None, period_to=None, send_email=False, requested_by_id=None)
        db.session.commit()
        start = time.perf_counter()
        bulk.run_bulk_job(job.id)
        elapsed = time.perf_counter() - start
        job = db.session.get(bulk.BulkJob, job.id)
        assert (job.state, job.done) == ("finished", BULK_COUNT), (job.state, job.done, job.error)
        results[f"Bulk issue {BULK_COUNT} inline incl. ZIP (s)"] = elapsed
    return results


def bench_lesson(tmp: Path) -> dict[str, float]:
    from sqlalchemy import select

    from elearn.accounts import services as accounts
    from elearn.courses.models import Course, Lesson
    from elearn.extensions import db

    app = fresh_app(tmp, "lesson")
    with app.app_context():
        user = accounts.create_user(db.session, email="czytelnik@example.org", full_name="Anna Czytelniczka", password=os.urandom(12).hex(),
                                    roles=("learner",), institution_id=None, job_title="pracownik socjalny")  # fmt: skip
        db.session.commit()
        user_id = user.id
        slug = "wprowadzenie-do-osl"
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id, Lesson.version_id.is_not(None)).order_by(Lesson.id))
        lesson_key = lesson.key
    rules = [r.rule for r in app.url_map.iter_rules() if "lesson" in r.rule.lower() and "<" in r.rule and r.methods and "GET" in r.methods]
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
    client.post(f"/courses/{slug}/enrol")
    url = None
    for rule in rules:
        candidate = re.sub(r"<(?:\w+:)?slug>", slug, rule)
        candidate = re.sub(r"<(?:\w+:)?(?:lesson_key|key|lesson)>", lesson_key, candidate)
        if "<" not in candidate and client.get(candidate).status_code == 200:
            url = candidate
            break
    if url is None:
        return {}
    return {"Learner hot path: GET a lesson page, test client (requests/s)": 1 / timed(lambda: client.get(url), 100)}


def bench_search(tmp: Path) -> dict[str, float]:
    """Latency of the platform search over the shipped content: every query of tests/search/queries.yml, as a
    learner, through the service (parse, match, rank, permissions, highlighting); p50 and p99 in milliseconds."""
    from elearn.accounts import services as accounts
    from elearn.core import search
    from elearn.extensions import db
    from tests.search.evaluation import load_queries

    app = fresh_app(tmp, "search")
    queries = [item["query"] for item in load_queries()]
    with app.app_context():
        user = accounts.create_user(db.session, email="szukajaca@example.org", full_name="Ewa Szukająca", password=os.urandom(12).hex(),
                                    roles=("learner",), institution_id=None, job_title="pracownik socjalny")  # fmt: skip
        db.session.commit()
        started = time.perf_counter()
        search.reindex(db.session)
        reindex = time.perf_counter() - started
        db.session.rollback()
        for query in queries:  # warm the analyser's caches once, as a running server has them
            search.search(db.session, user, query)
        samples = []
        for _ in range(5):
            for query in queries:
                started = time.perf_counter()
                search.search(db.session, user, query)
                samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        f"Search, {len(queries)} Polish queries x5: p50 (ms)": samples[len(samples) // 2],
        f"Search, {len(queries)} Polish queries x5: p99 (ms)": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
        "Search: reindex all shipped content (s)": reindex,
    }


def write_markdown(results: dict[str, float]) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = [
        "<!-- figures:start (written by bench/run.py) -->",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s), SQLite; one run.",
        "",
        "| measurement | value |",
        "|---|---:|",
        *[f"| {name} | {value:,.1f} |" for name, value in results.items()],
    ]
    pdf = results.get("PDF render alone, incl. QR (per s)")
    full = results.get("Full issuance incl. DB, one transaction each (per s)")
    qr_fixed = results.get("QR encode, fixed mask (per s)")
    qr_default = results.get("QR encode, segno default mask search (per s)")
    if pdf and full and qr_fixed and qr_default:
        lines += [
            "",
            f"Ratios in this run: full issuance runs at {full / pdf:.0%} of the bare PDF rate (the rest is the snapshot queries, "
            f"the locked sequence row and the commit); the fixed QR mask encodes {qr_fixed / qr_default:.1f}× faster than segno's "
            "mask search.",
        ]
    lines.append("<!-- figures:end -->")
    block = "\n".join(lines)
    if "<!-- figures:start" in text:
        text = re.sub(r"<!-- figures:start.*?<!-- figures:end -->", block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    results: dict[str, float] = {}
    started = time.perf_counter()
    results.update(bench_render())
    with tempfile.TemporaryDirectory() as tmp:
        results.update(bench_issue(Path(tmp)))
        results.update(bench_lesson(Path(tmp)))
        results.update(bench_search(Path(tmp)))
    width = max(len(name) for name in results)
    print(f"{'measurement':<{width}}  value")
    for name, value in results.items():
        print(f"{name:<{width}}  {value:,.1f}")
    print(f"(bench took {time.perf_counter() - started:.0f} s)")
    write_markdown(results)


if __name__ == "__main__":
    main()
