"""The issuer's queue and the coordinator's team matrix stay small and flat as a region's rows grow: paginated,
with the total counted, in the same number of queries for 100 and for 1 000 people."""

from __future__ import annotations

from sqlalchemy import insert, select

from elearn.accounts.models import User, UserRole
from elearn.competencies.services.framework import MODEL_DIR, current_framework, load_framework
from elearn.core.timeutil import utcnow
from elearn.courses.models import CourseVersion, Enrolment
from elearn.extensions import db
from tests.querycount import counted_queries

from .helpers import course

MAX_BYTES = 150_000


def _people(count: int, prefix: str, institution_id: int, *, completed: bool) -> None:
    """Bulk rows: learners of one institution, optionally with a completed enrolment in the animator course."""
    rows = [
        {
            "email": f"{prefix}{i}@example.org",
            "full_name": f"Osoba {prefix} {i:04d}",
            "password_hash": "!",
            "institution_id": institution_id,
        }
        for i in range(count)
    ]
    db.session.execute(insert(User), rows)
    ids = list(db.session.scalars(select(User.id).where(User.email.like(f"{prefix}%@example.org"))))
    db.session.execute(insert(UserRole), [{"user_id": i, "role": "learner"} for i in ids])
    if completed:
        found = course()
        numbers = select(CourseVersion.number).where(CourseVersion.course_id == found.id)
        version = db.session.scalar(numbers.order_by(CourseVersion.number.desc()))
        now = utcnow()
        db.session.execute(
            insert(Enrolment),
            [{"user_id": i, "course_id": found.id, "enrolled_at": now, "completed_at": now, "completed_version": version} for i in ids],
        )
    db.session.commit()


def _get(app, client, url: str) -> tuple[int, int, str]:
    client.get(url)
    with app.app_context(), counted_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements), len(response.data), response.get_data(as_text=True)


def test_issuer_queue_is_paginated_counted_and_flat(app, client, login_as, institution):
    login_as("issuer")
    _people(100, "kol", institution.id, completed=True)
    small_queries, _size, _html = _get(app, client, "/certificates/queue")
    _people(900, "fala", institution.id, completed=True)
    queries, size, html = _get(app, client, "/certificates/queue")
    assert "(1000)" in html  # the caption counts everyone waiting, not just this page
    assert size < MAX_BYTES
    assert queries == small_queries
    second = client.get("/certificates/queue?page=2").get_data(as_text=True)
    assert "Osoba" in second and 'rel="prev"' in second


def test_team_matrix_is_paginated_counted_and_flat(app, client, make_user, login, institution):
    if current_framework(db.session) is None:
        load_framework(db.session, MODEL_DIR)
        db.session.commit()
    coordinator = make_user("coordinator")
    login(coordinator)
    _people(100, "zesp", institution.id, completed=False)
    small_queries, _size, _html = _get(app, client, "/competencies/team")
    _people(900, "duzy", institution.id, completed=False)
    queries, size, html = _get(app, client, "/competencies/team")
    members = db.session.scalar(select(db.func.count()).select_from(User).where(User.institution_id == institution.id))
    assert members >= 1000
    assert size < MAX_BYTES
    assert queries == small_queries
    assert 'rel="next"' in html
