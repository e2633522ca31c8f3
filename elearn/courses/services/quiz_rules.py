"""The rules around a quiz attempt: the course's attempt limit and waiting time, and each attempt's option order.

A course sets `quiz_attempts` (most attempts per module quiz) and `quiz_wait_minutes` (time between attempts) in
course.yml or in the course settings form; the published version's values apply. Options are shown in an order
derived from the learner, the module and the attempt number, so the order is stable while a learner answers (and on
the result page of that attempt) and different at the next attempt, without storing anything.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...core.errors import DomainError
from ...core.timeutil import utcnow
from ..models import TRUEFALSE, CourseVersion, Module, QuizAttempt


class QuizRefused(DomainError):
    """An attempt the course's rules or the answers do not allow; nothing is recorded."""


@dataclass(frozen=True)
class QuizGate:
    used: int  # attempts made so far at this module's quiz
    limit: int | None  # the course's limit, None when there is none
    next_at: datetime | None  # when the waiting time ends, None when the learner may try now

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def open(self) -> bool:
        return self.remaining != 0 and self.next_at is None


def quiz_gate(session: Session, user_id: int, version: CourseVersion, module_key: str, *, now: datetime | None = None) -> QuizGate:
    used, last_at = session.execute(
        select(func.count(QuizAttempt.id), func.max(QuizAttempt.at)).where(
            QuizAttempt.user_id == user_id, QuizAttempt.course_id == version.course_id, QuizAttempt.module_key == module_key
        )
    ).one()
    next_at = None
    if version.quiz_wait_minutes and last_at is not None:
        ends = last_at + timedelta(minutes=version.quiz_wait_minutes)
        next_at = ends if ends > (now or utcnow()) else None
    return QuizGate(used=used, limit=version.quiz_attempts, next_at=next_at)


def check_attempt(gate: QuizGate, answers: dict[int, list[int]]) -> None:
    """Refuse an attempt the rules do not allow, or one without a single answer (it is not a 0% attempt)."""
    if gate.remaining == 0:
        raise QuizRefused(_l("You have used all %(limit)d attempts at this quiz.", limit=gate.limit))
    if gate.next_at is not None:
        raise QuizRefused(_l("You can try the quiz again after the waiting time set for this course."))
    if not any(answers.values()):
        raise QuizRefused(_l("Choose at least one answer before checking. An empty quiz is not counted as an attempt."))


def attempt_seed(user_id: int, course_id: int, module_key: str, attempt_number: int) -> int:
    digest = hashlib.sha256(f"{user_id}:{course_id}:{module_key}:{attempt_number}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def option_orders(module: Module, seed: int) -> dict[int, list[int]]:
    """Question position → option positions in the order shown; true/false keeps its natural order."""
    shuffler = random.Random(seed)
    orders = {}
    for question in module.questions:
        positions = [option.position for option in question.options]
        if question.kind != TRUEFALSE:
            shuffler.shuffle(positions)
        orders[question.position] = positions
    return orders
