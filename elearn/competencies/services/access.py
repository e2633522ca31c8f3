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


#: pages that show the signed-in person's own records only (another person's id answers 404, another role 403)
OWNER_ONLY_ENDPOINTS = frozenset({"competencies.self_assessment_result", "competencies.my_requests"})


def may_follow_link(session: Session, viewer: User, evidence: Evidence) -> bool:
    """Whether the page that produced this evidence (its `link`) opens for `viewer`, decided as that page decides.

    The learner follows every link of their own. Anyone else needs the roles the page's view requires, is never
    sent to a page that shows only its viewer's own records, and passes the object-level check a higher domain
    registered for the page (`core.registry.link_guards`, e.g. practice's "may review this submission")."""
    if not evidence.link:
        return False
    if evidence.user_id == viewer.id:
        return True
    from flask import current_app
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import RequestRedirect

    from ...core.registry import registry

    path, _sep, _query = evidence.link.partition("?")
    try:
        endpoint, values = current_app.url_map.bind("localhost").match(path, method="GET")
    except (HTTPException, RequestRedirect):
        return False
    if endpoint in OWNER_ONLY_ENDPOINTS:
        return False
    roles = getattr(current_app.view_functions.get(endpoint), "required_roles", ())
    if roles and not viewer.has_role(*roles):
        return False
    guard = registry.link_guards.get(endpoint)
    return guard is None or guard(session, viewer, values)


def openable(session: Session, viewer: User, evidence: list[Evidence]) -> tuple[set[int], set[int]]:
    """Ids of the evidence whose source link, and whose document, `viewer` may open (rendering hides the rest)."""
    links = {e.id for e in evidence if may_follow_link(session, viewer, e)}
    may_see: dict[int, bool] = {}
    documents = set()
    for e in evidence:
        if not e.document_path:
            continue
        if e.user_id not in may_see:
            may_see[e.user_id] = e.user_id == viewer.id or trainer_may_see_learner(session, viewer, e.user_id)
        if may_see[e.user_id]:
            documents.add(e.id)
    return links, documents
