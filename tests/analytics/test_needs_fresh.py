"""The needs analysis reads the level-count summary (competencies.services.level_counts), never stale: evidence, a
trainer's assessment, a prior-learning review, a withdrawal, a self-assessed answer, a worker moving, leaving or
losing the learner role, an institution closed or merged change the numbers at once — and they always equal what
reading every worker gives. A damaged summary is repaired by the rebuild command. Project indicators follow an
attendance and a certificate issued or revoked at once too."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, update

from elearn.accounts.models import User
from elearn.analytics.services import indicators as indicator_service
from elearn.analytics.services import needs
from elearn.competencies.models import Evidence, LevelCount
from elearn.competencies.services import level_counts, levels, withdrawal
from elearn.directory.models import Institution
from elearn.extensions import db

from .helpers import C1, C2, build_region, unit

SCOPES = (
    needs.Scope(),
    needs.Scope(role="animator"),
    needs.Scope(role="animator", area="ANI.1"),
    needs.Scope(role="animator", competence=C1),
    needs.Scope(role="mediator", institution_type="OPS"),
)


@pytest.fixture
def region(make_user):
    return build_region(make_user)


def _people(place: Institution) -> list[int]:
    return list(db.session.scalars(select(User.id).where(User.institution_id == place.id).order_by(User.id)))


def _nonzero(cells: dict) -> dict:
    return {k: v for k, v in cells.items() if v}


def _agrees() -> None:
    """The summary's counts equal a count over every worker, in every scope, and a fresh rebuild's rows."""
    for scope in (*SCOPES, needs.Scope(powiat_id=unit("0415").id)):
        analysis = needs.analyse(db.session, scope)
        assert analysis.from_summary
        fresh = needs._worker_counts(analysis)
        got, want = analysis.counts, fresh
        assert _nonzero(got.workers) == _nonzero(want.workers), scope
        assert _nonzero(got.behind) == _nonzero(want.behind), scope
        assert _nonzero(got.self_behind) == _nonzero(want.self_behind), scope
        for code in analysis.required:
            assert _nonzero(got.by_code[code]) == _nonzero(want.by_code[code]), (scope, code)
            assert _nonzero(got.self_by_code[code]) == _nonzero(want.self_by_code[code]), (scope, code)
    assert level_counts.damaged_rows(db.session) == 0


def _behind_c1() -> int:
    analysis = needs.analyse(db.session, needs.Scope(role="animator", competence=C1))
    assert analysis.from_summary
    return needs.heat_table(analysis).grand_total


def _any_behind() -> int:
    return needs.heat_table(needs.analyse(db.session, needs.Scope(role="animator", area="ANI.1"))).grand_total


def test_the_migrated_and_seeded_summary_is_complete(region):
    assert _behind_c1() == 16
    _agrees()


def test_evidence_and_a_trainer_assessment_close_a_gap_at_once(region, make_user):
    first, second = _people(region[("0415", "OPS")])[:2]  # both behind on C1 and C2
    levels.record_evidence(db.session, user_id=first, code=C1, level=2, source="imported")
    assert _behind_c1() == 15
    trainer = make_user("trainer")
    levels.assess_learner(db.session, trainer_id=trainer.id, user_id=second, code=C1, level=2, note="obserwacja")
    assert _behind_c1() == 14
    assert _any_behind() == 23  # everyone lacks ANI.1.3 (the region's evidence is on C1 and C2 only)
    for code in (C1, C2, "ANI.1.3"):
        levels.assess_learner(db.session, trainer_id=trainer.id, user_id=first, code=code, level=2, note="obserwacja")
    assert _any_behind() == 22  # the first now meets the whole area
    _agrees()


def test_an_accepted_prior_learning_claim_and_a_withdrawal_change_the_numbers(region, make_user):
    trainer = make_user("trainer")
    behind = _people(region[("0461", "DPS")])[0]
    claim = levels.record_evidence(db.session, user_id=behind, code=C1, level=2, source="prior_learning")
    assert _behind_c1() == 16  # pending: confirms nothing yet
    levels.review_prior_learning(db.session, claim, accept=True, reviewer_id=trainer.id)
    assert _behind_c1() == 15
    meeting = _people(region[("0415", "DPS")])[0]
    evidence = db.session.scalar(select(Evidence).where(Evidence.user_id == meeting, Evidence.competence_code == C1))
    withdrawal.withdraw_evidence(db.session, evidence, actor_id=trainer.id, reason="pomyłka we wpisie")
    assert _behind_c1() == 16
    _agrees()


def test_a_self_assessed_answer_counts_apart_at_once(region):
    analysis = needs.analyse(db.session, needs.Scope(role="animator", competence=C1))
    assert needs.heat_table(analysis, self_assessed=True).grand_total == 0
    for uid in _people(region[("0461", "OPS")])[:3]:
        levels.record_evidence(db.session, user_id=uid, code=C1, level=1, source="self_assessment")
    analysis = needs.analyse(db.session, needs.Scope(role="animator", competence=C1))
    assert needs.heat_table(analysis, self_assessed=True).grand_total == 3
    uid = _people(region[("0461", "OPS")])[0]
    levels.record_evidence(db.session, user_id=uid, code=C1, level=3, source="self_assessment")  # the newest answer counts
    analysis = needs.analyse(db.session, needs.Scope(role="animator", competence=C1))
    assert needs.heat_table(analysis, self_assessed=True).grand_total == 2
    _agrees()


def test_a_worker_who_moves_leaves_or_loses_the_learner_role_is_counted_where_they_are(region, make_user):
    from elearn.accounts import services as accounts

    torun_ops, bydgoszcz_dps = region[("0415", "OPS")], region[("0461", "DPS")]
    mover, leaver, demoted, erased = (db.session.get(User, uid) for uid in _people(torun_ops)[:4])  # all behind on C1
    mover.institution_id = bydgoszcz_dps.id
    db.session.flush()
    table = needs.heat_table(needs.analyse(db.session, needs.Scope(role="animator", competence=C1)))
    assert table.value(unit("0415").id, "OPS") == 4 and table.value(unit("0461").id, "DPS") == 6
    accounts.set_active(db.session, leaver, False, actor_id=None)
    assert _behind_c1() == 15
    accounts.set_roles(db.session, demoted, {"coordinator"}, actor_id=None)
    assert _behind_c1() == 14
    make_user("learner", institution_id=torun_ops.id)
    assert _behind_c1() == 15
    accounts.erase_account(db.session, erased, actor_id=None)
    db.session.flush()
    assert _behind_c1() == 14
    accounts.set_active(db.session, leaver, True, actor_id=None)
    assert _behind_c1() == 15
    _agrees()


def test_closing_or_merging_an_institution(region, make_user):
    from elearn.directory.services import merge_institutions

    region[("0461", "DPS")].active = False
    db.session.flush()
    assert _behind_c1() == 11
    region[("0461", "DPS")].active = True
    db.session.flush()
    assert _behind_c1() == 16
    region[("0461", "DPS")].type = "PCPR"  # an institution edited: its workers move to another cell
    region[("0415", "DPS")].served_area_id = unit("0461").id
    db.session.flush()
    table = needs.heat_table(needs.analyse(db.session, needs.Scope(role="animator", competence=C1)))
    assert table.value(unit("0461").id, "PCPR") == 5 and table.bases[(unit("0461").id, "DPS")] == 5
    _agrees()
    merge_institutions(db.session, region[("0415", "OPS")], region[("0415", "DPS")], actor_id=make_user("admin").id)
    table = needs.heat_table(needs.analyse(db.session, needs.Scope(role="animator", competence=C1)))
    assert table.value(unit("0415").id, "OPS") == 5 and table.bases[(unit("0415").id, "OPS")] == 11  # the DPS staff met C1
    _agrees()


def test_random_changes_keep_the_summary_equal_to_every_workers_count(region, make_user):
    rng = random.Random(15)
    trainer = make_user("trainer")
    people = [uid for place in region.values() for uid in _people(place)]
    places = list(region.values())
    for _ in range(40):
        uid, code = rng.choice(people), rng.choice((C1, C2, "ANI.1.3", "WSP.1.1"))
        step = rng.randrange(5)
        if step == 0:
            levels.assess_learner(db.session, trainer_id=trainer.id, user_id=uid, code=code, level=rng.randrange(1, 4), note="")
        elif step == 1:
            levels.record_evidence(db.session, user_id=uid, code=code, level=rng.randrange(0, 4), source="self_assessment")
        elif step == 2:
            db.session.get(User, uid).institution_id = rng.choice(places).id
        elif step == 3:
            user = db.session.get(User, uid)
            user.active = not user.active
        else:
            levels.recompute_levels(db.session, uid)
        db.session.flush()
    _agrees()


def test_rebuild_command_repairs_a_damaged_summary(region, runner):
    db.session.execute(update(LevelCount).where(LevelCount.kind == level_counts.AT_LEAST, LevelCount.key == C1).values(count=0))
    db.session.execute(delete(LevelCount).where(LevelCount.kind == level_counts.GAP))
    assert level_counts.damaged_rows(db.session) > 0
    assert _behind_c1() == 23  # everyone reads as behind: the damage shows
    result = runner.invoke(args=["analytics", "rebuild-summary"])
    assert result.exit_code == 0, result.output
    assert "23 workers" in result.output
    assert _behind_c1() == 16
    _agrees()


def test_a_requirement_the_summary_does_not_hold_is_counted_from_every_worker(region):
    required = needs.required_levels(db.session, needs.Scope(role="animator"))
    db.session.execute(delete(LevelCount).where(LevelCount.kind == level_counts.BUILT, LevelCount.key == level_counts.signature(required)))
    analysis = needs.analyse(db.session, needs.Scope(role="animator"))
    assert not analysis.from_summary
    assert needs.heat_table(analysis).grand_total == 23  # every worker lacks some animator competence


# --- indicators: attendance and certificates ------------------------------------------------------------------


def _indicator(key: str, start: date, end: date) -> int:
    return next(i.value for i in indicator_service.indicators(db.session, start, end) if i.key == key)


def test_attendance_changes_the_indicators_at_once(make_user):
    from datetime import time

    from elearn.events.services import attendance
    from elearn.events.services import registration as registering
    from tests.events.helpers import make_event

    staff = make_user("issuer")
    people = [make_user("learner") for _ in range(3)]
    day = date.today() - timedelta(days=10)
    event = make_event(capacity=10, sessions=[(day, time(9), time(12))])
    regs = [registering.register(db.session, event.id, p, actor=staff) for p in people]
    db.session.flush()
    period = (day - timedelta(days=1), day + timedelta(days=1))
    assert _indicator("places", *period) == 0
    attendance.set_attendance(db.session, event, {event.sessions[0].id: {r.id for r in regs[:2]}}, actor_id=staff.id)
    assert _indicator("places", *period) == 2 and _indicator("persons", *period) == 2
    attendance.set_attendance(db.session, event, {event.sessions[0].id: {regs[2].id}}, actor_id=staff.id)
    assert _indicator("places", *period) == 1


def test_a_certificate_issued_then_revoked_changes_the_indicators_at_once(make_user):
    from elearn.certificates import services as certificates
    from tests.certificates.helpers import complete, course

    issuer = make_user("issuer")
    learner = make_user("learner")
    complete(learner.id)
    today = date.today()
    period = (today - timedelta(days=30), today + timedelta(days=1))
    before = _indicator("raised", *period)
    issued = certificates.issue_certificate(db.session, learner, course(), issued_by_id=issuer.id, email_holder=False)
    assert _indicator("raised", *period) == before + 1
    certificates.revoke(db.session, issued, reason="błąd w danych", actor_id=issuer.id)
    assert _indicator("raised", *period) == before
