"""Attendance per session, hours attended and completion (at least the event's share of its hours)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...core.audit import audit
from ..errors import EventError
from ..models import Attendance, Event, Registration
from .registration import participants


@dataclass(frozen=True)
class Outcome:
    registration: Registration
    minutes: int
    completed: bool

    @property
    def clock_hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def academic_hours(self) -> float:
        return round(self.minutes / 45, 2)


def set_attendance(session: Session, event: Event, present: dict[int, set[int]], *, actor_id: int) -> int:
    """Replace the attendance of the given sessions: present = {session_id: {registration_id, …}}; returns rows written."""
    session_ids = {s.id for s in event.sessions}
    holders = {r.id for r in participants(session, event.id)}
    if not set(present) <= session_ids:
        raise EventError(_l("That session does not belong to this event."))
    written = 0
    for session_id, registration_ids in present.items():
        if not registration_ids <= holders:
            raise EventError(_l("Only registered participants can be marked present."))
        session.execute(delete(Attendance).where(Attendance.session_id == session_id, Attendance.registration_id.in_(holders)))
        for registration_id in sorted(registration_ids):
            session.add(Attendance(session_id=session_id, registration_id=registration_id, marked_by_id=actor_id))
            written += 1
    session.flush()
    session.expire_all()
    audit(session, "events.attendance", actor_id=actor_id, target=event, sessions=sorted(present), present=written)
    return written


def present_map(session: Session, event: Event) -> set[tuple[int, int]]:
    """{(registration_id, session_id)} of everyone marked present."""
    session_ids = [s.id for s in event.sessions]
    if not session_ids:
        return set()
    rows = session.execute(select(Attendance.registration_id, Attendance.session_id).where(Attendance.session_id.in_(session_ids)))
    return {(row.registration_id, row.session_id) for row in rows}


def outcomes(session: Session, event: Event) -> list[Outcome]:
    """Hours attended by each participant and whether they completed (≥ completion_percent of the event's minutes)."""
    minutes_of = {s.id: s.minutes for s in event.sessions}
    total = sum(minutes_of.values())
    present = present_map(session, event)
    result = []
    for registration in participants(session, event.id):
        minutes = sum(m for sid, m in minutes_of.items() if (registration.id, sid) in present)
        completed = total > 0 and minutes * 100 >= total * event.completion_percent
        result.append(Outcome(registration, minutes, completed))
    return result


def outcome_of(session: Session, event: Event, user_id: int) -> Outcome | None:
    return next((o for o in outcomes(session, event) if o.registration.user_id == user_id), None)
