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

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...accounts.models import User
from ...advisory.services.counting import closed_support
from ...certificates.models import VALID, Certificate
from ...courses.models import Enrolment
from ...events.services.counting import attended_place_holders
from . import local_plans
from .suppression import show

DEFAULT_TARGETS = {"persons": 1100, "institutions": 200, "raised": 1045, "lpdi": 50}  # lpdi: % of local governments

PlaceSource = Callable[[Session, datetime, datetime], Iterable[int]]  # user id of each place taken in [start, end)


def course_places(session: Session, start: datetime, end: datetime) -> Iterable[int]:
    """One place per course enrolment started in the period."""
    return session.scalars(select(Enrolment.user_id).where(Enrolment.enrolled_at >= start, Enrolment.enrolled_at < end))


def event_places(session: Session, start: datetime, end: datetime) -> Iterable[int]:
    """One place per event registration attended, at events whose first session starts in the period."""
    return attended_place_holders(session, start, end)


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


def reach(session: Session, start: date, end: date) -> Reach:
    lower, upper = _bounds(start, end)
    places: list[int] = [uid for source in PLACE_SOURCES for uid in source(session, lower, upper)]
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
    found = reach(session, start, end)
    places, persons, institutions, advisory = found.places, found.persons, found.institutions, found.advisory
    raised = set(certified_on(session, start, end))
    return [
        Indicator("persons", len(persons), targets["persons"]),
        Indicator("institutions", len(institutions), targets["institutions"]),
        Indicator("places", len(places), None),
        Indicator("raised", len(raised), targets["raised"]),
        Indicator("advisory", advisory.count, targets.get("advisory")),
        Indicator("lpdi", local_plans.with_lpdi(session, end), targets["lpdi"], local_plans.local_governments(session)),
    ]
