"""Answers for support staff and scripts: which evidence stands behind each of a person's levels."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import PENDING, REJECTED, SELF_ASSESSMENT
from .framework import competences_by_code
from .levels import current_levels, evidence_for_user


def _supports(evidence) -> bool:
    """Evidence that can stand behind a level: never a self-assessment, never an unreviewed or rejected claim."""
    return evidence.source != SELF_ASSESSMENT and evidence.status not in (PENDING, REJECTED)


def _assessor(evidence, user_id: int) -> str | None:
    """Who confirmed it: the reviewer of a claim, or whoever recorded it when that was not the person themself."""
    if evidence.reviewer is not None:
        return evidence.reviewer.full_name
    if evidence.recorder is not None and evidence.recorded_by != user_id:
        return evidence.recorder.full_name
    return None


def _origin(evidence) -> str | None:
    """What produced it: "course/module" for modules, "assessment_request 12" and the like for other records."""
    if evidence.source_type == "module":
        return evidence.source_id
    if evidence.source_type in ("assessment_request", "assignment", "submission", "event") and evidence.source_id:
        return f"{evidence.source_type} {evidence.source_id}"
    return None


def level_sources(session: Session, user_id: int) -> list[dict]:
    """[{code, name, level, sources: [{source, level, date, assessor, origin, link}]}] for every confirmed level.

    The sources are the assessed pieces of evidence at or above the stored level (oldest first), i.e. what confirms it.
    """
    levels = current_levels(session, user_id)
    names = {code: c.name for code, c in competences_by_code(session).items()}
    by_code: dict[str, list] = {}
    for item in reversed(evidence_for_user(session, user_id)):
        if item.competence_code in levels and _supports(item) and item.level >= levels[item.competence_code]:
            by_code.setdefault(item.competence_code, []).append(item)
    return [
        {
            "code": code,
            "name": names.get(code, ""),
            "level": level,
            "sources": [
                {
                    "source": e.source,
                    "level": e.level,
                    "date": e.recorded_at.date().isoformat(),
                    "assessor": _assessor(e, user_id),
                    "origin": _origin(e),
                    "link": e.link,
                }
                for e in by_code.get(code, [])
            ],
        }
        for code, level in sorted(levels.items())
    ]
