"""Nobody assesses or reviews their own competences, whatever the route (issue 9, finding 5)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.competencies.models import TRAINER_ASSESSMENT, Evidence
from elearn.competencies.services import levels, rpl
from elearn.courses.models import Enrolment
from elearn.extensions import db
from tests.certificates.helpers import course

PDF = b"%PDF-1.4\n%own\n"


@pytest.fixture
def trainer_learner(make_user):
    """A trainer who is also a learner, enrolled in a shared course, so the trainer has a reason to open the page."""
    user = make_user("trainer", "learner", full_name="Tomasz Trenerski")
    db.session.add(Enrolment(user_id=user.id, course_id=course().id))
    db.session.commit()
    return user


def test_trainer_cannot_assess_themselves_through_the_page(client, login, trainer_learner):
    login(trainer_learner)
    response = client.post(
        f"/competencies/learners/{trainer_learner.id}/assessments", data={"code": "ANI.1.1", "level": "3", "note": "samoocena"}
    )
    assert response.status_code == 400
    assert "Nie możesz oceniać własnych kompetencji" in response.get_data(as_text=True)
    assert db.session.scalar(select(Evidence).where(Evidence.user_id == trainer_learner.id)) is None
    assert levels.current_levels(db.session, trainer_learner.id) == {}


def test_the_service_refuses_own_assessment_from_any_caller(trainer_learner):
    with pytest.raises(levels.OwnEvidenceRefused):
        levels.assess_learner(db.session, trainer_id=trainer_learner.id, user_id=trainer_learner.id, code="ANI.1.1", level=3, note="x")
    with pytest.raises(levels.OwnEvidenceRefused):
        levels.record_evidence(
            db.session, user_id=trainer_learner.id, code="ANI.1.1", level=3, source=TRAINER_ASSESSMENT, recorded_by=trainer_learner.id
        )


def test_trainer_cannot_accept_their_own_prior_learning_claim(app, client, login, trainer_learner):
    claim = rpl.submit_claim(
        db.session, instance_path=app.instance_path, user_id=trainer_learner.id, code="POL.1.1", level=3, note=None,
        filename="dyplom.pdf", content=PDF,
    )  # fmt: skip
    db.session.commit()
    with pytest.raises(levels.OwnEvidenceRefused):
        levels.review_prior_learning(db.session, claim, accept=True, reviewer_id=trainer_learner.id)
    db.session.rollback()
    login(trainer_learner)
    response = client.post(f"/competencies/evidence/{claim.id}/review", data={"confirmed": "1", "accept": "1"}, follow_redirects=True)
    assert "Nie możesz oceniać własnych kompetencji" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Evidence, claim.id).status == "pending"
    assert levels.current_levels(db.session, trainer_learner.id) == {}
