"""Counting for indicators (EFS+): persons, training places and institutions are different numbers.

A training place is one person holding a place at one event; a person counts once however many events they
attended; an institution counts once however many of its workers came or how often. "Attended" counts places whose
holder was present at at least one session; "completed" uses the event's completion share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..models import CANCELLED, REGISTERED, Attendance, Event, Registration
from .attendance import outcomes


@dataclass(frozen=True)
class Counts:
    places: int
    persons: int
    institutions: int
    attended_places: int
    attended_persons: int
    completed_places: int
    completed_persons: int


def count(session: Session, *, start: datetime | None = None, end: datetime | None = None, event_ids: list[int] | None = None) -> Counts:
    """Counts over scheduled events whose first session starts in [start, end) (or the given events)."""
    query = select(Event).where(Event.status != CANCELLED)
    if start is not None:
        query = query.where(Event.starts_at >= start)
    if end is not None:
        query = query.where(Event.starts_at < end)
    if event_ids is not None:
        query = query.where(Event.id.in_(event_ids))
    events = session.scalars(query).all()
    ids = [e.id for e in events]
    places = session.execute(
        select(Registration.id, Registration.user_id, Registration.institution_id).where(
            Registration.event_id.in_(ids), Registration.status == REGISTERED
        )
    ).all()
    attended_ids = set(session.scalars(select(Attendance.registration_id).where(Attendance.registration_id.in_([p.id for p in places]))))
    completed = [o.registration for e in events for o in outcomes(session, e) if o.completed]
    return Counts(
        places=len(places),
        persons=len({p.user_id for p in places}),
        institutions=len({p.institution_id for p in places if p.institution_id is not None}),
        attended_places=len(attended_ids),
        attended_persons=len({p.user_id for p in places if p.id in attended_ids}),
        completed_places=len(completed),
        completed_persons=len({r.user_id for r in completed}),
    )


def attended_place_holders_query(start: datetime, end: datetime) -> Select:
    """A SELECT of the user id of each attended place (present at one session or more) at non-cancelled events
    starting in [start, end) — one row per place, so a person at two events appears twice (analytics counts both)."""
    attended = select(Attendance.registration_id).distinct()
    return (
        select(Registration.user_id)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Event.status != CANCELLED,
            Event.starts_at >= start,
            Event.starts_at < end,
            Registration.status == REGISTERED,
            Registration.id.in_(attended),
        )
    )
