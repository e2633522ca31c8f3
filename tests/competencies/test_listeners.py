"""Course events become evidence; course validation rejects unknown codes; RODO export/erase."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from elearn.accounts import services as accounts
from elearn.competencies.models import Evidence, SelfAssessment
from elearn.competencies.services import current_framework, levels
from elearn.courses.signals import course_validating, module_completed
from elearn.extensions import db


def fake_module(**competences):
    course = SimpleNamespace(slug="animator-spolecznosci-lokalnej")
    return SimpleNamespace(id=7, key="wejscie-w-spolecznosc", title="Wejście", course=course, competences=competences)


def test_module_completed_records_evidence_and_raises_levels(make_user):
    user = make_user()
    module = fake_module(**{"ANI.1.1": 2, "ANI.1.3": 1})
    when = datetime(2026, 3, 1, 10, 0)
    module_completed.send(module, session=db.session, user_id=user.id, completed_at=when, quiz_score=85)
    rows = db.session.scalars(db.select(Evidence).where(Evidence.user_id == user.id).order_by(Evidence.competence_code)).all()
    assert [(e.competence_code, e.level, e.source, e.score) for e in rows] == [
        ("ANI.1.1", 2, "module_completed", 85),
        ("ANI.1.3", 1, "module_completed", 85),
    ]
    assert rows[0].link == "/courses/animator-spolecznosci-lokalnej"
    assert rows[0].source_id == "animator-spolecznosci-lokalnej/wejscie-w-spolecznosc"
    assert rows[0].recorded_at == when
    assert rows[0].recorded_by is None
    assert rows[0].framework_version == "1.1"
    assert levels.current_levels(db.session, user.id) == {"ANI.1.1": 1, "ANI.1.3": 1}  # a module confers at most level 1


def test_listener_does_not_commit(make_user):
    user = make_user()
    module_completed.send(fake_module(**{"WSP.1.1": 1}), session=db.session, user_id=user.id, completed_at=None, quiz_score=None)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Evidence.id)).where(Evidence.user_id == user.id)) == 0


def test_unknown_codes_in_module_are_skipped(make_user):
    user = make_user()
    module_completed.send(fake_module(**{"ANI.9.9": 2}), session=db.session, user_id=user.id, completed_at=None, quiz_score=None)
    assert levels.current_levels(db.session, user.id) == {}


def test_course_validation_rejects_unknown_codes():
    answers = course_validating.send("kurs", session=db.session, codes={"ANI.1.1", "ANI.9.9"})
    rejected = {}
    for _receiver, result in answers:
        rejected.update(result or {})
    assert set(rejected) == {"ANI.9.9"}
    assert "does not exist" in rejected["ANI.9.9"]


def test_rodo_export_and_erase(make_user):
    user = make_user()
    levels.record_evidence(db.session, user_id=user.id, code="ANI.1.1", level=2, source="trainer_assessment", note="Dobra praca z grupą")
    framework_id = current_framework(db.session).id
    db.session.add(SelfAssessment(user_id=user.id, framework_id=framework_id, role_code="animator", answers={"ANI.1.1": 1}))
    db.session.flush()
    data = accounts.export_personal_data(user)
    assert data["competence_levels"] == {"ANI.1.1": 2}
    assert data["competence_evidence"][0]["note"] == "Dobra praca z grupą"
    assert data["self_assessments"][0]["answers"] == {"ANI.1.1": 1}

    accounts.erase_account(db.session, user, actor_id=user.id)
    assert db.session.scalar(db.select(db.func.count(SelfAssessment.id)).where(SelfAssessment.user_id == user.id)) == 0
    evidence = db.session.scalars(db.select(Evidence).where(Evidence.user_id == user.id)).all()
    assert len(evidence) == 1
    assert evidence[0].note is None
    assert evidence[0].level == 2
