"""What advisory adds to the project indicators and the analytics report.

A case counts as support in the period in which it was closed (advice given, outcome and time recorded): support
to its institution and to the persons involved on the institution's side (the requester and everyone who wrote for
the institution in the thread). Advisors are staff, not supported persons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import CLOSED, AdvisoryCase


@dataclass
class Support:
    case_id: int
    institution_id: int
    topic: str
    minutes: int
    person_ids: set[int] = field(default_factory=set)


def closed_support(session: Session, start: datetime, end: datetime) -> list[Support]:
    """Cases closed in [start, end), each with its institution and the persons it supported."""
    cases = session.scalars(
        select(AdvisoryCase)
        .where(AdvisoryCase.status == CLOSED, AdvisoryCase.closed_at >= start, AdvisoryCase.closed_at < end)
        .options(selectinload(AdvisoryCase.messages))
        .order_by(AdvisoryCase.id)
    )
    out = []
    for case in cases:
        persons = {m.author_id for m in case.messages if not m.from_advisor and m.author_id is not None}
        if case.requester_id is not None:
            persons.add(case.requester_id)
        out.append(Support(case.id, case.institution_id, case.topic, case.minutes_spent or 0, persons))
    return out


def opened_cases(session: Session, start: datetime, end: datetime) -> list[tuple[int, str, int]]:
    """(case id, topic, institution id) of every case opened in [start, end), for the report by powiat and topic."""
    rows = session.execute(
        select(AdvisoryCase.id, AdvisoryCase.topic, AdvisoryCase.institution_id).where(
            AdvisoryCase.opened_at >= start, AdvisoryCase.opened_at < end
        )
    )
    return [(r.id, r.topic, r.institution_id) for r in rows]
