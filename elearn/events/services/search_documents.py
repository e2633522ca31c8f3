"""What the events domain puts into the platform's search: scheduled training events (title, type, place, dates,
description and programme), never cancelled ones. Creating or changing an event indexes it, cancelling removes it;
`flask search reindex --kind event` rebuilds them all.

An event aimed at exactly one role carries that role, so the search's role filter finds it; an event for several
roles (or none) carries no role and is found without the role filter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core import search
from ...core.timeutil import to_local
from ...courses.services.search_documents import plain_text
from ..models import SCHEDULED, Event

EVENT = "event"


def event_document(event: Event) -> search.Document:
    start = to_local(event.starts_at).strftime("%d.%m.%Y") if event.starts_at else ""
    place = "online" if event.is_online else (event.city or event.place_label)
    roles = list(event.target_roles or [])
    return search.Document(
        kind=EVENT, key=str(event.id), title=event.title,
        body=" ".join(p for p in (event.place_label, plain_text(event.description), plain_text(event.programme)) if p),
        context=" · ".join(p for p in (event.type_label, start, place) if p),
        role=roles[0] if len(roles) == 1 else None, url=search.path_for("events.detail", event_id=event.id),
    )  # fmt: skip


def all_event_documents(session: Session) -> Iterator[search.Document]:
    for event in session.scalars(select(Event).where(Event.status == SCHEDULED).order_by(Event.id)):
        yield event_document(event)


def index_event(session: Session, event: Event) -> None:
    """After an event is created, changed or cancelled: the index holds it exactly while it is scheduled."""
    if event.status == SCHEDULED:
        search.index_document(session, event_document(event))
    else:
        search.remove_document(session, EVENT, str(event.id))


def visible_events(session: Session, viewer: Any, hits: list[search.Hit]) -> list[search.Hit]:  # noqa: ARG001
    """The public calendar's rule: anyone may read a scheduled event; a cancelled one is never a result (checked
    again here, so an index entry left behind by a failed update cannot show it)."""
    ids = [int(h.key) for h in hits if h.key.isdigit()]
    scheduled = {str(i) for i in session.scalars(select(Event.id).where(Event.id.in_(ids), Event.status == SCHEDULED))} if ids else set()
    return [h for h in hits if h.key in scheduled]
