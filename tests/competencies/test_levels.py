"""The derivation rule: stored levels always equal a recomputation from evidence (property-based)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elearn.accounts import services as accounts
from elearn.competencies.models import (
    PRIOR_LEARNING,
    SELF_ASSESSMENT,
    SOURCES,
    CompetenceLevel,
    Evidence,
    EvidenceImmutableError,
)
from elearn.competencies.services import levels
from elearn.core.timeutil import utcnow
from elearn.extensions import db

CODES = ["ANI.1.1", "ANI.1.2", "MED.2.1", "WSP.1.1"]


def stored(user_id: int) -> dict[str, int]:
    rows = db.session.scalars(db.select(CompetenceLevel).where(CompetenceLevel.user_id == user_id))
    return {r.code: r.level for r in rows}


_users = iter(range(10**6))


def fresh_user() -> int:
    user = accounts.create_user(
        db.session,
        email=f"prop{next(_users)}@example.org",
        full_name="Jan Testowy",
        password="Haslo-testowe-2026",
        roles=("learner",),
        institution_id=None,
        job_title=None,
    )
    db.session.flush()
    return user.id


# An action: (code, level, source, review) where review is None (leave pending) or True/False (accept/reject).
action = st.tuples(st.sampled_from(CODES), st.integers(0, 3), st.sampled_from(SOURCES), st.sampled_from([None, True, False]))
PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def apply(user_id: int, actions, start=None) -> None:
    start = start or utcnow()
    reviewer_id = fresh_user()  # nobody reviews their own claim
    for i, (code, level, source, review) in enumerate(actions):
        item = levels.record_evidence(
            db.session, user_id=user_id, code=code, level=level, source=source, recorded_at=start + timedelta(minutes=i)
        )
        if source == PRIOR_LEARNING and review is not None:
            levels.review_prior_learning(db.session, item, accept=review, reviewer_id=reviewer_id)


@PROPS
@given(st.lists(action, max_size=15))
def test_stored_levels_equal_recompute_from_scratch(app, actions):
    user_id = fresh_user()
    apply(user_id, actions)
    incremental = stored(user_id)
    assert levels.recompute_levels(db.session, user_id) == incremental
    assert stored(user_id) == incremental
    assert levels.current_levels(db.session, user_id) == incremental


@PROPS
@given(st.lists(action, max_size=12), action)
def test_levels_never_go_down(app, actions, extra):
    """Monotone although level 3 counts pieces: every clause is "exists" or "at least N", so more evidence helps."""
    user_id = fresh_user()
    apply(user_id, actions)
    before = stored(user_id)
    apply(user_id, [extra])
    after = stored(user_id)
    assert all(after.get(code, 0) >= level for code, level in before.items())


@PROPS
@given(st.lists(action, max_size=12), st.lists(st.tuples(st.sampled_from(CODES), st.integers(0, 3)), min_size=1, max_size=6))
def test_self_assessment_never_changes_levels(app, actions, selfs):
    user_id = fresh_user()
    apply(user_id, actions)
    before = stored(user_id)
    apply(user_id, [(code, level, SELF_ASSESSMENT, None) for code, level in selfs])
    assert stored(user_id) == before


@PROPS
@given(st.lists(action, max_size=12), st.randoms(use_true_random=False))
def test_order_of_evidence_does_not_matter(app, actions, rnd):
    first, second = fresh_user(), fresh_user()
    apply(first, actions)
    shuffled = list(actions)
    rnd.shuffle(shuffled)
    apply(second, shuffled)
    assert stored(first) == stored(second)


def record(user_id: int, code: str, level: int, source: str):
    return levels.record_evidence(db.session, user_id=user_id, code=code, level=level, source=source)


def test_reading_and_quiz_confer_at_most_level_1(make_user):
    user = make_user()
    record(user.id, "ANI.1.1", 2, "module_completed")
    record(user.id, "ANI.1.1", 3, "quiz_passed")
    record(user.id, "ANI.1.2", 1, "quiz_passed")
    assert levels.current_levels(db.session, user.id) == {"ANI.1.1": 1, "ANI.1.2": 1}


@pytest.mark.parametrize("source", ["assignment", "event_assessment", "trainer_assessment", "imported"])
def test_assessed_practice_confirms_level_2_but_not_3_on_its_own(make_user, source):
    user = make_user()
    record(user.id, "ANI.1.1", 1, "module_completed")
    record(user.id, "ANI.1.1", 2, source)
    assert levels.current_levels(db.session, user.id) == {"ANI.1.1": 2}
    record(user.id, "MED.2.1", 3, source)
    assert levels.current_levels(db.session, user.id)["MED.2.1"] == 2


def test_prior_learning_confirms_level_2_only_once_accepted(make_user):
    user, trainer = make_user(), make_user("trainer")
    claim = record(user.id, "ANI.1.2", 3, "prior_learning")
    assert claim.status == "pending"
    assert levels.current_levels(db.session, user.id) == {}
    levels.review_prior_learning(db.session, claim, accept=True, reviewer_id=trainer.id)
    assert levels.current_levels(db.session, user.id) == {"ANI.1.2": 2}
    rejected = record(user.id, "ANI.1.1", 2, "prior_learning")
    levels.review_prior_learning(db.session, rejected, accept=False, reviewer_id=trainer.id)
    assert levels.levels_for_codes(db.session, user.id, ["ANI.1.1", "ANI.1.2"]) == {"ANI.1.1": 0, "ANI.1.2": 2}


def test_level_3_needs_two_pieces_of_practice_and_a_direct_assessment(make_user):
    user = make_user()
    record(user.id, "ANI.1.1", 3, "trainer_assessment")
    record(user.id, "ANI.1.1", 2, "assignment")
    assert levels.current_levels(db.session, user.id) == {"ANI.1.1": 2}  # direct assessment + one piece only
    record(user.id, "ANI.1.1", 2, "trainer_assessment")  # a trainer's level-2 assessment is a piece of practice
    assert levels.current_levels(db.session, user.id) == {"ANI.1.1": 3}
    other = make_user()
    for source in ("assignment", "event_assessment", "imported"):
        record(other.id, "ANI.1.1", 2, source)
    assert levels.current_levels(db.session, other.id) == {"ANI.1.1": 2}  # practice without a direct assessment
    record(other.id, "ANI.1.1", 3, "event_assessment")  # a trainer's assessment at an event is direct too
    assert levels.current_levels(db.session, other.id) == {"ANI.1.1": 3}
    assert levels.recompute_levels(db.session, other.id) == {"ANI.1.1": 3}


def test_self_assessment_confirms_nothing(make_user):
    user = make_user()
    record(user.id, "ANI.1.1", 3, "self_assessment")
    assert levels.current_levels(db.session, user.id) == {}


def test_evidence_is_append_only(make_user):
    user = make_user()
    item = record(user.id, "ANI.1.1", 2, "assignment")
    db.session.commit()
    item.level = 3
    with pytest.raises(EvidenceImmutableError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(Evidence, item.id))
    with pytest.raises(EvidenceImmutableError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(EvidenceImmutableError):
        db.session.execute(db.delete(Evidence).where(Evidence.id == item.id))
    db.session.rollback()
    with pytest.raises(ValueError, match="pending prior-learning"):
        levels.review_prior_learning(db.session, db.session.get(Evidence, item.id), accept=True, reviewer_id=user.id)


def test_recompute_repairs_a_damaged_level_cache(make_user):
    user = make_user()
    levels.record_evidence(db.session, user_id=user.id, code="ANI.1.1", level=2, source="assignment")
    levels.record_evidence(db.session, user_id=user.id, code="ANI.1.2", level=1, source="trainer_assessment")
    levels.record_evidence(db.session, user_id=user.id, code="MED.2.1", level=3, source="self_assessment")  # confirms nothing
    damaged = db.session.scalar(db.select(CompetenceLevel).where(CompetenceLevel.user_id == user.id, CompetenceLevel.code == "ANI.1.1"))
    damaged.level = 3  # too high
    db.session.delete(
        db.session.scalar(db.select(CompetenceLevel).where(CompetenceLevel.user_id == user.id, CompetenceLevel.code == "ANI.1.2"))
    )  # missing
    db.session.add(CompetenceLevel(user_id=user.id, code="WSP.1.1", level=2))  # no evidence at all
    db.session.add(CompetenceLevel(user_id=user.id, code="MED.2.1", level=1))  # only a self-assessment behind it
    db.session.flush()

    assert levels.recompute_levels(db.session, user.id) == {"ANI.1.1": 2, "ANI.1.2": 1}
    db.session.expire_all()
    assert stored(user.id) == {"ANI.1.1": 2, "ANI.1.2": 1}


def test_recompute_leaves_other_people_alone(make_user):
    user, other = make_user(), make_user()
    levels.record_evidence(db.session, user_id=other.id, code="ANI.1.1", level=2, source="assignment")
    levels.recompute_levels(db.session, user.id)
    assert stored(other.id) == {"ANI.1.1": 2} and stored(user.id) == {}


def test_recompute_leaves_out_withdrawn_evidence(make_user):
    from elearn.competencies.services.withdrawal import withdraw_evidence

    user, other, trainer = make_user(), make_user(), make_user("trainer")
    levels.record_evidence(db.session, user_id=user.id, code="ANI.1.1", level=1, source="module_completed")
    practice = levels.record_evidence(db.session, user_id=user.id, code="ANI.1.1", level=2, source="assignment")
    levels.record_evidence(db.session, user_id=user.id, code="MED.2.1", level=2, source="assignment")
    theirs = levels.record_evidence(db.session, user_id=other.id, code="WSP.1.1", level=2, source="assignment")
    withdraw_evidence(db.session, theirs, actor_id=trainer.id, reason="Pomyłka w osobie.")  # someone else's withdrawal
    assert levels.recompute_levels(db.session, user.id) == {"ANI.1.1": 2, "MED.2.1": 2}
    withdraw_evidence(db.session, practice, actor_id=trainer.id, reason="Praca nie była samodzielna.")
    assert levels.recompute_levels(db.session, user.id) == {"ANI.1.1": 1, "MED.2.1": 2}
    assert stored(user.id) == {"ANI.1.1": 1, "MED.2.1": 2} and stored(other.id) == {}
    # New evidence for the code re-derives it without the withdrawn piece too.
    levels.record_evidence(db.session, user_id=user.id, code="ANI.1.1", level=1, source="quiz_passed")
    assert stored(user.id) == {"ANI.1.1": 1, "MED.2.1": 2}


@pytest.mark.parametrize(("accept", "decision", "expected"), [(True, "accepted", {"ANI.1.2": 2}), (False, "rejected", {})])
def test_reviewing_a_prior_learning_claim_writes_its_audit_entry(make_user, accept, decision, expected):
    from elearn.core.models import AuditEntry

    learner, trainer = make_user(), make_user("trainer")
    claim = levels.record_evidence(db.session, user_id=learner.id, code="ANI.1.2", level=3, source=PRIOR_LEARNING)
    levels.review_prior_learning(db.session, claim, accept=accept, reviewer_id=trainer.id)
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "competencies.rpl_review")).all()
    assert [(e.actor_id, e.target_type, e.target_id) for e in entries] == [(trainer.id, "Evidence", str(claim.id))]
    assert entries[0].details == {"decision": decision, "learner_id": learner.id, "code": "ANI.1.2", "level": 3}
    assert (claim.status, claim.reviewed_by, claim.reviewed_at is not None) == (decision, trainer.id, True)
    assert stored(learner.id) == expected


def test_trainer_assessment_records_who_assessed_and_audits_it(make_user):
    from elearn.core.models import AuditEntry

    learner, trainer = make_user(), make_user("trainer")
    evidence = levels.assess_learner(
        db.session, trainer_id=trainer.id, user_id=learner.id, code="ANI.2.1", level=2, note="Prowadził zebranie"
    )
    assert (evidence.source, evidence.source_type, evidence.source_id, evidence.recorded_by) == (
        "trainer_assessment",
        "trainer",
        str(trainer.id),
        trainer.id,
    )
    assert (evidence.competence_code, evidence.level, evidence.note) == ("ANI.2.1", 2, "Prowadził zebranie")
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "competencies.assess"))
    assert (entry.actor_id, entry.target_type, entry.target_id) == (trainer.id, "Evidence", str(evidence.id))
    assert entry.details == {"learner_id": learner.id, "code": "ANI.2.1", "level": 2}
    assert stored(learner.id) == {"ANI.2.1": 2}


def test_latest_self_assessment_per_code_ignores_other_sources_and_people(make_user):
    user, other = make_user(), make_user()
    start = utcnow()

    def record(user_id, code, level, source, minutes):
        levels.record_evidence(
            db.session, user_id=user_id, code=code, level=level, source=source, recorded_at=start + timedelta(minutes=minutes)
        )

    record(user.id, "ANI.1.1", 2, SELF_ASSESSMENT, 10)  # newer, but stored first
    record(user.id, "ANI.1.1", 1, SELF_ASSESSMENT, 5)
    record(user.id, "ANI.1.2", 1, SELF_ASSESSMENT, 7)
    record(user.id, "ANI.1.2", 3, SELF_ASSESSMENT, 7)  # same moment: the later row wins
    record(user.id, "MED.2.1", 3, "module_completed", 20)
    record(other.id, "WSP.1.1", 2, SELF_ASSESSMENT, 1)
    assert levels.latest_self_assessed(db.session, user.id) == {"ANI.1.1": 2, "ANI.1.2": 3}


def test_evidence_of_a_person_newest_first(make_user):
    user, other = make_user(), make_user()
    start = utcnow()
    first = levels.record_evidence(db.session, user_id=user.id, code="ANI.1.1", level=1, source="module_completed", recorded_at=start)
    same = levels.record_evidence(db.session, user_id=user.id, code="ANI.1.2", level=1, source="module_completed", recorded_at=start)
    later = levels.record_evidence(
        db.session, user_id=user.id, code="MED.2.1", level=2, source="module_completed", recorded_at=start + timedelta(hours=1)
    )
    levels.record_evidence(db.session, user_id=other.id, code="ANI.1.1", level=3, source="module_completed", recorded_at=start)
    imported = levels.record_evidence(  # stored last, dated a year back
        db.session, user_id=user.id, code="WSP.1.1", level=2, source="imported", recorded_at=start - timedelta(days=365)
    )
    assert [e.id for e in levels.evidence_for_user(db.session, user.id)] == [later.id, same.id, first.id, imported.id]


def test_record_evidence_refuses_what_it_cannot_record(make_user, monkeypatch):
    user = make_user()
    with pytest.raises(ValueError, match=r"^unknown evidence source 'rumour'$"):
        levels.record_evidence(db.session, user_id=user.id, code="ANI.1.1", level=1, source="rumour")
    with pytest.raises(ValueError, match=r"^level must be 0–3, not 4$"):
        levels.record_evidence(db.session, user_id=user.id, code="ANI.1.1", level=4, source="module_completed")
    monkeypatch.setattr(levels, "current_framework", lambda _session: None)
    with pytest.raises(RuntimeError, match=r"^no competency framework is loaded: run `flask competencies load`$"):
        levels.record_evidence(db.session, user_id=user.id, code="ANI.1.1", level=1, source="module_completed")


def test_only_prior_learning_claims_start_pending_and_are_reviewed_once(make_user):
    user, trainer = make_user(), make_user("trainer")
    module = levels.record_evidence(db.session, user_id=user.id, code="ANI.1.1", level=1, source="module_completed")
    claim = levels.record_evidence(db.session, user_id=user.id, code="ANI.1.2", level=2, source=PRIOR_LEARNING)
    assert (module.status, claim.status) == (None, "pending")
    assert (module.source_type, module.source_id) == (None, None)  # no source given: none recorded, not "None"
    levels.review_prior_learning(db.session, claim, accept=True, reviewer_id=trainer.id)
    with pytest.raises(ValueError, match=r"^only a pending prior-learning claim can be reviewed$"):
        levels.review_prior_learning(db.session, claim, accept=False, reviewer_id=trainer.id)
    assert claim.status == "accepted" and stored(user.id) == {"ANI.1.1": 1, "ANI.1.2": 2}
