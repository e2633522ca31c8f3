"""What the events domain tells people, through the core notification service."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.formatting import date_param
from ...core.notifications import notify, path_for
from .. import notifications as kinds
from ..models import REGISTERED, WAITLISTED, Event, Registration


def event_params(event: Event) -> dict:
    starts = date_param(event.starts_at) if event.starts_at else "…"  # formatted in the reader's language
    return {"title": event.title, "starts": starts, "place": event.place_label or "online", "event_id": event.id}


def tell(session: Session, registration: Registration, kind: str) -> None:
    event = registration.event
    notify(session, registration.user_id, kind, event_params(event), url=path_for("events.detail", event_id=event.id))


def tell_participants(session: Session, event: Event, what: str) -> None:
    """Tell everyone registered or waiting that the event changed or was cancelled."""
    kind = kinds.CHANGED if what == "changed" else kinds.CANCELLED
    user_ids = session.scalars(
        select(Registration.user_id).where(Registration.event_id == event.id, Registration.status.in_((REGISTERED, WAITLISTED)))
    )
    for user_id in user_ids:
        notify(session, user_id, kind, event_params(event), url=path_for("events.detail", event_id=event.id))
