"""`make bench`: pages under load through gunicorn (wrk) against a bare-Flask floor, certificate rendering against
a minimal-ReportLab-page floor, full issuance, bulk-issuing 1 045 certificates, the latency of the platform search
(p50/p99 over the labelled Polish queries) and the list pages at 100/1 000/10 000 rows (in-process), on SQLite and (when
BENCH_DATABASE_URL or TEST_DATABASE_URL names a PostgreSQL server) on PostgreSQL.

Prints a table and rewrites the figures block of BENCHMARKS.md. Figures come from one run on this machine;
compare ratios measured in the same run, not absolute numbers across machines. Never part of `make test`.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BULK_COUNT = 1045  # the EFS+ project's "1 045 people raise their qualifications"
BENCH_SECRET = "bench-secret-key-not-for-production-use-0123456789"  # noqa: S105 - a throwaway key for the run
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "4"))
CONNECTIONS = (16, 64)
PLUMBING = "no page (/healthz)"


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
    render, floor = interleaved(
        lambda: render_certificate(replace(snapshot, verification_url=base + secrets.token_urlsafe(24))), minimal_page
    )
    results["PDF render alone, incl. QR (per s)"] = 1 / render
    results["Floor: minimal ReportLab page, same fonts (per s)"] = 1 / floor
    return results


def interleaved(fn, floor, batches: int = 9, repeat: int = 20) -> tuple[float, float]:
    """CPU seconds per call of `fn` and of its `floor`, batches of each in turn (median of `batches`): a machine whose
    speed drifts during the run moves both alike, so their ratio holds where two figures taken minutes apart would not."""
    import statistics

    fn(), floor()
    times: dict = {fn: [], floor: []}
    for _ in range(batches):
        for each in (fn, floor):
            start = time.process_time()
            for _ in range(repeat):
                each()
            times[each].append((time.process_time() - start) / repeat)
    return statistics.median(times[fn]), statistics.median(times[floor])


def minimal_page() -> bytes:
    """The floor for the certificate: one A4 page, one line in each of the certificate's embedded TTF fonts."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from elearn.certificates.pdf import FONT, FONT_BOLD

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont(FONT_BOLD, 20)
    canvas.drawString(72, 760, "ZAŚWIADCZENIE")
    canvas.setFont(FONT, 11)
    canvas.drawString(72, 730, "Zażółć Gęślą-Jaźń ukończyła szkolenie")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def fresh_app(tmp: Path, name: str, url: str | None = None):
    os.environ["ELEARN_INSTANCE_PATH"] = str(tmp / f"instance-{name}")
    from elearn import create_app

    app = create_app({
        "ELEARN_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{tmp / (name + '.sqlite3')}", "JOBS_INLINE_MODE": "sync",
        "PUBLIC_BASE_URL": "https://elearn.rops.example.pl", "MAIL_OUTBOX": str(tmp / "outbox"), "SECRET_KEY": BENCH_SECRET,
    })  # fmt: skip
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


def bench_issue(tmp: Path, url: str | None = None, label: str = "SQLite") -> dict[str, float]:
    from elearn.accounts.models import User
    from elearn.certificates import bulk, services
    from elearn.courses.models import Course
    from elearn.extensions import db

    results = {}
    app = fresh_app(tmp, f"issue-{label}", pg_database(url, "issue") if url else None)
    ids = graduates(app, 60, "one")
    with app.app_context():
        course = db.session.scalar(db.select(Course).where(Course.slug == "animator-spolecznosci-lokalnej"))
        start = time.perf_counter()
        for user_id in ids:
            services.issue_certificate(db.session, db.session.get(User, user_id), course, issued_by_id=None, email_holder=False)
            db.session.commit()
        results[f"Full issuance incl. DB, one transaction each, {label} (per s)"] = len(ids) / (time.perf_counter() - start)
        db.engine.dispose()

    app = fresh_app(tmp, f"bulk-{label}", pg_database(url, "bulk") if url else None)
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
        results[f"Bulk issue {BULK_COUNT} incl. ZIP, {label} (s)"] = elapsed
        db.engine.dispose()
    return results


