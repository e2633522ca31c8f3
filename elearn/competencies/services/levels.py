"""Evidence and the one rule that derives a person's current level per competence.

THE DERIVATION RULE (the only place levels are computed):

    current level on a competence = the highest level among that person's *confirming* evidence for the
    competence code, or 0 when there is none.

    Confirming evidence is evidence from an assessed source: module_completed, quiz_passed, trainer_assessment,
    event_assessment, imported, and prior_learning once a trainer has accepted it. Self-assessment never confirms a level (it only
    feeds gap analysis); pending or rejected prior-learning claims confirm nothing.

Consequences: levels never go down when evidence is added (a later, lower assessment does not erase an earlier,
higher one: evidence is append-only and the rule takes the maximum); the result does not depend on the order in
which evidence arrived; evidence is matched by code, so evidence recorded against an older framework version counts
in every later version where the code persists.

The stored CompetenceLevel rows are a cache of this rule. Every write path updates them incrementally through
_raise_level(); recompute_levels() rebuilds them from scratch and must always agree (property-based tests check it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...core.audit import audit
from ...core.timeutil import utcnow
from ..models import (
    ACCEPTED,
    EVENT_ASSESSMENT,
    IMPORTED,
    MAX_LEVEL,
    MODULE_COMPLETED,
    PENDING,
    PRIOR_LEARNING,
    QUIZ_PASSED,
    REJECTED,
    SELF_ASSESSMENT,
    SOURCES,
    TRAINER_ASSESSMENT,
    CompetenceLevel,
    Evidence,
    Framework,
    Role,
    SelfAssessment,
)
from .framework import current_framework

CONFIRMING_SOURCES = frozenset({MODULE_COMPLETED, QUIZ_PASSED, TRAINER_ASSESSMENT, IMPORTED, EVENT_ASSESSMENT})


def confirms(evidence: Evidence) -> bool:
    """Whether this piece of evidence may confirm a level under the derivation rule."""
    if evidence.source in CONFIRMING_SOURCES:
        return True
    return evidence.source == PRIOR_LEARNING and evidence.status == ACCEPTED


def derive_levels(evidence: Iterable[Evidence]) -> dict[str, int]:
    """The derivation rule as a pure function: {code: highest confirmed level} (codes at 0 are left out)."""
    levels: dict[str, int] = {}
    for item in evidence:
        if confirms(item) and item.level > levels.get(item.competence_code, 0):
            levels[item.competence_code] = item.level
    return levels


def recompute_levels(session: Session, user_id: int) -> dict[str, int]:
    """Rebuild the stored levels of a person from all their evidence; returns {code: level}."""
    derived = derive_levels(session.scalars(select(Evidence).where(Evidence.user_id == user_id)))
    stored = {row.code: row for row in session.scalars(select(CompetenceLevel).where(CompetenceLevel.user_id == user_id))}
    for code, row in stored.items():
        if code not in derived:
            session.delete(row)
        elif row.level != derived[code]:
            row.level = derived[code]
    for code, level in derived.items():
        if code not in stored:
            session.add(CompetenceLevel(user_id=user_id, code=code, level=level))
    session.flush()
    return derived


def _raise_level(session: Session, evidence: Evidence) -> None:
    """Apply one piece of evidence to the stored levels: the incremental form of the derivation rule."""
    if not confirms(evidence):
        return
    row = session.scalar(
        select(CompetenceLevel).where(CompetenceLevel.user_id == evidence.user_id, CompetenceLevel.code == evidence.competence_code)
    )
    if row is None:
        if evidence.level > 0:
            session.add(CompetenceLevel(user_id=evidence.user_id, code=evidence.competence_code, level=evidence.level))
    elif evidence.level > row.level:
        row.level = evidence.level


def record_evidence(
    session: Session,
    *,
    user_id: int,
    code: str,
    level: int,
    source: str,
    recorded_by: int | None = None,
    score: int | None = None,
    note: str | None = None,
    source_type: str | None = None,
    source_id: str | int | None = None,
    link: str | None = None,
    recorded_at: datetime | None = None,
    status: str | None = None,
    document: tuple[str, str, str] | None = None,
) -> Evidence:
    """Append evidence (against the current framework version) and update the stored level; flushes."""
    if source not in SOURCES:
        raise ValueError(f"unknown evidence source {source!r}")
    if not 0 <= level <= MAX_LEVEL:
        raise ValueError(f"level must be 0–{MAX_LEVEL}, not {level}")
    framework = current_framework(session)
    if framework is None:
        raise RuntimeError("no competency framework is loaded: run `flask competencies load`")
    if source == PRIOR_LEARNING and status is None:
        status = PENDING
    evidence = Evidence(
        user_id=user_id,
        framework_key=framework.key,
        framework_version=framework.version,
        competence_code=code,
        level=level,
        source=source,
        score=score,
        note=note,
        recorded_by=recorded_by,
        recorded_at=recorded_at or utcnow(),
        source_type=source_type,
        source_id=None if source_id is None else str(source_id),
        link=link,
        status=status,
    )
    if document is not None:
        evidence.document_path, evidence.document_name, evidence.document_mimetype = document
    session.add(evidence)
    session.flush()
    _raise_level(session, evidence)
    session.flush()
    return evidence


def review_prior_learning(session: Session, evidence: Evidence, *, accept: bool, reviewer_id: int) -> Evidence:
    """A trainer accepts or rejects a prior-learning claim; accepted claims confirm their level."""
    if evidence.source != PRIOR_LEARNING or evidence.status != PENDING:
        raise ValueError("only a pending prior-learning claim can be reviewed")
    evidence.status = ACCEPTED if accept else REJECTED
    evidence.reviewed_by = reviewer_id
    evidence.reviewed_at = utcnow()
    session.flush()
    _raise_level(session, evidence)
    audit(
        session,
        "competencies.rpl_review",
        actor_id=reviewer_id,
        target=evidence,
        decision=evidence.status,
        learner_id=evidence.user_id,
        code=evidence.competence_code,
        level=evidence.level,
    )
    session.flush()
    return evidence


def assess_learner(session: Session, *, trainer_id: int, user_id: int, code: str, level: int, note: str) -> Evidence:
    """A trainer's assessment of a learner on one competence (level + note)."""
    evidence = record_evidence(
        session,
        user_id=user_id,
        code=code,
        level=level,
        source=TRAINER_ASSESSMENT,
        recorded_by=trainer_id,
        note=note,
        source_type="trainer",
        source_id=trainer_id,
    )
    audit(session, "competencies.assess", actor_id=trainer_id, target=evidence, learner_id=user_id, code=code, level=level)
    return evidence


