"""EU project indicators for a period: persons and institutions supported, training places, persons who raised
their qualifications, with progress against configurable targets.

A training place is one seat taken at one training; a person is counted once however many places they took, and
an institution once when at least one of its accepted members was supported. Places come from PLACE_SOURCES:
course enrolments started in the period and event registrations attended (present at one session or more) at
events starting in the period, so event attendees are persons supported too.

Support that is not a training place comes from SUPPORT_SOURCES: each yields the persons and the institutions it
supported in the period. Advisory cases closed in the period are one (advisory.services.counting): the case's
institution is supported even when none of its members took a training place, and so are the persons involved on
the institution's side. They also have an indicator of their own (advisory cases and the hours advisors spent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import Session

from ...accounts.models import User
from ...advisory.services.counting import closed_support
from ...certificates.models import VALID, Certificate
from ...courses.models import Enrolment
from ...events.services.counting import attended_place_holders_query
from . import local_plans
from .suppression import show

DEFAULT_TARGETS = {"persons": 1100, "institutions": 200, "raised": 1045, "lpdi": 50}  # lpdi: % of local governments

# A source gives the user id of each place taken in [start, end): a SELECT of them (counted in the database) or ids.
PlaceSource = Callable[[Session, datetime, datetime], Select | Iterable[int]]


def course_places(_session: Session, start: datetime, end: datetime) -> Select:
    """One place per course enrolment started in the period."""
    return select(Enrolment.user_id).where(Enrolment.enrolled_at >= start, Enrolment.enrolled_at < end)


def event_places(_session: Session, start: datetime, end: datetime) -> Select:
    """One place per event registration attended, at events whose first session starts in the period."""
    return attended_place_holders_query(start, end)


PLACE_SOURCES: list[PlaceSource] = [course_places, event_places]


@dataclass
class Supported:
    """What one kind of non-training support reached in a period."""

    persons: set[int]
    institutions: set[int]
    count: int  # cases, consultations… of this kind


SupportSource = Callable[[Session, datetime, datetime], Supported]


def advisory_support(session: Session, start: datetime, end: datetime) -> Supported:
    """Advisory cases closed in the period: their institutions and the persons involved on the institutions' side."""
    cases = closed_support(session, start, end)
    return Supported({p for c in cases for p in c.person_ids}, {c.institution_id for c in cases}, len(cases))


SUPPORT_SOURCES: list[SupportSource] = [advisory_support]


@dataclass
class Indicator:
    """A count of people (suppressed under 5) against a target; or, with `base`, a count of units (local
    governments — not people, never suppressed) whose share of `base` in per cent is measured against the target."""

    key: str
    value: int
    target: int | None
    base: int | None = None

    @property
    def share(self) -> int | None:
        """Per cent of the base (rounded down, so 49.9% never reads as the 50% target reached)."""
        return None if not self.base else 100 * self.value // self.base

    @property
    def shown(self) -> int | str:
        if self.base is not None:
            return f"{self.share or 0}% ({self.value} / {self.base})"
        return show(self.value)

    @property
    def percent(self) -> int | None:
        """Progress towards the target, capped at 100 for the bar; None without a target or under 5 people."""
        if not self.target:
            return None
        if self.base is not None:
            return min(100, round(100 * (self.share or 0) / self.target))
        if self.shown != self.value:
            return None
        return min(100, round(100 * self.value / self.target))


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period's dates are inclusive: [start 00:00, the day after end 00:00)."""
    return datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())


@dataclass
class Reach:
    """Who the project reached in a period: one user id per training place, the distinct persons supported (places
    and other support) and the institutions supported."""

    places: list[int]
    persons: set[int]
    institutions: set[int]
    advisory: Supported


def _ids(session: Session, found: Select | Iterable[int]) -> list[int]:
    return list(session.scalars(found)) if isinstance(found, Select) else list(found)