LIST_SIZES = (100, 1_000, 10_000)  # workers in one institution (half of them already certified)
LIST_PAGES = {
    "issuer's queue": ("issuer", "/certificates/queue"),
    "team matrix": ("coordinator", "/competencies/team"),
    "register": ("issuer", "/certificates/register"),
}


def region(app, count: int) -> dict[str, str]:
    """`count` workers of one institution who completed a course, each with confirmed levels, half of them already
    holding a certificate (bulk inserts, no ORM per row); returns the session cookies of its coordinator and an issuer."""
    from sqlalchemy import insert, select

    from elearn.accounts import services as accounts
    from elearn.accounts.models import User
    from elearn.certificates.models import Certificate
    from elearn.competencies.models import CompetenceLevel
    from elearn.competencies.services import framework as fw
    from elearn.core.timeutil import utcnow
    from elearn.courses.models import Course
    from elearn.directory.models import Institution
    from elearn.extensions import db

    ids = graduates(app, count, "region")
    with app.app_context():
        institution = db.session.scalar(select(Institution).order_by(Institution.id).limit(1))
        db.session.execute(db.update(User).where(User.id.in_(ids)).values(institution_id=institution.id))
        framework = fw.current_framework(db.session)
        codes = sorted(c.code for c in framework.competences)[:12]
        now = utcnow()
        db.session.execute(insert(CompetenceLevel), [
            {"user_id": uid, "code": code, "level": 1 + (uid + n) % 3, "updated_at": now}
            for uid in ids for n, code in enumerate(codes) if (uid + n) % 4
        ])  # fmt: skip
        course = db.session.scalar(select(Course).where(Course.slug == "animator-spolecznosci-lokalnej"))
        snapshot = sample_snapshot().to_json()
        db.session.execute(insert(Certificate), [
            {"number": f"BENCH/2026/{seq:06d}", "issuer_prefix": "BENCH", "year": 2026, "seq": seq, "verification_code": f"bench{seq}",
             "user_id": uid, "course_id": course.id, "holder_name": f"Uczestnik Szkolenia {seq:04d}", "course_title": course.title,
             "snapshot": snapshot, "pdf_sha256": "0" * 64, "issued_at": now}
            for seq, uid in enumerate(ids[: count // 2], start=1)
        ])  # fmt: skip
        cookies = {}
        for role in ("coordinator", "issuer"):
            user = accounts.create_user(db.session, email=f"{role}@example.org", full_name=f"Bench {role}", password=os.urandom(12).hex(),
                                        roles=(role,), institution_id=institution.id, job_title="", confirmed=True)  # fmt: skip
            db.session.commit()
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
            cookies[role] = client.get_cookie("session").value
        return cookies


def bench_lists(tmp: Path, sizes=LIST_SIZES) -> dict[str, float]:
    """The list pages at 100, 1 000 and 10 000 workers, in-process: median of 5 GETs (after one warm-up), ms and KB."""
    import statistics

    from elearn.extensions import db

    results = {}
    for count in sizes:
        app = fresh_app(tmp, f"lists-{count}")
        cookies = region(app, count)
        for page, (role, url) in LIST_PAGES.items():
            client = app.test_client()
            client.set_cookie("session", cookies[role])
            assert client.get(url).status_code == 200, (page, count)
            times, size = [], 0
            for _ in range(5):
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
                size = len(response.data)
            results[f"{page}, {count:,} workers (ms)"] = statistics.median(times) * 1000
            results[f"{page}, {count:,} workers (KB)"] = size / 1024
        with app.app_context():
            db.engine.dispose()
    return results


def list_notes(results: dict[str, float]) -> list[str]:
    """Issue 16's target for list pages: under 100 ms at 1 000 rows, and flat as rows grow (10 000 against 100)."""
    notes = []
    for page in LIST_PAGES:
        at = {count: results.get(f"{page}, {count:,} workers (ms)") for count in LIST_SIZES}
        if at.get(1_000) is None:
            continue
        verdict = "met" if at[1_000] < 100 else "NOT met"
        growth = f", ×{at[10_000] / at[100]:.1f} from 100 to 10 000 rows" if at.get(10_000) and at.get(100) else ""
        notes.append(f"{page} at 1 000 workers: {at[1_000]:.0f} ms (target < 100 ms): {verdict}{growth}")
    return notes


def pg_database(base: str, name: str) -> str:
    """Create (or recreate) the bench's own PostgreSQL database next to `base` and return its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    database = f"elearn_bench_{name}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def page_fixture(app) -> tuple[str, dict[str, str]]:
    """A learner enrolled in a shipped course with a lesson done: their session cookie and the pages to load."""
    from sqlalchemy import select

    from elearn.accounts import services as accounts
    from elearn.courses.models import Course
    from elearn.courses.services import learning
    from elearn.extensions import db

    with app.app_context():
        user = accounts.create_user(db.session, email="czytelnik@example.org", full_name="Anna Czytelniczka", password=os.urandom(12).hex(),
                                    roles=("learner",), institution_id=None, job_title="pracownik socjalny", confirmed=True)  # fmt: skip
        course = db.session.scalar(select(Course).where(Course.slug == "wprowadzenie-do-osl"))  # no prerequisites
        _course, version = learning.published_course(db.session, course.slug)
        learning.enrol(db.session, user.id, course, version)
        outline = learning.version_outline(db.session, version)
        first, second = outline[0].lessons[0], outline[0].lessons[1]
        learning.mark_lesson_done(db.session, user.id, course, version, first.key)
        db.session.commit()
        session_id = user.get_id()
        slug = course.slug
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    # One page first, as a browser would load one before the next: the session then holds its CSRF token, so the
    # replayed cookie is the steady state (otherwise every request would create a token and send a new cookie).
    client.get(f"/courses/{slug}")
    cookie = client.get_cookie("session").value
    pages = {
        # The same learner's cookie on a view that renders nothing: session, user loader, limiter, security headers.
        # No page can be faster than this, so it is the ceiling the pages' ratios are read against.
        PLUMBING: "/healthz",
        "lesson page": f"/courses/{slug}/lessons/{second.key}",
        "course page": f"/courses/{slug}",
        "dashboard": "/dashboard",
        "profile": "/competencies/profile",
    }
    return cookie, pages


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(target: str, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    """gunicorn with the repository's gunicorn.conf.py, 2 workers × 1 thread, on loopback."""
    port = free_port()
    full_env = {**os.environ, **env, "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "1", "GUNICORN_BIND": f"127.0.0.1:{port}"}
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), target]
    process = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn {target} did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


WRK_RE = {
    "rps": re.compile(r"Requests/sec:\s+([\d.]+)"),
    "p50": re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)\b", re.M),
    "p99": re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", re.M),
    "non2xx": re.compile(r"Non-2xx or 3xx responses:\s+(\d+)"),
}


