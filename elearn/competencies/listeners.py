"""Signal receivers: the competency domain listens to course events and to RODO requests.

Receivers run inside the sender's transaction: they add rows to the session they are given and never commit.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select

from ..courses.signals import CompetenceChoice
from ..extensions import db
from .models import MODULE_COMPLETED, Evidence, SelfAssessment, SelfAssessmentDraft
from .services import framework as framework_service
from .services import levels as level_service
from .services import requests as request_service

log = logging.getLogger(__name__)


def record_module_evidence(module, *, session, user_id: int, completed_at=None, quiz_score=None, **_kwargs) -> None:
    """Completing a module evidences each competence its front matter declares, at the declared level."""
    competences = dict(getattr(module, "competences", None) or {})
    if not competences:
        return
    known = framework_service.competences_by_code(session)
    course = getattr(module, "course", None)
    slug = getattr(course, "slug", None)
    module_key = getattr(module, "key", None) or getattr(module, "id", None)
    for code, level in sorted(competences.items()):
        if code not in known:
            log.warning("module %s/%s declares unknown competence %s; no evidence recorded", slug, module_key, code)
            continue
        level_service.record_evidence(
            session,
            user_id=user_id,
            code=code,
            level=int(level),
            source=MODULE_COMPLETED,
            score=quiz_score,
            recorded_at=completed_at,
            source_type="module",
            source_id=f"{slug}/{module_key}" if slug else module_key,
            link=f"/courses/{slug}" if slug else None,
        )


def reject_unknown_codes(_course_slug, *, session, codes, **_kwargs) -> dict[str, str]:
    """Course content may only name competences that exist in the current framework."""
    framework = framework_service.current_framework(session)
    if framework is None:
        return dict.fromkeys(codes, "no competency framework is loaded (run `flask competencies load`)")
    return {
        code: f"competence {code} does not exist in the competency framework {framework.key} {framework.version}"
        for code in framework_service.unknown_codes(session, codes)
    }


def competence_catalogue(_sender, *, session, **_kwargs) -> list:
    """The current framework's competences, for the course editor's lists (courses never types a code)."""
    return [
        CompetenceChoice(c.code, c.name, c.area.code, c.area.name, c.area.role_code)
        for c in framework_service.competences_by_code(session).values()
    ]


def collect(user, **_kwargs) -> dict:
    session = db.session
    evidence = level_service.evidence_for_user(session, user.id)
    return {
        "competence_evidence": [
            {
                "competence": e.competence_code,
                "framework": f"{e.framework_key} {e.framework_version}",
                "level": e.level,
                "source": e.source,
                "score": e.score,
                "note": e.note,
                "status": e.status,
                "recorded_at": e.recorded_at.isoformat() + "Z",
                "link": e.link,
                "document": e.document_name,
            }
            for e in evidence
        ],
        "competence_levels": level_service.current_levels(session, user.id),
        "self_assessments": [
            {"role": s.role_code, "answers": s.answers, "taken_at": s.taken_at.isoformat() + "Z"}
            for s in session.scalars(select(SelfAssessment).where(SelfAssessment.user_id == user.id).order_by(SelfAssessment.taken_at))
        ],
        "self_assessment_drafts": [
            {"role": d.role_code, "answers": d.answers, "updated_at": d.updated_at.isoformat() + "Z"}
            for d in session.scalars(
                select(SelfAssessmentDraft).where(SelfAssessmentDraft.user_id == user.id).order_by(SelfAssessmentDraft.role_code)
            )
        ],
        "assessment_requests": request_service.export(session, user.id),
    }


def erase(user, *, session, **_kwargs) -> None:
    """Delete self-assessments, assessment requests and documents; evidence rows stay (aggregates), without notes or files."""
    session.execute(delete(SelfAssessment).where(SelfAssessment.user_id == user.id))
    session.execute(delete(SelfAssessmentDraft).where(SelfAssessmentDraft.user_id == user.id))
    request_service.erase(session, current_app.instance_path, user.id)
    upload_root = Path(current_app.instance_path) / "uploads" / "rpl"
    for evidence in session.scalars(select(Evidence).where(Evidence.user_id == user.id)):
        if evidence.document_path:
            path = (upload_root / evidence.document_path).resolve()
            if path.is_relative_to(upload_root.resolve()) and path.exists():
                path.unlink()
        evidence.note = None
        evidence.document_path = None
        evidence.document_name = None
        evidence.document_mimetype = None
    session.flush()
