"""The events domain's notification kinds and its day-before reminder (registered on import; services import this)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.notifications import IMMEDIATE, NotificationKind, Reminder, path_for, register_due_provider, register_kind

REGISTERED, WAITLISTED, PROMOTED = "events.registered", "events.waitlisted", "events.promoted"
CHANGED, CANCELLED, REMINDER = "events.changed", "events.cancelled", "events.reminder"

for key, label, subject, body, order in (
    (
        REGISTERED,
        _l("My place at a training event is confirmed"),
        _l("Registration confirmed: %(title)s"),
        _l("You have a place at „%(title)s” starting %(starts)s. Details and the calendar file are on the event page."),
        40,
    ),
    (
        WAITLISTED,
        _l("I joined a waiting list for a training event"),
        _l("Waiting list: %(title)s"),
        _l("„%(title)s” is full, so you are on its waiting list. We will tell you when a place frees up for you."),
        41,
    ),
    (
        PROMOTED,
        _l("I got a place from a waiting list"),
        _l("A place is yours: %(title)s"),
        _l("A place freed up at „%(title)s” (%(starts)s) and it is now yours. If you cannot come, cancel so someone else can."),
        42,
    ),
    (
        CHANGED,
        _l("A training event I registered for changed"),
        _l("Changed: %(title)s"),
        _l("The time or place of „%(title)s” has changed. It now starts %(starts)s; see the event page for details."),
        43,
    ),
    (
        CANCELLED,
        _l("A training event I registered for was cancelled"),
        _l("Cancelled: %(title)s"),
        _l("„%(title)s”, planned for %(starts)s, has been cancelled."),
        44,
    ),
    (
        REMINDER,
        _l("Reminder the day before a training event"),
        _l("Tomorrow: %(title)s"),
        _l("„%(title)s” starts %(starts)s. Place: %(place)s."),
        45,
    ),
):
    register_kind(NotificationKind(key=key, label=label, subject=subject, body=body, delivery=IMMEDIATE, order=order))


def reminders_due(session: Session, now: datetime) -> Iterator[Reminder]:
    """Registered participants of scheduled events starting within the next 24 hours, once per event and person."""
    from .models import REGISTERED as PLACE
    from .models import SCHEDULED, Event, Registration
    from .services.notifying import event_params

    events = session.scalars(
        select(Event).where(Event.status == SCHEDULED, Event.starts_at > now, Event.starts_at <= now + timedelta(hours=24))
    ).all()
    for event in events:
        user_ids = session.scalars(select(Registration.user_id).where(Registration.event_id == event.id, Registration.status == PLACE))
        for user_id in user_ids:
            yield Reminder(
                user_id,
                REMINDER,
                event_params(event),
                url=path_for("events.detail", event_id=event.id),
                dedupe_key=f"event-reminder:{event.id}",
            )


register_due_provider("events.reminder", reminders_due)