def wrk(url: str, connections: int, cookie: str | None = None) -> dict[str, float]:
    """requests/s, p50 and p99 in ms from one bounded wrk run (2 threads)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{WRK_SECONDS}s", "--latency", "--timeout", "5s"]
    if cookie:
        command += ["-H", f"Cookie: session={cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=WRK_SECONDS + 30, check=True).stdout
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    result = {"rps": float(WRK_RE["rps"].search(output).group(1))}
    for key in ("p50", "p99"):
        value, unit = WRK_RE[key].search(output).groups()
        result[key] = float(value) * scale[unit]
    bad = WRK_RE["non2xx"].search(output)
    result["errors"] = float(bad.group(1)) if bad else 0.0
    return result


def warm_up(url: str, cookie: str | None = None) -> None:
    """One second of load first: workers import lazily, compile templates and fill the outline cache."""
    command = ["wrk", "-t1", "-c4", "-d1s", *(["-H", f"Cookie: session={cookie}"] if cookie else []), url]
    subprocess.run(command, capture_output=True, timeout=30, check=False)


def bench_pages(tmp: Path, url: str | None, label: str, hello: str) -> dict[tuple[str, str, int], dict[str, float]]:
    """Each page at 16 and 64 connections through gunicorn, as one logged-in learner, each figure right after a
    figure of the hello floor (`hello` is its URL) at the same connection count: the ratio compares the two."""
    name = f"pages-{label}"
    database = pg_database(url, "pages") if url else f"sqlite:///{tmp / (name + '.sqlite3')}"
    app = fresh_app(tmp, name, database)
    cookie, pages = page_fixture(app)
    with app.app_context():
        from elearn.extensions import db

        db.engine.dispose()
    env = {
        "ELEARN_ENV": "production", "SECRET_KEY": BENCH_SECRET, "DATABASE_URL": database, "PUBLIC_BASE_URL": "https://elearn.rops.example.pl",
        "ELEARN_INSTANCE_PATH": str(tmp / f"instance-{name}"), "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    results = {}
    process, port = start_gunicorn("wsgi:app", env)
    try:
        for page, path in pages.items():
            check = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-b", f"session={cookie}", f"http://127.0.0.1:{port}{path}"],
                                   capture_output=True, text=True, timeout=30)  # fmt: skip
            if check.stdout != "200":
                print(f"  {page} {path}: HTTP {check.stdout}, skipped")
                continue
            warm_up(f"http://127.0.0.1:{port}{path}", cookie)
            for connections in CONNECTIONS:
                floor = wrk(hello, connections)
                results[(label, page, connections)] = {**wrk(f"http://127.0.0.1:{port}{path}", connections, cookie), "hello": floor["rps"]}
    finally:
        stop(process)
    return results


@contextlib.contextmanager
def hello_server():
    """The bare-Flask floor under the same gunicorn settings, kept up while the pages are measured beside it."""
    process, port = start_gunicorn("bench.hello:app", {"PYTHONPATH": str(ROOT)})
    try:
        warm_up(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop(process)


def machine() -> str:
    import reportlab
    import sqlalchemy

    try:
        import _rl_accel  # noqa: F401 - presence check

        accel = "rl_accel present"
    except ImportError:
        accel = "rl_accel absent"
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0].strip()
    load = os.getloadavg()
    return (
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {platform.machine()}, {os.cpu_count()} CPU(s), load average at start "
        f"{load[0]:.1f}; Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, ReportLab {reportlab.Version} "
        f"({accel}); {wrk_version or 'wrk'}; gunicorn.conf.py with 2 workers × 1 thread; wrk {WRK_SECONDS} s per figure."
    )


def write_markdown(header: str, results: dict[str, float], pages: dict, notes: list[str]) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = ["<!-- figures:start (written by bench/run.py) -->", f"Measured {header}", ""]
    if pages:
        lines += [
            "| backend | page | connections | requests/s | hello just before, requests/s | ratio to hello | p50 ms | p99 ms | non-2xx |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for key, figures in pages.items():
            label, page, connections = key
            hello = floor_of(pages, key)
            ratio = f"{figures['rps'] / hello:.2f}" if hello else "–"
            lines.append(
                f"| {label} | {page} | {connections} | {figures['rps']:,.0f} | {hello:,.0f} | {ratio} | {figures['p50']:.1f} "
                f"| {figures['p99']:.1f} | {figures['errors']:.0f} |"
            )
        lines.append("")
    lines += ["| measurement | value |", "|---|---:|", *[f"| {name} | {value:,.1f} |" for name, value in results.items()], ""]
    lines += ["Targets (issue 16) beside this run:", "", *[f"- {note}" for note in notes]]
    lines.append("<!-- figures:end -->")
    block = "\n".join(lines)
    if "<!-- figures:start" in text:
        text = re.sub(r"<!-- figures:start.*?<!-- figures:end -->", lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def floor_of(pages: dict, key: tuple[str, str, int]) -> float:
    """The hello figure a page's ratio is read against: the one measured just before it (the floor's own rows: itself)."""
    return pages[key].get("hello") or pages.get(("-", "hello (floor)", key[2]), {}).get("rps", 0.0)


def target_notes(results: dict[str, float], pages: dict) -> list[str]:
    notes = []
    for label in ("SQLite", "PostgreSQL"):
        for page in ("lesson page", "course page", "dashboard", "profile"):
            figures = pages.get((label, page, 64))
            if not (figures and floor_of(pages, (label, page, 64))):
                continue
            ratio = figures["rps"] / floor_of(pages, (label, page, 64))
            verdict = "met" if ratio >= 0.35 and figures["p99"] < 50 else "NOT met"
            notes.append(
                f"{page}, {label}, 64 connections: {ratio:.2f} of hello (target ≥ 0.35), "
                f"p99 {figures['p99']:.0f} ms (target < 50 ms): {verdict}"
            )
        plumbing = pages.get((label, PLUMBING, 64))
        if plumbing and floor_of(pages, (label, PLUMBING, 64)):
            notes.append(
                f"an elearn GET that renders nothing, same learner, {label}, 64 connections: "
                f"{plumbing['rps'] / floor_of(pages, (label, PLUMBING, 64)):.2f} "
                f"of hello, p99 {plumbing['p99']:.0f} ms — the ceiling for every page under these settings"
            )
    render = results.get("PDF render alone, incl. QR (per s)")
    floor = results.get("Floor: minimal ReportLab page, same fonts (per s)")
    if render and floor:
        ratio = render / floor
        notes.append(f"certificate render: {ratio:.2f} of the minimal page (target ≥ 0.5): {'met' if ratio >= 0.5 else 'NOT met'}")
    for name, value in results.items():
        if name.startswith("Bulk issue"):
            notes.append(f"{name.replace(' (s)', '')}: {value:.1f} s (target < 10 s): {'met' if value < 10 else 'NOT met'}")
    return notes


def main() -> None:
    results: dict[str, float] = {}
    pages: dict = {}
    started = time.perf_counter()
    header = machine()
    pg = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    backends = [(None, "SQLite")] + ([(pg, "PostgreSQL")] if pg else [])
    results.update(bench_render())
    with tempfile.TemporaryDirectory() as tmp:
        if shutil.which("wrk"):
            with hello_server() as hello:
                pages.update({("-", "hello (floor)", c): wrk(hello, c) for c in CONNECTIONS})
                for url, label in backends:
                    pages.update(bench_pages(Path(tmp), url, label, hello))
        else:
            print("wrk is not installed (apt-get install wrk): page figures skipped")
        for url, label in backends:
            results.update(bench_issue(Path(tmp), url, label))
        results.update(bench_search(Path(tmp)))
        results.update(bench_lists(Path(tmp)))
        from bench.analytics import bench_analytics  # the analytics step: synthetic region, heatmap, gaps, indicators

        for url, label in backends:
            results.update(bench_analytics(Path(tmp), url, label))
    for key, figures in pages.items():
        label, page, connections = key
        print(
            f"{label:<10} {page:<18} c={connections:<3} {figures['rps']:>8,.0f} req/s  "
            f"{figures['rps'] / floor_of(pages, key):5.2f} of hello  p50 {figures['p50']:6.1f} ms  p99 {figures['p99']:7.1f} ms"
        )
    width = max(len(name) for name in results)
    for name, value in results.items():
        print(f"{name:<{width}}  {value:,.1f}")
    from bench.analytics import notes as analytics_notes

    notes = target_notes(results, pages) + list_notes(results) + analytics_notes(results)
    print("\n".join(notes))
    print(f"(bench took {time.perf_counter() - started:.0f} s)")
    write_markdown(header, results, pages, notes)


if __name__ == "__main__":
    main()