def reach(session: Session, start: date, end: date) -> Reach:
    """Who was reached, person by person (the participant export and the breakdowns list them)."""
    lower, upper = _bounds(start, end)
    places: list[int] = [uid for source in PLACE_SOURCES for uid in _ids(session, source(session, lower, upper))]
    persons = set(places)
    institutions = set()
    if persons:
        rows = session.execute(select(User.id, User.institution_id).where(User.id.in_(persons), User.institution_id.is_not(None)))
        institutions = {inst for _uid, inst in rows}
    supported = {source: source(session, lower, upper) for source in SUPPORT_SOURCES}
    for found in supported.values():
        persons |= found.persons
        institutions |= found.institutions
    return Reach(places, persons, institutions, supported.get(advisory_support, Supported(set(), set(), 0)))


@dataclass
class ReachCounts:
    """The sizes of a Reach, counted in the database: the same numbers without loading every place."""

    places: int
    persons: int
    institutions: int
    advisory: Supported


def _institutions_of(session: Session, user_ids) -> set[int]:
    query = select(User.institution_id).where(User.id.in_(user_ids), User.institution_id.is_not(None)).distinct()
    return set(session.scalars(query))


def reach_counts(session: Session, start: date, end: date) -> ReachCounts:
    lower, upper = _bounds(start, end)
    queries: list[Select] = []
    listed: list[int] = []
    for source in PLACE_SOURCES:
        found = source(session, lower, upper)
        if isinstance(found, Select):
            queries.append(found)
        else:
            listed.extend(found)
    supported = {source: source(session, lower, upper) for source in SUPPORT_SOURCES}
    others = set(listed).union(*(found.persons for found in supported.values()))
    places, persons, institutions = len(listed), 0, _institutions_of(session, set(listed)) if listed else set()
    if queries:
        placed = (queries[0] if len(queries) == 1 else union_all(*queries)).subquery()
        holder = placed.c[0]
        taken, persons = session.execute(select(func.count(), func.count(holder.distinct())).select_from(placed)).one()
        places += taken or 0
        persons = persons or 0
        members = select(User.institution_id).join(placed, holder == User.id).where(User.institution_id.is_not(None))
        institutions |= set(session.scalars(members.distinct()))
        if others:
            others -= set(session.scalars(select(holder).where(holder.in_(others)).distinct()))
    for found in supported.values():
        institutions |= found.institutions
    advisory = supported.get(advisory_support, Supported(set(), set(), 0))
    return ReachCounts(places, persons + len(others), len(institutions), advisory)


def raised_count(session: Session, start: date, end: date) -> int:
    """How many people hold a valid certificate issued in the period (len(certified_on), counted in the database)."""
    lower, upper = _bounds(start, end)
    return (
        session.scalar(
            select(func.count(Certificate.user_id.distinct())).where(
                Certificate.status == VALID, Certificate.user_id.is_not(None), Certificate.issued_at >= lower, Certificate.issued_at < upper
            )
        )
        or 0
    )


def certified_on(session: Session, start: date, end: date) -> dict[int, date]:
    """{user id: day of their latest valid certificate issued in the period} — revoked certificates do not count."""
    lower, upper = _bounds(start, end)
    rows = session.execute(
        select(Certificate.user_id, Certificate.issued_at)
        .where(Certificate.status == VALID, Certificate.user_id.is_not(None), Certificate.issued_at >= lower, Certificate.issued_at < upper)
        .order_by(Certificate.issued_at)
    )
    return {uid: issued.date() for uid, issued in rows}


def indicators(session: Session, start: date, end: date, targets: dict[str, int] | None = None) -> list[Indicator]:
    targets = {**DEFAULT_TARGETS, **(targets or {})}
    found = reach_counts(session, start, end)
    return [
        Indicator("persons", found.persons, targets["persons"]),
        Indicator("institutions", found.institutions, targets["institutions"]),
        Indicator("places", found.places, None),
        Indicator("raised", raised_count(session, start, end), targets["raised"]),
        Indicator("advisory", found.advisory.count, targets.get("advisory")),
        Indicator("lpdi", local_plans.with_lpdi(session, end), targets["lpdi"], local_plans.local_governments(session)),
    ]