def submit_self_assessment(
    session: Session, *, user_id: int, framework: Framework, role: Role, answers: dict[str, int], link: Callable[[int], str]
) -> SelfAssessment:
    """Store a self-assessment and one piece of self-assessment evidence per answer (never confirming a level).

    `link(assessment_id)` gives the address of the result page the evidence points to; flushes and audits.
    """
    record = SelfAssessment(user_id=user_id, framework_id=framework.id, role_code=role.code, answers=answers)
    session.add(record)
    session.flush()
    for code, level in answers.items():
        record_evidence(
            session,
            user_id=user_id,
            code=code,
            level=level,
            source=SELF_ASSESSMENT,
            recorded_by=user_id,
            source_type="self_assessment",
            source_id=record.id,
            link=link(record.id),
        )
    audit(session, "competencies.self_assessment", actor_id=user_id, target=record, role=role.code, answers=len(answers))
    return record


# --- public read API (used by certificates and analytics) ------------------------------------------------------


def current_levels(session: Session, user_id: int) -> dict[str, int]:
    """{competence code: current level} from the stored levels (codes at level 0 are left out)."""
    rows = session.execute(select(CompetenceLevel.code, CompetenceLevel.level).where(CompetenceLevel.user_id == user_id))
    return {code: level for code, level in rows if level > 0}


def levels_for_codes(session: Session, user_id: int, codes) -> dict[str, int]:
    """{code: current level} for exactly the given codes (0 where nothing is confirmed)."""
    levels = current_levels(session, user_id)
    return {code: levels.get(code, 0) for code in codes}


def levels_for_users(session: Session, user_ids, codes=None) -> dict[int, dict[str, int]]:
    """{user id: {code: current level}} for many people in one query (lists of hundreds stay one round trip).

    With codes, exactly those codes (0 where nothing is confirmed); without, every confirmed code.
    """
    ids = list(dict.fromkeys(user_ids))
    found: dict[int, dict[str, int]] = {uid: {} for uid in ids}
    if ids:
        stmt = select(CompetenceLevel.user_id, CompetenceLevel.code, CompetenceLevel.level).where(
            CompetenceLevel.user_id.in_(ids), CompetenceLevel.level > 0
        )
        if codes is not None:
            stmt = stmt.where(CompetenceLevel.code.in_(list(codes)))
        for user_id, code, level in session.execute(stmt):
            found[user_id][code] = level
    if codes is None:
        return found
    return {uid: {code: levels.get(code, 0) for code in codes} for uid, levels in found.items()}


def evidence_for_user(session: Session, user_id: int) -> list[Evidence]:
    """Every piece of evidence of a person, newest first (including codes no longer in the framework)."""
    return list(
        session.scalars(
            select(Evidence)
            .where(Evidence.user_id == user_id)
            .order_by(Evidence.recorded_at.desc(), Evidence.id.desc())
            .options(selectinload(Evidence.recorder), selectinload(Evidence.reviewer))
        )
    )


def latest_self_assessed(session: Session, user_id: int) -> dict[str, int]:
    """{code: level} from the person's self-assessment evidence, the newest answer per code."""
    rows = session.scalars(
        select(Evidence).where(Evidence.user_id == user_id, Evidence.source == SELF_ASSESSMENT).order_by(Evidence.recorded_at, Evidence.id)
    )
    return {e.competence_code: e.level for e in rows}
