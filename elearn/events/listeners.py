"""Signal receivers: the events domain's part of RODO export and erasure.

Erasure keeps registrations and attendance (training places are counted for EU indicators and the attendance list
is a project record), now tied to an anonymised account; the calendar feed is removed, and so is the waiting-list
or cancelled entry that counts for nothing. Evaluation answers were never linked to the person."""

from __future__ import annotations

from sqlalchemy import delete, select

from .models import REGISTERED, Attendance, CalendarFeed, Event, Registration


def collect(user, **_kwargs) -> dict:
    from ..extensions import db

    rows = db.session.execute(
        select(Registration, Event)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id)
        .order_by(Event.starts_at, Registration.id)  # a stable order when events start together
    ).all()
    attended = set(
        db.session.scalars(select(Attendance.session_id).where(Attendance.registration_id.in_([r.Registration.id for r in rows])))
    )
    return {
        "training_events": [
            {
                "event": row.Event.title,
                "starts_at": row.Event.starts_at.isoformat() + "Z" if row.Event.starts_at else None,
                "status": row.Registration.status,
                "registered_at": row.Registration.created_at.isoformat() + "Z",
                "sessions_attended": [s.starts_at.isoformat() + "Z" for s in row.Event.sessions if s.id in attended],
            }
            for row in rows
        ],
        "calendar_feed": db.session.get(CalendarFeed, user.id) is not None,
    }


def erase(user, session, **_kwargs) -> None:
    session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    for registration in session.scalars(select(Registration).where(Registration.user_id == user.id, Registration.status != REGISTERED)):
        session.delete(registration)
    session.flush()
