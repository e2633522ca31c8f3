"""iCalendar files: one per event, and a person's feed of the events they hold a place at (by a secret token)."""

from __future__ import annotations

from datetime import UTC

from icalendar import Calendar
from icalendar import Event as VEvent
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CANCELLED, REGISTERED, CalendarFeed, Event, Registration, new_feed_token

PRODID = "-//elearn//wydarzenia//PL"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _add(calendar: Calendar, event: Event, *, url: str, host: str, show_link: bool) -> None:
    for number, part in enumerate(event.sessions, start=1):
        item = VEvent()
        item.add("uid", f"event-{event.id}-session-{part.id}@{host}")
        item.add("summary", event.title if len(event.sessions) == 1 else f"{event.title} ({number}/{len(event.sessions)})")
        item.add("dtstart", part.starts_at.replace(tzinfo=UTC))
        item.add("dtend", part.ends_at.replace(tzinfo=UTC))
        item.add("dtstamp", (event.updated_at or event.created_at).replace(tzinfo=UTC))
        location = event.place_label or ""
        if show_link and event.online_url:
            location = event.online_url if not location else f"{location}; {event.online_url}"
        if location:
            item.add("location", location)
        item.add("url", url)
        item.add("status", "CANCELLED" if event.status == CANCELLED else "CONFIRMED")
        calendar.add_component(item)


def event_ics(event: Event, *, url: str, host: str, show_link: bool) -> bytes:
    """The event's sessions; the online link only for those holding a place."""
    calendar = _calendar(event.title)
    _add(calendar, event, url=url, host=host, show_link=show_link)
    return calendar.to_ical()


def feed_token(session: Session, user_id: int, *, renew: bool = False) -> str:
    """The person's feed token, created on first use; renew=True revokes the old address."""
    feed = session.get(CalendarFeed, user_id)
    if feed is None:
        feed = CalendarFeed(user_id=user_id)
        session.add(feed)
    elif renew:
        feed.token = new_feed_token()
    session.flush()
    return feed.token


def revoke_feed(session: Session, user_id: int) -> None:
    feed = session.get(CalendarFeed, user_id)
    if feed is not None:
        session.delete(feed)
        session.flush()


def feed_owner(session: Session, token: str) -> int | None:
    if not token or len(token) > 64:
        return None
    return session.scalar(select(CalendarFeed.user_id).where(CalendarFeed.token == token))


def feed_ics(session: Session, user_id: int, *, url_for_event, host: str) -> bytes:
    calendar = _calendar("Moje szkolenia")
    events = session.scalars(
        select(Event)
        .join(Registration, Registration.event_id == Event.id)
        .where(Registration.user_id == user_id, Registration.status == REGISTERED)
        .order_by(Event.starts_at)
    ).all()
    for event in events:
        _add(calendar, event, url=url_for_event(event), host=host, show_link=True)
    return calendar.to_ical()
