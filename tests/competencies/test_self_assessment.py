"""Submitting a self-assessment stores the answers as evidence and leaves one audit entry for the submission."""

from __future__ import annotations

from sqlalchemy import select

from elearn.competencies.models import SELF_ASSESSMENT, Evidence, SelfAssessment
from elearn.competencies.services import required_profile
from elearn.core.models import AuditEntry
from elearn.extensions import db
from tests.helpers import answer_self_assessment


def test_submission_is_evidence_and_audited(client, login_as):
    user = login_as("learner")
    codes = list(required_profile(db.session, "mediator"))
    response = answer_self_assessment(client, "mediator", {f"c_{c.replace('.', '_')}": "2" for c in codes})
    assert response.status_code == 302
    record = db.session.scalar(select(SelfAssessment).where(SelfAssessment.user_id == user.id))
    evidence = db.session.scalars(select(Evidence).where(Evidence.user_id == user.id, Evidence.source == SELF_ASSESSMENT)).all()
    assert sorted(e.competence_code for e in evidence) == sorted(codes)
    assert {e.link for e in evidence} == {f"/competencies/self-assessment/{record.id}"}
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "competencies.self_assessment")).all()
    assert (entry.actor_id, entry.target_id, entry.details) == (user.id, str(record.id), {"role": "mediator", "answers": len(codes)})
