"""Helpers for role certificate tests: confirm a role's profile through assessed evidence."""

from __future__ import annotations

from elearn.competencies.services import required_profile
from elearn.competencies.services.levels import assess_learner, record_evidence
from elearn.extensions import db

ROLE = "animator"


def animator_profile() -> dict[str, int]:
    return required_profile(db.session, ROLE)


def meet_profile(user_id: int, trainer_id: int, *, skip=(), role: str = ROLE) -> dict[str, int]:
    """Trainer assessments at the required level for every competence of the role's profile except those skipped
    (a level 3 also gets the two pieces of assessed practice the rule asks for beside the direct assessment)."""
    profile = required_profile(db.session, role)
    evidence = {}
    for code, level in profile.items():
        if code in skip:
            continue
        if level >= 3:
            for source in ("assignment", "event_assessment"):
                record_evidence(db.session, user_id=user_id, code=code, level=2, source=source, recorded_by=trainer_id)
        evidence[code] = assess_learner(
            db.session, trainer_id=trainer_id, user_id=user_id, code=code, level=level, note="Ocena praktyki w społeczności."
        ).id
    db.session.commit()
    return evidence
