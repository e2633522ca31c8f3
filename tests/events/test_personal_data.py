"""RODO: a person's events are in their data export; erasure keeps counted places and drops the calendar feed."""

from __future__ import annotations

import json

from sqlalchemy import select

from elearn.events.models import REGISTERED, CalendarFeed, Registration
from elearn.extensions import db
from tests.conftest import PASSWORD

from .helpers import make_event


def test_export_lists_events_and_erasure_keeps_places_only(client, make_user, login):
    held, full = make_event(title="Szkolenie z RODO"), make_event(title="Pełne szkolenie", capacity=1)
    login(make_user("learner"))
    client.post(f"/events/{full.id}/register", data={})
    user = login(make_user("learner"))
    client.post(f"/events/{held.id}/register", data={})
    client.post(f"/events/{full.id}/register", data={})  # waiting list
    client.post("/events/mine", data={"what": "renew"})
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert [(e["event"], e["status"]) for e in data["training_events"]] == [
        ("Szkolenie z RODO", "registered"),
        ("Pełne szkolenie", "waitlisted"),
    ]
    assert data["calendar_feed"] is True
    client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    rows = db.session.scalars(select(Registration).where(Registration.user_id == user.id)).all()
    assert [(r.event_id, r.status) for r in rows] == [(held.id, REGISTERED)]
    assert db.session.get(CalendarFeed, user.id) is None
