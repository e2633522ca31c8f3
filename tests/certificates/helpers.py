"""Test helpers: completed enrolments, separate committed databases for concurrency and job tests, QR decoding."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pypdfium2
import zxingcpp
from sqlalchemy import select

from elearn.accounts import services as accounts
from elearn.certificates.models import Certificate
from elearn.core.timeutil import utcnow
from elearn.courses.models import Course, CourseVersion, Enrolment
from elearn.extensions import db
from tests.helpers import BACKEND, PASSWORD, make_test_app, migrate_and_seed, postgres_url, worker

ANIMATOR = "animator-spolecznosci-lokalnej"


def course(slug: str = ANIMATOR) -> Course:
    return db.session.scalar(select(Course).where(Course.slug == slug))


def complete(user_id: int, slug: str = ANIMATOR, *, days_ago: int = 1) -> Enrolment:
    """A completed enrolment of the latest published version (what the course domain records on completion)."""
    found = course(slug)
    version = db.session.scalar(select(CourseVersion).where(CourseVersion.course_id == found.id).order_by(CourseVersion.number.desc()))
    now = utcnow()
    enrolment = Enrolment(
        user_id=user_id,
        course_id=found.id,
        enrolled_at=now - timedelta(days=days_ago + 30),
        completed_at=now - timedelta(days=days_ago),
        completed_version=version.number,
    )
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def make_graduates(count: int, *, prefix: str = "abs", slug: str = ANIMATOR) -> list[int]:
    ids = []
    for n in range(count):
        user = accounts.create_user(
            db.session,
            email=f"{prefix}{n}@example.org",
            full_name=f"Osoba Testowa{chr(97 + n % 26)}",
            password=PASSWORD,
            roles=("learner",),
            institution_id=None,
            job_title="pracownik socjalny",
        )
        complete(user.id, slug)
        ids.append(user.id)
    db.session.commit()
    return ids


@contextmanager
def separate_app(tmp_path, name: str, **overrides):
    """A committed database of its own (SQLite file, or a fresh PostgreSQL database under ELEARN_TEST_BACKEND)."""
    # One database per xdist worker: two workers must never drop each other's database mid-test.
    url = postgres_url(f"{name}_{worker()}") if BACKEND == "postgresql" else f"sqlite:///{tmp_path / (name + '.sqlite3')}"
    instance = tmp_path / f"instance-{name}"
    instance.mkdir(exist_ok=True)
    app = make_test_app(url, instance, **overrides)
    migrate_and_seed(app)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def decode_qr(pdf: bytes) -> str:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=3).to_pil()
    results = zxingcpp.read_barcodes(image)
    assert results, "no QR code found on the first page"
    return results[0].text


def issue_via_queue(client, login, issuer, user) -> Certificate:
    """The issuer issues the user's course certificate from the queue, as a person would."""
    login(issuer)
    response = client.post("/certificates/issue", data={"confirmed": "1", "selected": f"{user.id}:{course().id}"})
    assert response.status_code == 302
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == user.id))
    db.session.commit()  # end the test session's savepoint so a later rollback in the test keeps the issued row
    return certificate
