"""Evidence and the one rule that derives a person's current level per competence.

THE DERIVATION RULE (the only place levels are computed; the pure form is elearn/competencies/rule.py):

    For each competence code, over that person's *confirming* evidence (self-assessment never confirms; a
    prior-learning claim confirms only once a trainer has accepted it):

    - level 1 (knows and understands): any confirming evidence. Reading a module (module_completed) and a passed
      quiz (quiz_passed) confer AT MOST level 1, whatever level they were recorded at.
    - level 2 (applies it in practice) needs assessed practice: a piece of *level-2 evidence*, i.e. evidence at
      level 2 or higher from an assignment assessed positively by a trainer (assignment), a trainer's assessment
      at a training event (event_assessment), accepted recognition of prior learning (prior_learning), a
      trainer's assessment (trainer_assessment) or an import from another system (imported). On its own each
      confirms at most level 2. A trainer_assessment at level 2 is assessed practice and counts exactly like an
      assessed assignment.
    - level 3 (sustained, independent practice) needs a trainer's DIRECT assessment at level 3 (trainer_assessment
      or event_assessment recorded at level 3) PLUS at least two further pieces of level-2 evidence for the code
      (so at least three pieces of level-2 evidence counting the direct one). A level-3 direct assessment without
      that practice confirms level 2.
      Evidence a trainer or admin withdrew (services.withdrawal) is not read at all.

Consequences: levels never go down when evidence is added (evidence is append-only and every clause is "exists"
or "at least N", which more evidence can only satisfy); the result does not depend on the order in which
evidence arrived; evidence is matched by code, so evidence recorded against an older framework version counts in
every later version where the code persists. Existing evidence keeps its recorded level (history); only the
derived level changes (migration 0008_assignments recomputed the stored levels under this rule).

The stored CompetenceLevel rows are a cache of this rule. Every write path updates them through _raise_level()
(which re-derives the one affected code); recompute_levels() rebuilds them from scratch and must always agree
(property-based tests check it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ...core.audit import audit
from ...core.errors import DomainError
from ...core.timeutil import utcnow
from .. import rule
from ..models import (
    ACCEPTED,
    ASSIGNMENT,
    EVENT_ASSESSMENT,
    IMPORTED,
    MAX_LEVEL,
    PENDING,
    PRIOR_LEARNING,
    REJECTED,
    SELF_ASSESSMENT,
    SOURCES,
    TRAINER_ASSESSMENT,
    CompetenceLevel,
    Evidence,
    EvidenceWithdrawal,
    Framework,
    Role,
    SelfAssessment,
)
from .framework import current_framework, memoised

# Evidence whose level someone else judged: its assessor may never be the learner (levels print on certificates).
ASSESSED_SOURCES = frozenset({TRAINER_ASSESSMENT, IMPORTED, ASSIGNMENT, EVENT_ASSESSMENT})


class OwnEvidenceRefused(DomainError):
    """Nobody assesses or reviews their own competences: these levels are printed on certificates."""

    def __init__(self) -> None:
        super().__init__(_l("You cannot assess your own competences or review your own claim. Ask another trainer."))


def confirms(evidence: Evidence) -> bool:
    """Whether this piece of evidence may confirm a level under the derivation rule."""
    return rule.confirming(evidence.source, evidence.status)


def derive_levels(evidence: Iterable[Evidence]) -> dict[str, int]:
    """The derivation rule over evidence rows: {code: confirmed level} (codes at 0 are left out)."""
    return rule.derive((e.competence_code, e.source, e.level, e.status) for e in evidence)


def recompute_levels(session: Session, user_id: int) -> dict[str, int]:
    """Rebuild the stored levels of a person from all their evidence that was not withdrawn; returns {code: level}."""
    withdrawn = exists().where(EvidenceWithdrawal.evidence_id == Evidence.id)
    derived = derive_levels(session.scalars(select(Evidence).where(Evidence.user_id == user_id, ~withdrawn)))
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
    """Apply one piece of evidence to the stored levels: re-derive its code from that code's evidence (withdrawn
    evidence excluded, as in recompute_levels).

    Level 3 depends on how many pieces of practice there are, so the one code is derived again (one indexed
    query) instead of comparing the new level with the stored one.
    """
    if not confirms(evidence):
        return
    user_id, code = evidence.user_id, evidence.competence_code
    withdrawn = exists().where(EvidenceWithdrawal.evidence_id == Evidence.id)
    items = session.execute(
        select(Evidence.source, Evidence.level, Evidence.status).where(
            Evidence.user_id == user_id, Evidence.competence_code == code, ~withdrawn
        )
    )
    level = rule.level_for((source, lvl, status) for source, lvl, status in items)
    row = session.scalar(select(CompetenceLevel).where(CompetenceLevel.user_id == user_id, CompetenceLevel.code == code))
    if row is None:
        if level > 0:
            session.add(CompetenceLevel(user_id=user_id, code=code, level=level))
    elif level != row.level:  # the same evidence recompute_levels reads, so the cache always equals the rule
        row.level = level


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
    if source in ASSESSED_SOURCES and recorded_by is not None and recorded_by == user_id:
        raise OwnEvidenceRefused()
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
    if reviewer_id == evidence.user_id:
        raise OwnEvidenceRefused()
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
    """{competence code: current level} from the stored levels (codes at level 0 are left out); read once per
    session until it writes (the dashboard's and profile's panels each ask)."""

    def load() -> dict[str, int]:
        rows = session.execute(select(CompetenceLevel.code, CompetenceLevel.level).where(CompetenceLevel.user_id == user_id))
        return {code: level for code, level in rows if level > 0}

    return dict(memoised(session, ("levels", user_id), load))


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


def meeting_profile(profile: dict[str, int]):
    """A SELECT of the ids of people whose stored levels meet every requirement of `profile` (one grouped query,
    for subqueries: lists of thousands of people never come back to Python). Requirements of level 0 are met by
    anyone with a confirmed level."""
    needed = {code: level for code, level in profile.items() if level > 0}
    if not needed:
        return select(CompetenceLevel.user_id).where(CompetenceLevel.level > 0)
    return (
        select(CompetenceLevel.user_id)
        .where(or_(*(and_(CompetenceLevel.code == code, CompetenceLevel.level >= level) for code, level in needed.items())))
        .group_by(CompetenceLevel.user_id)
        .having(func.count(CompetenceLevel.code.distinct()) == len(needed))
    )


def meeting_each(session: Session, user_ids_query, required: dict[str, int]) -> dict[str, int]:
    """{code: how many of the people selected by `user_ids_query` meet its required level}, one grouped query."""
    counts = dict.fromkeys(required, 0)
    needed = {code: level for code, level in required.items() if level > 0}
    if needed:
        rows = session.execute(
            select(CompetenceLevel.code, func.count())
            .where(CompetenceLevel.user_id.in_(user_ids_query))
            .where(or_(*(and_(CompetenceLevel.code == code, CompetenceLevel.level >= level) for code, level in needed.items())))
            .group_by(CompetenceLevel.code)
        )
        counts.update(dict(rows.all()))
    if len(needed) < len(required):  # level 0 is met by everyone
        everyone = session.scalar(select(func.count()).select_from(user_ids_query.subquery())) or 0
        counts.update({code: everyone for code, level in required.items() if level <= 0})
    return counts


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


def recent_self_assessments(session: Session, user_id: int, limit: int = 5) -> list[SelfAssessment]:
    """A learner's latest self-assessments, newest first (the start page links to them)."""
    query = select(SelfAssessment).where(SelfAssessment.user_id == user_id).order_by(SelfAssessment.taken_at.desc())
    return list(session.scalars(query.limit(limit)))


def self_assessed_for_users(session: Session, user_ids, codes) -> dict[int, dict[str, int]]:
    """{user id: {code: newest self-assessed level}} for many people in one query (analytics shows it apart)."""
    ids = list(dict.fromkeys(user_ids))
    found: dict[int, dict[str, int]] = {uid: {} for uid in ids}
    if not ids:
        return found
    stmt = (
        select(Evidence.user_id, Evidence.competence_code, Evidence.level)
        .where(Evidence.user_id.in_(ids), Evidence.source == SELF_ASSESSMENT, Evidence.competence_code.in_(list(codes)))
        .order_by(Evidence.recorded_at, Evidence.id)
    )
    for user_id, code, level in session.execute(stmt):
        found[user_id][code] = level  # later answers overwrite earlier ones
    return found
