"""Object-level access: which learners a trainer may open (profile, evidence, documents), decided here only.

A trainer reaches a learner only with a reason: the learner is enrolled in a course the trainer looks after (their
own browser courses and the shared file courses of the training team, as the learners list shows), or has a
prior-learning claim waiting for review (any trainer may process those) or reviewed by this trainer. Admins see all.
"""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from ...accounts.models import ADMIN, TRAINER, User
from ...courses.models import Course, Enrolment
from ..models import PENDING, PRIOR_LEARNING, AssessmentRequest, AssessmentRequestTrainer, Evidence


def trainer_course_ids(trainer_id: int):
    """The courses a trainer looks after, as a subquery (the learners list and this check share it)."""
    return select(Course.id).where(Course.published_number > 0, or_(Course.created_by_id == trainer_id, Course.created_by_id.is_(None)))


def trainer_may_see_learner(session: Session, viewer: User, learner_id: int) -> bool:
    """Whether `viewer` may open this learner's competences, evidence and documents: an admin; a trainer whose course
    the learner takes, who may review the learner's prior-learning claim, to whom the learner's assessment request
    was routed, or who has recorded evidence for the learner (and may need to withdraw it)."""
    if viewer.has_role(ADMIN):
        return True
    if not viewer.has_role(TRAINER):
        return False
    enrolled = exists().where(Enrolment.user_id == learner_id, Enrolment.course_id.in_(trainer_course_ids(viewer.id)))
    claim = exists().where(
        Evidence.user_id == learner_id,
        Evidence.source == PRIOR_LEARNING,
        or_(Evidence.status == PENDING, Evidence.reviewed_by == viewer.id),
    )
    routed = exists().where(
        AssessmentRequest.user_id == learner_id,
        or_(
            AssessmentRequest.routed_to_all.is_(True),
            exists().where(AssessmentRequestTrainer.request_id == AssessmentRequest.id, AssessmentRequestTrainer.trainer_id == viewer.id),
        ),
    )
    assessed = exists().where(Evidence.user_id == learner_id, Evidence.recorded_by == viewer.id)
    return bool(session.scalar(select(or_(enrolled, claim, routed, assessed))))


def may_open_evidence(session: Session, viewer: User, evidence: Evidence) -> bool:
    """The learner themself, or someone who may see that learner."""
    return evidence.user_id == viewer.id or trainer_may_see_learner(session, viewer, evidence.user_id)
