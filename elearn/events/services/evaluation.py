"""The anonymous evaluation questionnaire and its aggregate per event."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...core.timeutil import utcnow
from ..errors import EventError
from ..models import EVALUATION_QUESTIONS, REGISTERED, EvaluationAnswer, EvaluationReceipt, Event, Registration


@dataclass(frozen=True)
class Aggregate:
    responses: int
    averages: dict[str, float | None]
    comments: list[str]


def may_evaluate(session: Session, event: Event, user_id: int) -> bool:
    """Participants who held a place, once the first session has started, and only once."""
    if event.starts_at is None or event.starts_at > utcnow():
        return False
    held = session.scalar(
        select(Registration.id).where(Registration.event_id == event.id, Registration.user_id == user_id, Registration.status == REGISTERED)
    )
    return held is not None and session.get(EvaluationReceipt, (event.id, user_id)) is None


def submit(session: Session, event: Event, user_id: int, scores: dict[str, int], comment: str) -> None:
    """Store the answer without the person and, separately, that the person has answered."""
    if not may_evaluate(session, event, user_id):
        raise EventError(_l("You cannot fill in the evaluation of this event (again)."))
    if set(scores) != set(EVALUATION_QUESTIONS) or any(not 1 <= v <= 5 for v in scores.values()):
        raise EventError(_l("Rate every statement from 1 to 5."))
    session.add(EvaluationAnswer(event_id=event.id, comment=comment.strip(), **scores))
    session.add(EvaluationReceipt(event_id=event.id, user_id=user_id))
    session.flush()


def aggregate(session: Session, event: Event) -> Aggregate:
    columns = [getattr(EvaluationAnswer, q) for q in EVALUATION_QUESTIONS]
    row = session.execute(
        select(func.count(EvaluationAnswer.id), *[func.avg(c) for c in columns]).where(EvaluationAnswer.event_id == event.id)
    ).one()
    averages = {q: (round(float(v), 2) if v is not None else None) for q, v in zip(EVALUATION_QUESTIONS, row[1:], strict=True)}
    # Alphabetical, not in the order given, so a comment cannot be matched to when someone answered.
    comments = sorted(c for c in session.scalars(select(EvaluationAnswer.comment).where(EvaluationAnswer.event_id == event.id)) if c)
    return Aggregate(row[0], averages, comments)
