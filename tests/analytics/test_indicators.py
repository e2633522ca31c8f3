"""Project indicators counted by hand: persons versus places, institutions once, revoked certificates not counted,
small numbers suppressed, and a place source (as the events domain will add) joins the same counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from elearn.accounts.models import User
from elearn.analytics.services import indicators as service
from elearn.certificates.models import Certificate
from elearn.courses.models import Course, Enrolment
from elearn.extensions import db

from .helpers import build_region

SEQ = iter(range(1, 1000))


def _certificate(user_id: int, *, status: str = "valid", issued: datetime = datetime(2026, 3, 1)) -> None:
    n = next(SEQ)
    db.session.add(
        Certificate(
            number=f"T/2026/{n}",
            issuer_prefix="T",
            year=2026,
            seq=n,
            verification_code=f"code{n}",
            user_id=user_id,
            holder_name="X",
            course_title="Kurs",
            snapshot={},
            status=status,
            pdf_sha256="0" * 64,
            issued_at=issued,
        )
    )


def _values(start=date(2026, 1, 1), end=date(2026, 12, 31)) -> dict:
    return {i.key: i.shown for i in service.indicators(db.session, start, end) if i.key != "lpdi"}  # lpdi: test_local_plans


def test_persons_places_institutions_and_certificates(make_user):
    places = build_region(make_user)
    courses = list(db.session.scalars(select(Course.id).order_by(Course.id)))[:2]
    staff = {
        key: list(db.session.scalars(select(User.id).where(User.institution_id == inst.id).order_by(User.id)))
        for key, inst in places.items()
    }
    # 6 people in toruński OPS take both courses (12 places), 2 in Bydgoszcz DPS one course each (2 places)
    for uid in staff[("0415", "OPS")]:
        for course_id in courses:
            db.session.add(Enrolment(user_id=uid, course_id=course_id, enrolled_at=datetime(2026, 2, 1)))
    for uid in staff[("0461", "DPS")][:2]:
        db.session.add(Enrolment(user_id=uid, course_id=courses[0], enrolled_at=datetime(2026, 5, 1)))
    db.session.add(Enrolment(user_id=staff[("0461", "OPS")][0], course_id=courses[0], enrolled_at=datetime(2025, 5, 1)))  # before
    for uid in staff[("0415", "OPS")][:5]:
        _certificate(uid)
    _certificate(staff[("0415", "OPS")][5], status="revoked")
    db.session.flush()

    assert _values() == {"persons": 8, "institutions": "< 5", "places": 14, "raised": 5, "advisory": 0}
    assert _values(date(2026, 1, 1), date(2026, 3, 31)) == {"persons": 6, "institutions": "< 5", "places": 12, "raised": 5, "advisory": 0}
    assert _values(date(2026, 4, 1), date(2026, 12, 31)) == {
        "persons": "< 5",
        "institutions": "< 5",
        "places": "< 5",
        "raised": 0,
        "advisory": 0,
    }

    extra = staff[("0461", "OPS")][:5]
    service.PLACE_SOURCES.append(lambda *_period: list(extra))  # an attended event per person
    try:
        assert _values() == {"persons": 13, "institutions": "< 5", "places": 19, "raised": 5, "advisory": 0}
    finally:
        service.PLACE_SOURCES.pop()


def test_progress_against_targets():
    row = service.Indicator("persons", 550, 1100)
    assert row.percent == 50
    assert service.Indicator("persons", 3, 1100).percent is None
    assert service.Indicator("raised", 2000, 1045).percent == 100


def test_page_shows_indicators_to_rops_staff(client, login_as):
    login_as("issuer")
    page = client.get("/analytics/indicators?start=2026-01-01&end=2026-12-31").get_data(as_text=True)
    assert "Osoby objęte wsparciem" in page and "1100" in page
    assert client.get("/analytics/indicators?start=zle").status_code == 200


def test_cli_writes_the_indicators_and_audits(runner, tmp_path):
    from elearn.core.models import AuditEntry

    path = tmp_path / "wskazniki.csv"
    result = runner.invoke(args=["analytics", "indicators", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv", str(path)])
    assert result.exit_code == 0, result.output
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Wskaźnik;Wartość;Wartość docelowa;Od;Do"
    assert lines[1] == "Osoby objęte wsparciem;0;1100;2026-01-01;2026-12-31"
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "analytics.indicators_export"))
    backwards = runner.invoke(args=["analytics", "indicators", "--from", "2026-12-31", "--to", "2026-01-01", "--format", "csv", str(path)])
    assert backwards.exit_code != 0


def test_attended_event_places_count_as_places_and_their_holders_as_persons(make_user, institution):
    """Hand count: 6 people registered at event A (5 present, 1 never present) and 3 of them at event B (all present)
    → 8 attended places, 5 persons; a cancelled event's attendance and an event outside the period do not count."""
    from datetime import time, timedelta

    from elearn.events.services import attendance
    from elearn.events.services import registration as registering
    from tests.events.helpers import make_event

    staff = make_user("issuer")
    people = [make_user("learner") for _ in range(6)]
    day = date.today() - timedelta(days=20)
    a = make_event(capacity=10, sessions=[(day, time(9), time(12))])
    b = make_event(capacity=10, sessions=[(day + timedelta(days=1), time(9), time(12))])
    old = make_event(capacity=10, sessions=[(day - timedelta(days=400), time(9), time(12))])
    regs_a = [registering.register(db.session, a.id, p, actor=staff) for p in people]
    regs_b = [registering.register(db.session, b.id, p, actor=staff) for p in people[:3]]
    regs_old = [registering.register(db.session, old.id, p, actor=staff) for p in people]
    db.session.flush()
    attendance.set_attendance(db.session, a, {a.sessions[0].id: {r.id for r in regs_a[:5]}}, actor_id=staff.id)
    attendance.set_attendance(db.session, b, {b.sessions[0].id: {r.id for r in regs_b}}, actor_id=staff.id)
    attendance.set_attendance(db.session, old, {old.sessions[0].id: {r.id for r in regs_old}}, actor_id=staff.id)
    db.session.commit()
    period = (day - timedelta(days=1), day + timedelta(days=2))
    assert _values(*period) | {"institutions": None} == {"persons": 5, "institutions": None, "places": 8, "raised": 0, "advisory": 0}
