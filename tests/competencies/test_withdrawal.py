"""Withdrawing evidence: a row of its own (evidence stays append-only), levels recomputed without it, a signal sent,
and only trainers and admins may do it, never about themselves."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.competencies.models import Evidence, EvidenceWithdrawal
from elearn.competencies.services import CannotWithdraw, current_levels, recompute_levels, withdraw_evidence
from elearn.competencies.services.levels import record_evidence
from elearn.competencies.signals import evidence_withdrawn
from elearn.extensions import db


@pytest.fixture
def trainer(make_user):
    return make_user("trainer")


@pytest.fixture
def learner(make_user):
    return make_user("learner")


def assess(learner, trainer, code="ANI.1.1", level=2) -> Evidence:
    return record_evidence(db.session, user_id=learner.id, code=code, level=level, source="trainer_assessment", recorded_by=trainer.id)


def test_withdrawal_lowers_the_level_to_what_remaining_evidence_confirms_and_signals(learner, trainer):
    lower = assess(learner, trainer, level=1)
    higher = assess(learner, trainer, level=3)
    received = []

    def receiver(sender, **kwargs):
        received.append((sender.id, kwargs["withdrawal"].reason))

    evidence_withdrawn.connect(receiver)
    try:
        withdraw_evidence(db.session, higher, actor_id=trainer.id, reason="Ocena innej osoby")
    finally:
        evidence_withdrawn.disconnect(receiver)
    assert current_levels(db.session, learner.id)["ANI.1.1"] == 1
    assert recompute_levels(db.session, learner.id)["ANI.1.1"] == 1  # a rebuild agrees
    assert received == [(higher.id, "Ocena innej osoby")]
    assert db.session.get(Evidence, higher.id).level == 3  # the evidence row itself is unchanged
    withdraw_evidence(db.session, lower, actor_id=trainer.id, reason="Też błędna")
    assert "ANI.1.1" not in current_levels(db.session, learner.id)


def test_refusals(learner, trainer):
    selfie = record_evidence(db.session, user_id=learner.id, code="ANI.1.1", level=3, source="self_assessment", recorded_by=learner.id)
    with pytest.raises(CannotWithdraw):
        withdraw_evidence(db.session, selfie, actor_id=trainer.id, reason="Samoocena")
    claim = record_evidence(db.session, user_id=learner.id, code="ANI.1.1", level=2, source="prior_learning", recorded_by=learner.id)
    with pytest.raises(CannotWithdraw):
        withdraw_evidence(db.session, claim, actor_id=trainer.id, reason="Niezweryfikowany wniosek")
    own = record_evidence(db.session, user_id=trainer.id, code="ANI.1.1", level=2, source="trainer_assessment", recorded_by=learner.id)
    with pytest.raises(CannotWithdraw):
        withdraw_evidence(db.session, own, actor_id=trainer.id, reason="O sobie")
    assert db.session.scalar(select(EvidenceWithdrawal.id)) is None


def test_only_trainers_and_admins_withdraw_through_the_page(client, login, learner, trainer, make_user):
    item = assess(learner, trainer)
    db.session.commit()
    url = f"/competencies/learners/{learner.id}/withdrawals"
    data = {"evidence_id": item.id, "reason": "Ocena wpisana omyłkowo", "confirmed": "1"}
    login(learner)
    assert client.post(url, data=data).status_code == 403
    admin = make_user("admin")
    login(admin)
    page = client.get(f"/competencies/learners/{learner.id}").get_data(as_text=True)
    assert "Wycofanie dowodu" in page
    unconfirmed = client.post(url, data={k: v for k, v in data.items() if k != "confirmed"})
    assert unconfirmed.status_code == 200 and "Wycofać ten dowód" in unconfirmed.get_data(as_text=True)
    assert db.session.scalar(select(EvidenceWithdrawal.id)) is None
    assert client.post(url, data=data).status_code == 302
    assert db.session.scalar(select(EvidenceWithdrawal).where(EvidenceWithdrawal.evidence_id == item.id)).withdrawn_by == admin.id
    login(trainer)
    history = client.get(f"/competencies/learners/{learner.id}").get_data(as_text=True)
    assert "wycofany" in history
    again = client.post(url, data=data)
    assert again.status_code == 400  # no longer a choice: the field error names it
    assert 'aria-invalid="true"' in again.get_data(as_text=True)


def test_evidence_recorded_after_a_withdrawal_does_not_bring_the_withdrawn_level_back(learner, trainer):
    """Found by the role-eligibility property: the per-code update after new evidence read withdrawn evidence too."""
    wrong = assess(learner, trainer, level=2)
    withdraw_evidence(db.session, wrong, actor_id=trainer.id, reason="Ocena wpisana omyłkowo")
    record_evidence(db.session, user_id=learner.id, code="ANI.1.1", level=1, source="trainer_assessment", recorded_by=trainer.id)
    assert current_levels(db.session, learner.id) == {"ANI.1.1": 1} == recompute_levels(db.session, learner.id)
