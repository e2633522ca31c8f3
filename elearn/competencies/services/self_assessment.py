"""A self-assessment one area per page: the answers of each area are kept in a draft as the person goes, so they can
stop and come back; the whole questionnaire is stored (levels.submit_self_assessment) only when every competence of
the role has an answer, and the draft is then deleted."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import Area, Competence, Role, SelfAssessmentDraft


def areas_of(role: Role) -> list[tuple[Area, list[Competence]]]:
    """The role's required competences grouped by area, areas and competences in the framework's order."""
    grouped: dict[int, tuple[Area, list[Competence]]] = {}
    for required in sorted(role.required, key=lambda r: (r.competence.area.position, r.competence.position)):
        competence = required.competence
        grouped.setdefault(competence.area_id, (competence.area, []))[1].append(competence)
    return list(grouped.values())


def draft_answers(session: Session, user_id: int, role_code: str) -> dict[str, int]:
    draft = session.scalar(
        select(SelfAssessmentDraft).where(SelfAssessmentDraft.user_id == user_id, SelfAssessmentDraft.role_code == role_code)
    )
    return dict(draft.answers or {}) if draft else {}


def save_area(session: Session, user_id: int, role_code: str, answers: dict[str, int]) -> dict[str, int]:
    """Merge one area's answers into the person's draft for the role; returns every answer so far."""
    draft = session.scalar(
        select(SelfAssessmentDraft).where(SelfAssessmentDraft.user_id == user_id, SelfAssessmentDraft.role_code == role_code)
    )
    if draft is None:
        draft = SelfAssessmentDraft(user_id=user_id, role_code=role_code, answers={})
        session.add(draft)
    draft.answers = {**(draft.answers or {}), **answers}
    session.flush()
    return dict(draft.answers)


def first_unanswered(areas: list[tuple[Area, list[Competence]]], answers: dict[str, int]) -> int | None:
    """1-based number of the first area with a competence still unanswered, None when all are answered."""
    for number, (_area, competences) in enumerate(areas, start=1):
        if any(c.code not in answers for c in competences):
            return number
    return None


def discard_draft(session: Session, user_id: int, role_code: str | None = None) -> None:
    query = delete(SelfAssessmentDraft).where(SelfAssessmentDraft.user_id == user_id)
    if role_code is not None:
        query = query.where(SelfAssessmentDraft.role_code == role_code)
    session.execute(query)
