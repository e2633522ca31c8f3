"""Withdrawing evidence that was found to be wrong, and the evidence that still counts.

Evidence is append-only, so a withdrawal is a row of its own (EvidenceWithdrawal). The levels rule reads only
evidence that has not been withdrawn (see levels.recompute_levels); after a withdrawal the person's stored levels
are rebuilt and `evidence_withdrawn` is sent so certificates can find documents that rested on it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ...core.audit import audit
from ...core.errors import DomainError
from ..models import PENDING, PRIOR_LEARNING, SELF_ASSESSMENT, Evidence, EvidenceWithdrawal
from ..signals import evidence_withdrawn
from .levels import confirms, recompute_levels


class CannotWithdraw(DomainError):
    """This evidence cannot be withdrawn (already withdrawn, a self-assessment, or one's own); the message says why."""


def not_withdrawn():
    """A WHERE clause keeping only evidence without a withdrawal row."""
    return ~exists().where(EvidenceWithdrawal.evidence_id == Evidence.id)


def withdraw_evidence(session: Session, evidence: Evidence, *, actor_id: int, reason: str) -> EvidenceWithdrawal:
    """Record that a trainer or admin withdrew this evidence, rebuild the person's levels without it, tell listeners."""
    if evidence.source == SELF_ASSESSMENT:
        raise CannotWithdraw(_l("A self-assessment confirms nothing, so there is nothing to withdraw."))
    if evidence.source == PRIOR_LEARNING and evidence.status == PENDING:
        raise CannotWithdraw(_l("This claim is still awaiting review: reject it instead."))
    if evidence.user_id == actor_id:
        raise CannotWithdraw(_l("You cannot withdraw evidence about yourself."))
    if session.scalar(select(EvidenceWithdrawal.id).where(EvidenceWithdrawal.evidence_id == evidence.id)) is not None:
        raise CannotWithdraw(_l("This evidence has already been withdrawn."))
    withdrawal = EvidenceWithdrawal(evidence_id=evidence.id, withdrawn_by=actor_id, reason=reason.strip())
    session.add(withdrawal)
    session.flush()
    recompute_levels(session, evidence.user_id)
    audit(
        session,
        "competencies.withdraw_evidence",
        actor_id=actor_id,
        target=evidence,
        learner_id=evidence.user_id,
        code=evidence.competence_code,
        level=evidence.level,
        source=evidence.source,
        reason=withdrawal.reason,
    )
    evidence_withdrawn.send(evidence, session=session, withdrawal=withdrawal, actor_id=actor_id)
    return withdrawal


def withdrawn_ids(session: Session, user_id: int) -> set[int]:
    """Ids of a person's withdrawn evidence (pages mark them)."""
    rows = session.scalars(
        select(EvidenceWithdrawal.evidence_id)
        .join(Evidence, Evidence.id == EvidenceWithdrawal.evidence_id)
        .where(Evidence.user_id == user_id)
    )
    return set(rows)


# Sources that assess practice (a person judged the work) are cited before course activity at the same level.
_COURSE_ACTIVITY = {"module_completed", "quiz_passed"}


def counting_evidence(session: Session, user_id: int, codes=None) -> dict[str, list[Evidence]]:
    """{code: evidence that confirms under the levels rule and is not withdrawn}, highest level first, then assessed
    practice before course activity, then oldest. Certificates cite these as the basis of a level."""
    query = select(Evidence).where(Evidence.user_id == user_id, not_withdrawn())
    if codes is not None:
        query = query.where(Evidence.competence_code.in_(list(codes)))
    found: dict[str, list[Evidence]] = {}
    for item in session.scalars(query.order_by(Evidence.level.desc(), Evidence.recorded_at, Evidence.id)):
        if confirms(item):
            found.setdefault(item.competence_code, []).append(item)
    for items in found.values():
        items.sort(key=lambda e: (-e.level, e.source in _COURSE_ACTIVITY))  # stable: keeps oldest first within a group
    return found
