"""The grouped level readers (team matrix, role eligibility, needs analysis) and the self-assessment record.

Each reader answers for many people in one query; these tests pin what they answer: who meets which level, who
meets a whole profile, the newest self-assessed answer per person, and what a saved self-assessment leaves behind.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from elearn.accounts.models import User
from elearn.competencies.models import SELF_ASSESSMENT, CompetenceLevel, Evidence, SelfAssessment
from elearn.competencies.services import levels
from elearn.competencies.services.framework import current_framework, role_by_code
from elearn.core.models import AuditEntry
from elearn.core.timeutil import utcnow
from elearn.extensions import db


@pytest.fixture
def confirm(make_user):
    """confirm(user, code, level): evidence that confirms exactly that level under the derivation rule."""
    trainer = make_user("trainer")

    def give(user: User, code: str, level: int) -> None:
        if level == 1:
            levels.record_evidence(db.session, user_id=user.id, code=code, level=1, source="module_completed")
            return
        for _ in range(2 if level == 3 else 1):
            levels.record_evidence(db.session, user_id=user.id, code=code, level=2, source="assignment")
        if level == 3:
            levels.assess_learner(db.session, trainer_id=trainer.id, user_id=user.id, code=code, level=3, note="Samodzielnie.")

    return give


@pytest.fixture
def team(make_user, confirm):
    """Four people of one team (one with nothing confirmed, one below every requirement asked below) and an outsider
    who meets everything."""
    ada, bea, cyd, dot, out = (make_user(full_name=name) for name in ("Ada", "Bea", "Cyd", "Dot", "Obca"))
    confirm(ada, "ANI.1.1", 3)
    confirm(ada, "ANI.1.2", 1)
    confirm(bea, "ANI.1.1", 2)
    confirm(dot, "ANI.1.1", 1)
    confirm(dot, "ANI.2.1", 2)
    for code in ("ANI.1.1", "ANI.1.2", "MED.2.1", "ANI.2.1"):
        confirm(out, code, 3)
    assert levels.current_levels(db.session, ada.id) == {"ANI.1.1": 3, "ANI.1.2": 1}
    return ada, bea, cyd, dot, out


def _ids(*users: User):
    return db.select(User.id).where(User.id.in_([u.id for u in users]))


def test_one_request_reading_two_peoples_levels_gets_each_their_own(app, team):
    ada, bea, cyd, _dot, _out = team
    with app.test_request_context("/"):  # levels are kept for the request until it writes
        assert levels.current_levels(db.session, ada.id) == {"ANI.1.1": 3, "ANI.1.2": 1}
        assert levels.current_levels(db.session, bea.id) == {"ANI.1.1": 2}
        assert levels.current_levels(db.session, cyd.id) == {}
        assert levels.current_levels(db.session, ada.id) == {"ANI.1.1": 3, "ANI.1.2": 1}


def test_levels_for_users_gives_0_for_unconfirmed_codes_and_leaves_out_stored_zeros(team):
    ada, _bea, cyd, _dot, _out = team
    db.session.add(CompetenceLevel(user_id=cyd.id, code="WSP.1.1", level=0))  # a stored 0 confirms nothing
    db.session.flush()
    assert levels.levels_for_users(db.session, [ada.id, cyd.id, ada.id]) == {ada.id: {"ANI.1.1": 3, "ANI.1.2": 1}, cyd.id: {}}
    assert levels.levels_for_users(db.session, [ada.id, cyd.id], ["ANI.1.1", "MED.2.1"]) == {
        ada.id: {"ANI.1.1": 3, "MED.2.1": 0},
        cyd.id: {"ANI.1.1": 0, "MED.2.1": 0},
    }


def test_meeting_each_counts_the_group_per_required_level(team):
    ada, bea, cyd, dot, _out = team
    required = {"ANI.1.1": 2, "ANI.1.2": 1, "MED.2.1": 1, "ANI.2.1": 3, "WSP.1.1": 0}
    counts = levels.meeting_each(db.session, _ids(ada, bea, cyd, dot), required)
    # ANI.1.1: Ada above and Bea exactly at the level, Dot below; level 0 is met by all four, nothing confirmed too.
    assert counts == {"ANI.1.1": 2, "ANI.1.2": 1, "MED.2.1": 0, "ANI.2.1": 0, "WSP.1.1": 4}


def test_meeting_each_with_only_level_0_or_an_empty_group(team):
    ada, _bea, cyd, _dot, _out = team
    assert levels.meeting_each(db.session, _ids(ada, cyd), {"WSP.1.1": 0, "ANI.1.1": 0}) == {"WSP.1.1": 2, "ANI.1.1": 2}
    nobody = db.select(User.id).where(User.id == -1)
    assert levels.meeting_each(db.session, nobody, {"WSP.1.1": 0, "ANI.1.1": 2}) == {"WSP.1.1": 0, "ANI.1.1": 0}
    assert levels.meeting_each(db.session, _ids(ada), {}) == {}


def test_meeting_profile_selects_people_meeting_every_requirement(team, make_user, confirm):
    ada, bea, cyd, dot, out = team
    dee, eve = make_user(full_name="Dee"), make_user(full_name="Eve")
    confirm(dee, "ANI.1.1", 2)
    confirm(dee, "ANI.1.2", 2)
    confirm(eve, "ANI.1.1", 1)
    confirm(eve, "ANI.1.2", 3)
    mine = {u.id for u in (ada, bea, cyd, dot, out, dee, eve)}

    def meeting(profile):
        return set(db.session.scalars(levels.meeting_profile(profile))) & mine

    assert meeting({"ANI.1.1": 2, "ANI.1.2": 1}) == {ada.id, out.id, dee.id}
    assert meeting({"ANI.1.1": 2, "WSP.1.1": 0}) == {ada.id, bea.id, out.id, dee.id}  # level 0 asks nothing more
    assert meeting({"ANI.2.1": 3}) == {out.id}
    assert meeting({"ANI.2.1": 2}) == {dot.id, out.id}


def test_a_profile_of_level_0_is_met_by_anyone_with_a_confirmed_level(team, make_user, confirm):
    ada, bea, cyd, dot, out = team
    fay = make_user(full_name="Fay")
    confirm(fay, "WSP.1.1", 1)  # level 1 only
    db.session.add(CompetenceLevel(user_id=cyd.id, code="WSP.1.1", level=0))  # a stored 0 confirms nothing
    db.session.flush()
    assert levels.current_levels(db.session, cyd.id) == {}
    found = set(db.session.scalars(levels.meeting_profile({"WSP.1.1": 0}))) & {u.id for u in (ada, bea, cyd, dot, out, fay)}
    assert found == {ada.id, bea.id, dot.id, out.id, fay.id}


def test_self_assessed_for_users_gives_each_persons_newest_answer(make_user):
    one, two, three, other = make_user(), make_user(), make_user(), make_user()
    start = utcnow()

    def answer(user, code, level, minutes, source=SELF_ASSESSMENT):
        levels.record_evidence(
            db.session, user_id=user.id, code=code, level=level, source=source, recorded_at=start + timedelta(minutes=minutes)
        )

    answer(one, "ANI.1.1", 2, 10)  # newer, but stored first
    answer(one, "ANI.1.1", 1, 5)
    answer(one, "ANI.1.2", 1, 7)
    answer(one, "ANI.1.2", 3, 7)  # same moment: the later row wins
    answer(one, "MED.2.1", 3, 1)  # a code not asked for
    answer(one, "ANI.1.2", 2, 30, source="module_completed")  # not a self-assessment
    answer(two, "ANI.1.2", 1, 3)
    answer(other, "ANI.1.1", 3, 3)
    found = levels.self_assessed_for_users(db.session, [one.id, two.id, one.id, three.id], ["ANI.1.1", "ANI.1.2"])
    assert found == {one.id: {"ANI.1.1": 2, "ANI.1.2": 3}, two.id: {"ANI.1.2": 1}, three.id: {}}
    assert levels.self_assessed_for_users(db.session, [], ["ANI.1.1"]) == {}


def test_recent_self_assessments_newest_first_and_limited(make_user):
    user, other = make_user(), make_user()
    framework = current_framework(db.session)
    start = utcnow()
    rows = []
    for hours in (3, 1, 6, 2, 5, 4):
        row = SelfAssessment(
            user_id=user.id, framework_id=framework.id, role_code="animator", answers={}, taken_at=start + timedelta(hours=hours)
        )
        rows.append(row)
    db.session.add_all(rows)
    db.session.add(
        SelfAssessment(user_id=other.id, framework_id=framework.id, role_code="animator", answers={}, taken_at=start + timedelta(days=1))
    )
    db.session.flush()
    by_hours = {round((r.taken_at - start).total_seconds() / 3600): r.id for r in rows}
    assert [r.id for r in levels.recent_self_assessments(db.session, user.id)] == [by_hours[h] for h in (6, 5, 4, 3, 2)]
    assert [r.id for r in levels.recent_self_assessments(db.session, user.id, limit=2)] == [by_hours[6], by_hours[5]]


def test_submitting_a_self_assessment_records_answers_and_confirms_nothing(make_user):
    user = make_user()
    framework = current_framework(db.session)
    role = role_by_code(db.session, "animator")
    record = levels.submit_self_assessment(
        db.session, user_id=user.id, framework=framework, role=role, answers={"ANI.1.1": 3, "ANI.1.2": 0},
        link=lambda i: f"/competencies/self-assessment/{i}",
    )  # fmt: skip
    assert (record.user_id, record.framework_id, record.role_code, record.answers) == (
        user.id,
        framework.id,
        "animator",
        {"ANI.1.1": 3, "ANI.1.2": 0},
    )
    assert db.session.get(SelfAssessment, record.id) is record
    evidence = db.session.scalars(db.select(Evidence).where(Evidence.user_id == user.id).order_by(Evidence.competence_code))
    assert [
        (e.competence_code, e.level, e.source, e.recorded_by, e.source_type, e.source_id, e.link, e.framework_version)
        for e in evidence
    ] == [
        (code, level, SELF_ASSESSMENT, user.id, "self_assessment", str(record.id), f"/competencies/self-assessment/{record.id}",
         framework.version)
        for code, level in (("ANI.1.1", 3), ("ANI.1.2", 0))
    ]  # fmt: skip
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "competencies.self_assessment"))
    assert (entry.actor_id, entry.target_type, entry.target_id) == (user.id, "SelfAssessment", str(record.id))
    assert entry.details == {"role": "animator", "answers": 2}
    assert levels.current_levels(db.session, user.id) == {}
    assert levels.latest_self_assessed(db.session, user.id) == {"ANI.1.1": 3, "ANI.1.2": 0}
