"""Building events for tests: a two-day workshop by default, registration open now."""

from __future__ import annotations

from datetime import date, time, timedelta

from elearn.core.timeutil import utcnow
from elearn.events.services import events as scheduling
from elearn.extensions import db


def make_event(*, capacity: int = 10, days_ahead: int = 14, sessions=None, trainer_ids=(), actor_id: int | None = None, **data):
    """Create and commit an event; sessions are (date, start, end) in Warsaw time."""
    start_day = date.today() + timedelta(days=days_ahead)
    sessions = sessions or [(start_day, time(9, 0), time(15, 0)), (start_day + timedelta(days=1), time(9, 0), time(13, 0))]
    now = utcnow()
    values = {
        "title": "Warsztat: praca z rodziną",
        "type": "warsztat",
        "description": "Opis **warsztatu**.",
        "programme": "1. Wprowadzenie\n2. Ćwiczenia",
        "place_name": "Sala konferencyjna ROPS",
        "street": "ul. Szosa Chełmińska 30/32",
        "postal_code": "87-100",
        "city": "Toruń",
        "capacity": capacity,
        "registration_opens_at": now - timedelta(days=1),
        "registration_closes_at": now + timedelta(days=days_ahead - 1),
        "cancellation_deadline": now + timedelta(days=days_ahead - 3),
        "completion_percent": 80,
        "target_roles": ["animator"],
        **data,
    }
    event = scheduling.create_event(
        db.session, values, [scheduling.SessionTimes(*s) for s in sessions], list(trainer_ids), actor_id=actor_id
    )
    db.session.commit()
    return event
