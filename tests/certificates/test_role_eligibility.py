"""Eligibility for a role certificate ⇔ every required competence is met by assessed, not withdrawn evidence.

Hypothesis generates evidence for a few competences of the animator profile (the rest are assessed at their
required level): trainer assessments, prior-learning claims left pending, accepted or rejected, self-assessments
at any level, and withdrawals. The oracle below is written from the rule's statement, not from the code.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elearn.accounts import services as accounts
from elearn.certificates import roles
from elearn.competencies.services import withdraw_evidence
from elearn.competencies.services.levels import record_evidence, review_prior_learning
from elearn.core.timeutil import utcnow
from elearn.extensions import db

from .role_helpers import ROLE, animator_profile

VARIED = ("ANI.1.1", "WSP.2.1", "MED.1.1")  # required at 2, 2 and 1
SOURCES = ("trainer_assessment", "prior_learning", "self_assessment")
# (code, level, source, review: None = leave pending / True accept / False reject, withdraw afterwards)
REVIEWS = st.sampled_from([None, True, False])
action = st.tuples(st.sampled_from(VARIED), st.integers(0, 2), st.sampled_from(SOURCES), REVIEWS, st.booleans())
PROPS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

_emails = iter(range(10**6))


def person(role: str) -> int:
    user = accounts.create_user(
        db.session,
        email=f"elig{next(_emails)}@example.org",
        full_name="Osoba Testowa",
        password="Haslo-testowe-2026",
        roles=(role,),
        institution_id=None,
        job_title=None,
    )
    db.session.flush()
    return user.id


def oracle(actions, profile: dict[str, int]) -> set[str]:
    """The codes still missing: a code is met when a trainer assessment or an accepted prior-learning claim, not
    withdrawn, is at or above the required level. Self-assessment and pending or rejected claims never count."""
    met = set()
    for code, level, source, review, withdrawn in actions:
        counts = source == "trainer_assessment" or (source == "prior_learning" and review is True)
        if counts and not withdrawn and level >= profile[code]:
            met.add(code)
    return {code for code in VARIED if code not in met}


@PROPS
@given(st.lists(action, max_size=10))
def test_eligible_exactly_when_every_required_competence_is_met_by_assessed_evidence(app, actions):
    profile = animator_profile()
    learner, trainer = person("learner"), person("trainer")
    start = utcnow() - timedelta(days=1)
    for code, level in profile.items():
        if code not in VARIED:
            record_evidence(db.session, user_id=learner, code=code, level=level, source="trainer_assessment", recorded_by=trainer)
    for i, (code, level, source, review, withdraw) in enumerate(actions):
        by = learner if source != "trainer_assessment" else trainer
        item = record_evidence(
            db.session, user_id=learner, code=code, level=level, source=source, recorded_by=by, recorded_at=start + timedelta(minutes=i)
        )
        if source == "prior_learning" and review is not None:
            review_prior_learning(db.session, item, accept=review, reviewer_id=trainer)
        counts_as_withdrawable = source == "trainer_assessment" or (source == "prior_learning" and review is not None)
        if withdraw and counts_as_withdrawable:
            withdraw_evidence(db.session, item, actor_id=trainer, reason="Ocena okazała się błędna")
    effective = [
        (code, level, source, review, withdraw and (source == "trainer_assessment" or (source == "prior_learning" and review is not None)))
        for code, level, source, review, withdraw in actions
    ]
    expected_missing = oracle(effective, profile)
    progress = roles.progress_for(db.session, learner, ROLE)
    assert {r.code for r in progress.missing} == expected_missing
    assert progress.eligible == (not expected_missing)
    assert progress.met_count == len(profile) - len(expected_missing)
    listed = {e.user.id for e in roles.role_queue(db.session, role_code=ROLE, limit=100_000)}
    assert (learner in listed) == (not expected_missing)
