"""Assessment requests: a learner asks for a trainer's assessment of a competence; a trainer answers with evidence.

Routing (fixed when the request is created): the trainers who look after a published course whose modules evidence
the competence — the trainer who created it; a course shared from files (no owner) is looked after by every
trainer — or every trainer when no such course exists. A trainer sees and answers only requests routed to them
(an administrator sees all); nobody answers their own request. Answering records a trainer_assessment through the
evidence service (so the level follows the one rule in services.levels) or declines with a reason; either way the
learner is notified. Trainers hear about new requests in their daily summary.

Documents live under instance/uploads/assessment-requests/ with a random name (types and limit as prior learning).
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from ...accounts.models import User, UserRole
from ...core.audit import audit
from ...core.errors import DomainError
from ...core.files import UploadRejected, check_upload, store_upload
from ...core.notifications import notify, path_for
from ...core.roles import ADMIN, TRAINER
from ...core.timeutil import utcnow
from ...courses.services.learning import published_modules
from .. import notifications as kinds
from ..models import REQUEST_ASSESSED, REQUEST_DECLINED, REQUEST_OPEN, TRAINER_ASSESSMENT, AssessmentRequest, AssessmentRequestTrainer
from .framework import competences_by_code
from .levels import record_evidence
from .rpl import DocumentRejected

UPLOAD_FOLDER = ("uploads", "assessment-requests")


class RequestRefused(DomainError):
    """The request cannot be created or answered (unknown competence, already answered, one's own request…)."""


class RequestNotFound(LookupError):
    """No such request, or not one this person may see (treated as missing: 404)."""


def upload_dir(instance_path: str) -> Path:
    return Path(instance_path).joinpath(*UPLOAD_FOLDER)


def _active_trainers() -> Select:
    return select(User.id).where(
        User.active.is_(True), User.erased_at.is_(None), User.id.in_(select(UserRole.user_id).where(UserRole.role == TRAINER))
    )


def route(session: Session, code: str) -> tuple[bool, set[int]]:
    """(to every trainer?, trainer ids) for a competence: the trainers of the courses that evidence it."""
    owners: set[int] = set()
    shared = False
    for course, _version, module in published_modules(session):
        if code not in (module.competences or {}):
            continue
        if course.created_by_id is None:
            shared = True
        else:
            owners.add(course.created_by_id)
    if shared:
        return True, set()
    trainers = set(session.scalars(_active_trainers().where(User.id.in_(owners)))) if owners else set()
    return (not trainers), trainers


def _store_document(instance_path: str, filename: str, content: bytes) -> tuple[str, str, str]:
    try:
        checked = check_upload(content, types_key="RPL_DOCUMENT_TYPES", limit_key="RPL_DOCUMENT_MAX_BYTES")
    except UploadRejected:
        raise DocumentRejected(current_app.config["RPL_DOCUMENT_MAX_BYTES"]) from None
    stored = store_upload(upload_dir(instance_path), content, checked.kind)
    display = Path(filename or "dokument").name[:200] or "dokument"
    return stored, display, checked.mimetype


def create_request(
    session: Session,
    *,
    instance_path: str,
    user: User,
    code: str,
    description: str,
    document: tuple[str, bytes] | None = None,
) -> AssessmentRequest:
    """Record a learner's request, route it and tell the trainers (daily summary); flushes and audits.

    document is (filename, bytes); a rejected file raises rpl.DocumentRejected before anything is written.
    """
    competences = competences_by_code(session)
    if code not in competences:
        raise RequestRefused(_l("Choose a competence from the framework."))
    stored = _store_document(instance_path, *document) if document is not None else (None, None, None)
    to_all, trainer_ids = route(session, code)
    request = AssessmentRequest(
        user_id=user.id,
        competence_code=code,
        description=description,
        routed_to_all=to_all,
        created_at=utcnow(),
        status=REQUEST_OPEN,
    )
    request.document_path, request.document_name, request.document_mimetype = stored
    request.trainers = [AssessmentRequestTrainer(trainer_id=t) for t in sorted(trainer_ids)]
    session.add(request)
    session.flush()
    recipients = set(session.scalars(_active_trainers())) if to_all else trainer_ids
    params = {"person": user.full_name, "code": code, "competence": competences[code].name}
    for trainer_id in sorted(recipients - {user.id}):
        notify(session, trainer_id, kinds.REQUEST_NEW, params, path_for("competencies.request_detail", request_id=request.id))
    audit(session, "competencies.request_created", actor_id=user.id, target=request, code=code, routed_to_all=to_all)
    return request


def _visible_to(viewer: User):
    """SQL condition: requests this person may see as a trainer or administrator (never their own as a reviewer)."""
    if viewer.has_role(ADMIN):
        return AssessmentRequest.id.is_not(None)
    routed = exists().where(AssessmentRequestTrainer.request_id == AssessmentRequest.id, AssessmentRequestTrainer.trainer_id == viewer.id)
    return or_(AssessmentRequest.routed_to_all.is_(True), routed)


def queue_query(viewer: User, status: str | None = None) -> Select:
    """Requests routed to the viewer, oldest first (the caller paginates); status None: every status."""
    query = (
        select(AssessmentRequest)
        .where(_visible_to(viewer), AssessmentRequest.user_id != viewer.id)
        .options(selectinload(AssessmentRequest.user), selectinload(AssessmentRequest.answerer))
        .order_by(AssessmentRequest.created_at, AssessmentRequest.id)
    )
    if status:
        query = query.where(AssessmentRequest.status == status)
    return query


def open_requests_of_learner(session: Session, viewer: User, user_id: int) -> list[AssessmentRequest]:
    """The learner's open requests that were routed to this trainer (for the trainer's page about the learner)."""
    return list(session.scalars(queue_query(viewer, REQUEST_OPEN).where(AssessmentRequest.user_id == user_id)))


def request_for_reviewer(session: Session, viewer: User, request_id: int) -> AssessmentRequest:
    """The request if it was routed to this trainer (or the viewer is an administrator); else RequestNotFound."""
    if not viewer.has_role(TRAINER, ADMIN):
        raise RequestNotFound(request_id)
    request = session.scalar(select(AssessmentRequest).where(AssessmentRequest.id == request_id, _visible_to(viewer)))
    if request is None or (request.user_id == viewer.id and not viewer.has_role(ADMIN)):
        raise RequestNotFound(request_id)
    return request


def requests_of(session: Session, user_id: int) -> list[AssessmentRequest]:
    """A learner's own requests, newest first."""
    return list(
        session.scalars(
            select(AssessmentRequest)
            .where(AssessmentRequest.user_id == user_id)
            .options(selectinload(AssessmentRequest.answerer))
            .order_by(AssessmentRequest.created_at.desc(), AssessmentRequest.id.desc())
        )
    )


def open_request_codes(session: Session, user_id: int) -> set[str]:
    return set(
        session.scalars(
            select(AssessmentRequest.competence_code).where(AssessmentRequest.user_id == user_id, AssessmentRequest.status == REQUEST_OPEN)
        )
    )


def open_count(session: Session, viewer: User) -> int:
    from sqlalchemy import func

    query = queue_query(viewer, REQUEST_OPEN).with_only_columns(func.count(AssessmentRequest.id)).order_by(None)
    return session.scalar(query) or 0


def _may_answer(request: AssessmentRequest, trainer: User) -> None:
    if request.user_id == trainer.id:
        raise RequestRefused(_l("You cannot answer your own assessment request."))
    if not trainer.has_role(TRAINER):
        raise RequestRefused(_l("Only a trainer can answer an assessment request."))
    if request.status != REQUEST_OPEN:
        raise RequestRefused(_l("This request has already been answered."))


def _names(session: Session, request: AssessmentRequest, trainer: User) -> dict:
    competence = competences_by_code(session).get(request.competence_code)
    return {"trainer": trainer.full_name, "code": request.competence_code, "competence": competence.name if competence else ""}


def assess(session: Session, request: AssessmentRequest, *, trainer: User, level: int, note: str) -> AssessmentRequest:
    """Answer with a trainer assessment: evidence (note, level) through the evidence service; the learner is told."""
    _may_answer(request, trainer)
    evidence = record_evidence(
        session,
        user_id=request.user_id,
        code=request.competence_code,
        level=level,
        source=TRAINER_ASSESSMENT,
        recorded_by=trainer.id,
        note=note,
        source_type="assessment_request",
        source_id=request.id,
        link=path_for("competencies.my_requests"),
    )
    request.status = REQUEST_ASSESSED
    request.level = level
    request.evidence_id = evidence.id
    request.answered_by = trainer.id
    request.answered_at = utcnow()
    session.flush()
    params = {**_names(session, request, trainer), "level": level, "note": note}
    notify(session, request.user_id, kinds.REQUEST_ASSESSED, params, path_for("competencies.my_requests"))
    audit(
        session,
        "competencies.request_assessed",
        actor_id=trainer.id,
        target=request,
        learner_id=request.user_id,
        code=request.competence_code,
        level=level,
    )
    return request


def decline(session: Session, request: AssessmentRequest, *, trainer: User, reason: str) -> AssessmentRequest:
    """Answer with a decline and its reason; the learner is told."""
    _may_answer(request, trainer)
    request.status = REQUEST_DECLINED
    request.decline_reason = reason
    request.answered_by = trainer.id
    request.answered_at = utcnow()
    session.flush()
    params = {**_names(session, request, trainer), "reason": reason}
    notify(session, request.user_id, kinds.REQUEST_DECLINED, params, path_for("competencies.my_requests"))
    audit(session, "competencies.request_declined", actor_id=trainer.id, target=request, learner_id=request.user_id)
    return request


def document_file(instance_path: str, request: AssessmentRequest) -> Path | None:
    if not request.document_path:
        return None
    root = upload_dir(instance_path).resolve()
    path = (root / request.document_path).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def export(session: Session, user_id: int) -> list[dict]:
    """The person's requests for their RODO data export."""
    return [
        {
            "competence": r.competence_code,
            "description": r.description,
            "document": r.document_name,
            "status": r.status,
            "created_at": r.created_at.isoformat() + "Z",
            "answered_at": r.answered_at.isoformat() + "Z" if r.answered_at else None,
            "level": r.level,
            "decline_reason": r.decline_reason,
        }
        for r in reversed(requests_of(session, user_id))
    ]


def erase(session: Session, instance_path: str, user_id: int) -> None:
    """Delete the person's requests and their documents (the evidence they produced stays, without its note)."""
    for request in session.scalars(select(AssessmentRequest).where(AssessmentRequest.user_id == user_id)):
        path = document_file(instance_path, request)
        if path is not None:
            path.unlink()
        session.delete(request)
    session.flush()
