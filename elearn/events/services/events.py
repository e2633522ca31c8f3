"""Scheduling: create and change events with their sessions and trainers; the public calendar query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, Text, extract, func, select
from sqlalchemy.orm import Session

from ...accounts.models import User, UserRole
from ...competencies.services.framework import competences_by_code
from ...core.audit import audit
from ...core.collation import sorted_pl
from ...core.markdown import render_markdown
from ...core.roles import ADMIN, ISSUER, TRAINER
from ...core.timeutil import WARSAW, utcnow
from ...directory.models import GMINA, TerritorialUnit
from ..errors import EventError
from ..models import CANCELLED, REGISTERED, SCHEDULED, Event, EventSession, Registration
from .search_documents import index_event

EDITABLE = (
    "title",
    "type",
    "description",
    "programme",
    "place_name",
    "street",
    "postal_code",
    "city",
    "gmina_id",
    "online_url",
    "capacity",
    "per_institution_limit",
    "registration_opens_at",
    "registration_closes_at",
    "cancellation_deadline",
    "target_roles",
    "target_institution_types",
    "module_id",
    "competence_codes",
    "assessment_level",
    "completion_percent",
)


@dataclass(frozen=True)
class SessionTimes:
    """One session as the organiser types it: a local (Warsaw) date and start/end times."""

    day: date
    start: time
    end: time


def local_to_utc(day: date, at: time) -> datetime:
    """A Warsaw wall-clock time as naive UTC (what the database stores)."""
    return datetime.combine(day, at, tzinfo=WARSAW).astimezone(UTC).replace(tzinfo=None)


def is_organiser(user: User) -> bool:
    return user.has_role(ISSUER, ADMIN)


def is_trainer_of(event: Event, user: User) -> bool:
    return any(t.id == user.id for t in event.trainers)


def may_run(event: Event, user: User) -> bool:
    """Whether this person may take attendance, assess and see the participant list: its trainers and organisers."""
    return is_organiser(user) or is_trainer_of(event, user)


def trainer_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(User.id, User.full_name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == TRAINER, User.erased_at.is_(None))
    ).all()
    return [(row.id, row.full_name) for row in sorted_pl(rows, key=lambda row: row.full_name)]


def _check(session: Session, data: dict, sessions: list[SessionTimes], trainer_ids: list[int]) -> None:
    errors = _check_times(data, sessions) + _check_place_and_people(session, data, trainer_ids)
    if errors:
        raise EventError(*errors)


def _check_times(data: dict, sessions: list[SessionTimes]) -> list:
    errors = []
    if not sessions:
        errors.append(_l("Add at least one session with a date, start and end time."))
    for item in sessions:
        if item.end <= item.start:
            errors.append(_l("A session must end after it starts."))
            break
    opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
    if opens and closes and closes < opens:
        errors.append(_l("Registration must close after it opens."))
    return errors


def _check_place_and_people(session: Session, data: dict, trainer_ids: list[int]) -> list:
    errors = []
    if data.get("gmina_id"):
        unit = session.get(TerritorialUnit, data["gmina_id"])
        if unit is None or unit.level != GMINA:
            errors.append(_l("Choose a gmina from the list."))
    if not data.get("online_url") and not data.get("city"):
        errors.append(_l("Give the place of the event (city and address) or the link to the online meeting."))
    codes = data.get("competence_codes") or []
    if codes:
        known = competences_by_code(session)
        unknown = [c for c in codes if c not in known]
        if unknown:
            errors.append(_l("Unknown competence codes: %(codes)s.", codes=", ".join(unknown)))
        if not data.get("assessment_level"):
            errors.append(_l("Choose the level (1 or 2) the trainer's assessment at the event evidences."))
    valid_trainers = {tid for tid, _ in trainer_choices(session)}
    if any(tid not in valid_trainers for tid in trainer_ids):
        errors.append(_l("A trainer must be a person with the trainer role."))
    return errors


def _apply(session: Session, event: Event, data: dict, sessions: list[SessionTimes], trainer_ids: list[int]) -> None:
    for key in EDITABLE:
        if key in data:
            setattr(event, key, data[key])
    event.sessions = [EventSession(starts_at=local_to_utc(s.day, s.start), ends_at=local_to_utc(s.day, s.end)) for s in sessions]
    event.starts_at = min(s.starts_at for s in event.sessions)
    event.trainers = [session.get(User, tid) for tid in dict.fromkeys(trainer_ids)]


def create_event(session: Session, data: dict, sessions: list[SessionTimes], trainer_ids: list[int], *, actor_id: int) -> Event:
    """Schedule an event; refuses inconsistent data with the reasons."""
    _check(session, data, sessions, trainer_ids)
    event = Event(created_by_id=actor_id, status=SCHEDULED)
    session.add(event)
    _apply(session, event, data, sessions, trainer_ids)
    session.flush()
    index_event(session, event)
    audit(session, "events.create", actor_id=actor_id, target=event, title=event.title)
    return event


def update_event(
    session: Session, event: Event, data: dict, sessions: list[SessionTimes], trainer_ids: list[int], *, actor_id: int
) -> Event:
    """Change an event; participants are told when its time or place changed, and a larger capacity promotes waiters."""
    from .notifying import tell_participants
    from .registration import lock_event, promote_waiting

    if event.status == CANCELLED:
        raise EventError(_l("A cancelled event cannot be changed."))
    lock_event(session, event.id)
    _check(session, data, sessions, trainer_ids)
    before = (_times(event), event.place_label, event.online_url)
    _apply(session, event, data, sessions, trainer_ids)
    session.flush()
    session.refresh(event, ["sessions"])
    if (_times(event), event.place_label, event.online_url) != before:
        tell_participants(session, event, "changed")
    promote_waiting(session, lock_event(session, event.id))
    index_event(session, event)
    audit(session, "events.update", actor_id=actor_id, target=event)
    return event


def _times(event: Event) -> list[tuple[datetime, datetime]]:
    return [(s.starts_at, s.ends_at) for s in event.sessions]


def cancel_event(session: Session, event: Event, *, actor_id: int) -> Event:
    from .notifying import tell_participants

    if event.status == CANCELLED:
        return event
    event.status = CANCELLED
    session.flush()
    index_event(session, event)
    tell_participants(session, event, "cancelled")
    audit(session, "events.cancel", actor_id=actor_id, target=event)
    return event


def session_times(event: Event) -> list[SessionTimes]:
    """The event's sessions back in the organiser's local terms, to fill the edit form."""
    result = []
    for s in event.sessions:
        start = s.starts_at.replace(tzinfo=UTC).astimezone(WARSAW)
        end = s.ends_at.replace(tzinfo=UTC).astimezone(WARSAW)
        result.append(SessionTimes(start.date(), start.time().replace(tzinfo=None), end.time().replace(tzinfo=None)))
    return result


def description_html(event: Event) -> tuple[str, str]:
    return render_markdown(event.description or ""), render_markdown(event.programme or "")


def registered_count(session: Session, event_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Registration).where(Registration.event_id == event_id, Registration.status == REGISTERED)
        )
        or 0
    )


def calendar_query(
    *, type: str | None = None, powiat_id: int | None = None, role: str | None = None, month: str | None = None, now: datetime | None = None
) -> Select:
    """Upcoming scheduled events, earliest first, with the calendar's filters (powiat through the gmina's parent)."""
    now = now or utcnow()
    query = select(Event).where(Event.status == SCHEDULED, Event.starts_at >= now - timedelta(hours=12)).order_by(Event.starts_at, Event.id)
    if type:
        query = query.where(Event.type == type)
    if powiat_id:
        gminas = select(TerritorialUnit.id).where(TerritorialUnit.parent_id == powiat_id)
        query = query.where(Event.gmina_id.in_(gminas))
    if month:
        year, number = (int(part) for part in month.split("-"))
        query = query.where(extract("year", Event.starts_at) == year, extract("month", Event.starts_at) == number)
    if role:
        # JSON lists differ between databases; the role codes are short and distinct, so match the quoted code.
        query = query.where(func.cast(Event.target_roles, Text).like(f'%"{role}"%'))
    return query
