"""Registration: places, the waiting list and its automatic promotion, nominations by coordinators.

Capacity holds under concurrency because every change of who holds a place first locks the event row
(SELECT … FOR UPDATE on PostgreSQL; on SQLite the write transaction already holds the database lock), then counts.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...accounts.models import User
from ...core.audit import audit
from ...core.collation import polish_sort_key
from ...core.db import lock_rows_for_update
from ...core.roles import COORDINATOR
from ...core.timeutil import utcnow
from .. import notifications as kinds
from ..errors import EventError
from ..models import REGISTERED, SCHEDULED, WAITLISTED, WITHDRAWN, Event, Registration
from .events import is_organiser
from .notifying import tell


def lock_event(session: Session, event_id: int) -> Event:
    """The event, with its row locked for the rest of the transaction (see the module docstring)."""
    # Lock by id alone: Event eagerly joins its (nullable) gmina, and PostgreSQL refuses FOR UPDATE on an outer join.
    if session.scalar(lock_rows_for_update(select(Event.id).where(Event.id == event_id), session)) is None:
        raise EventError(_l("This event does not exist."))
    return session.get(Event, event_id, populate_existing=True)


def _count(session: Session, event_id: int, *statuses: str, institution_id: int | None = None) -> int:
    query = select(func.count()).select_from(Registration).where(Registration.event_id == event_id, Registration.status.in_(statuses))
    if institution_id is not None:
        query = query.where(Registration.institution_id == institution_id)
    return session.scalar(query) or 0


def registration_of(session: Session, event_id: int, user_id: int) -> Registration | None:
    return session.scalar(select(Registration).where(Registration.event_id == event_id, Registration.user_id == user_id))


def registration_open(event: Event, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return event.status == SCHEDULED and event.registration_opens_at <= now <= event.registration_closes_at


def _check_may_register(event: Event, user: User, actor: User, *, staff: bool, now: datetime) -> None:
    if event.status != SCHEDULED:
        raise EventError(_l("This event has been cancelled."))
    if not staff and not registration_open(event, now):
        raise EventError(_l("Registration for this event is not open."))
    own_worker = actor.has_role(COORDINATOR) and actor.institution_id is not None and user.institution_id == actor.institution_id
    if actor.id != user.id and not staff and not own_worker:
        raise EventError(_l("You can nominate only workers of your own institution."))


def register(session: Session, event_id: int, user: User, *, actor: User | None = None, now: datetime | None = None) -> Registration:
    """Give the person a place, or a waiting-list position when the event is full; flushes and notifies.

    actor is who acts for the person (a coordinator nominating, or staff adding); staff may add outside the
    registration window, nobody may exceed the capacity."""
    now = now or utcnow()
    actor = actor or user
    event = lock_event(session, event_id)
    staff = is_organiser(actor)
    _check_may_register(event, user, actor, staff=staff, now=now)
    existing = registration_of(session, event.id, user.id)
    if existing is not None and existing.status != WITHDRAWN:
        raise EventError(_l("%(name)s is already registered for this event.", name=user.full_name))
    if event.per_institution_limit and user.institution_id is not None and not staff:
        taken = _count(session, event.id, REGISTERED, WAITLISTED, institution_id=user.institution_id)
        if taken >= event.per_institution_limit:
            raise EventError(_l("Your institution has used all its %(limit)d places at this event.", limit=event.per_institution_limit))
    status = REGISTERED if _count(session, event.id, REGISTERED) < event.capacity else WAITLISTED
    if existing is None:
        existing = Registration(event_id=event.id, user_id=user.id)
        session.add(existing)
    existing.status = status
    existing.institution_id = user.institution_id
    existing.nominated_by_id = actor.id if actor.id != user.id else None
    existing.queued_at = now
    existing.cancelled_at = None
    session.flush()
    existing.event = event
    tell(session, existing, kinds.REGISTERED if status == REGISTERED else kinds.WAITLISTED)
    audit(session, "events.register", actor_id=actor.id, target=existing, event_id=event.id, user_id=user.id, status=status)
    return existing


def may_cancel(registration: Registration, actor: User, now: datetime | None = None) -> bool:
    """The person before the cancellation deadline; staff at any time."""
    if is_organiser(actor):
        return True
    now = now or utcnow()
    return actor.id == registration.user_id and now <= registration.event.cancellation_deadline


def cancel(session: Session, registration: Registration, *, actor: User, now: datetime | None = None) -> Registration:
    """Give up a place (or a waiting-list position); a freed place goes to the first person waiting."""
    now = now or utcnow()
    event = lock_event(session, registration.event_id)
    session.refresh(registration)
    if registration.status == WITHDRAWN:
        return registration
    if not may_cancel(registration, actor, now):
        raise EventError(_l("The cancellation deadline has passed; ask the organiser to cancel your place."))
    had_place = registration.status == REGISTERED
    registration.status = WITHDRAWN
    registration.cancelled_at = now
    session.flush()
    audit(session, "events.cancel_registration", actor_id=actor.id, target=registration, event_id=event.id, user_id=registration.user_id)
    if had_place:
        promote_waiting(session, event)
    return registration


def promote_waiting(session: Session, event: Event) -> list[Registration]:
    """Fill free places from the waiting list in order of joining (the caller holds the event lock)."""
    promoted = []
    free = event.capacity - _count(session, event.id, REGISTERED)
    if free <= 0 or event.status != SCHEDULED:
        return promoted
    waiting = session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == WAITLISTED)
        .order_by(Registration.queued_at, Registration.id)
        .limit(free)
    ).all()
    for registration in waiting:
        registration.status = REGISTERED
        promoted.append(registration)
    session.flush()
    for registration in promoted:
        tell(session, registration, kinds.PROMOTED)
    return promoted


def participants(session: Session, event_id: int, *statuses: str) -> list[Registration]:
    """Registrations of an event by status (default: those holding a place), alphabetically."""
    statuses = statuses or (REGISTERED,)
    rows = session.execute(
        select(Registration, User.full_name)
        .join(User, User.id == Registration.user_id)
        .where(Registration.event_id == event_id, Registration.status.in_(statuses))
        .order_by(Registration.id)
    ).all()
    return [registration for registration, _name in sorted(rows, key=lambda row: (polish_sort_key(row[1]), row[0].id))]


def waiting_list(session: Session, event_id: int) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.event_id == event_id, Registration.status == WAITLISTED)
            .order_by(Registration.queued_at, Registration.id)
        )
    )


def nominable_workers(session: Session, coordinator: User) -> list[User]:
    """The coordinator's accepted institution members (institution_id is set only on acceptance)."""
    if coordinator.institution_id is None:
        return []
    workers = session.scalars(
        select(User).where(User.institution_id == coordinator.institution_id, User.erased_at.is_(None), User.active.is_(True))
    )
    return sorted(workers, key=lambda user: (polish_sort_key(user.full_name), user.id))


def registrations_of(session: Session, user_id: int) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.user_id == user_id, Registration.status != WITHDRAWN)
            .order_by(Event.starts_at.desc())
        )
    )
