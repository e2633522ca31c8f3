"""Competency pages as learners, trainers and coordinators see them."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from elearn.competencies.models import Evidence, SelfAssessment
from elearn.competencies.services import levels
from elearn.courses.models import Enrolment
from elearn.courses.services import learning
from elearn.directory.models import Institution
from elearn.extensions import db
from tests.certificates.helpers import course as shared_course
from tests.helpers import answer_self_assessment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def complete_module(user_id: int, slug: str, position: int = 0):
    """Complete a shipped module the way a learner does: enrol, mark every lesson done, pass the quiz."""
    course, version = learning.published_course(db.session, slug)
    learning.enrol(db.session, user_id, course, version)
    module = learning.version_modules(db.session, version)[position]
    for lesson in module.lessons:
        learning.mark_lesson_done(db.session, user_id, course, version, lesson.key)
    answers = {q.position: [o.position for o in q.options if o.correct] for q in module.questions}
    result = learning.submit_quiz(db.session, user_id, course, version, module, answers)
    assert result.passed
    db.session.commit()
    return module


def test_completing_a_shipped_module_raises_levels_and_profile_shows_evidence(client, login_as):
    user = login_as("learner")
    module = complete_module(user.id, "wprowadzenie-do-osl")
    assert module.competences
    current = levels.current_levels(db.session, user.id)
    for code, level in module.competences.items():
        assert current[code] == level
    html = client.get("/competencies/profile").get_data(as_text=True)
    code = sorted(module.competences)[0]
    assert "Ukończony moduł" in html or "Module completed" in html
    assert "/courses/wprowadzenie-do-osl" in html
    assert code in html
    assert 'role="img"' in html
    assert "<title" in html
    assert "<desc" in html
    assert "Historia" in html or "History" in html


def test_profile_shows_role_shares(client, login_as):
    user = login_as("learner")
    levels.record_evidence(db.session, user_id=user.id, code="MED.1.1", level=2, source="imported")
    db.session.commit()
    html = client.get("/competencies/profile").get_data(as_text=True)
    assert "Animator społeczności lokalnej" in html
    assert "1 z 26" in html or "1 of 26" in html


def test_self_assessment_gaps_and_development_path(client, login_as):
    user = login_as("learner")
    page = client.get("/competencies/self-assessment?role=mediator").get_data(as_text=True)
    assert "<fieldset" in page
    assert "Obszar 1 z " in page  # one area per page
    assert "<legend>WSP.1.1" in page and "<legend>MED.1.1" not in page  # the common competences come first
    assert "samodzielny" in page
    answers = {f"c_{code.replace('.', '_')}": "1" for code in _profile_codes("mediator")}
    response = answer_self_assessment(client, "mediator", answers)
    assert response.status_code == 302
    record = db.session.scalar(select(SelfAssessment).where(SelfAssessment.user_id == user.id))
    assert record.role_code == "mediator"
    assert record.answers["MED.1.1"] == 1
    assert levels.current_levels(db.session, user.id) == {}  # self-assessment confirms nothing
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "MED.1.2" in html
    # The mediator course closes MED.* gaps; its prerequisite (wprowadzenie-do-osl) comes first in the path.
    assert "mediator-w-spolecznosci-lokalnej" in html
    assert html.index("/courses/wprowadzenie-do-osl") < html.index("/courses/mediator-w-spolecznosci-lokalnej")


def test_self_assessment_requires_every_answer(client, login_as):
    user = login_as("learner")
    response = client.post("/competencies/self-assessment?role=mediator", data={"c_MED_1_1": "2"})
    assert response.status_code == 200
    assert "Wybierz poziom" in response.get_data(as_text=True) or "Choose the level" in response.get_data(as_text=True)
    assert db.session.scalar(select(SelfAssessment).where(SelfAssessment.user_id == user.id)) is None


def test_self_assessment_result_is_private(client, make_user, login):
    owner = make_user("learner")
    record = SelfAssessment(user_id=owner.id, framework_id=1, role_code="animator", answers={})
    from elearn.competencies.services import current_framework

    record.framework_id = current_framework(db.session).id
    db.session.add(record)
    db.session.commit()
    login(make_user("learner"))
    assert client.get(f"/competencies/self-assessment/{record.id}").status_code == 404


def _profile_codes(role):
    from elearn.competencies.services import required_profile

    return list(required_profile(db.session, role))


def test_development_path_orders_by_impact_and_prerequisites(make_user):
    from elearn.competencies.services import gaps
    from elearn.competencies.services.path import development_path

    user = make_user()
    path = development_path(db.session, user.id, gaps(db.session, user.id, "animator"))
    slugs = [c.slug for c in path.courses]
    assert slugs.index("wprowadzenie-do-osl") < slugs.index("animator-spolecznosci-lokalnej")
    animator = next(c for c in path.courses if c.slug == "animator-spolecznosci-lokalnej")
    assert any(code.startswith("ANI.") for code in animator.closes)
    assert all(m.closes for c in path.courses for m in c.modules)
    assert "ANI.1.2" in path.by_gap


def test_trainer_assesses_learner_and_coordinator_cannot(client, make_user, login):
    learner = make_user("learner")
    db.session.add(Enrolment(user_id=learner.id, course_id=shared_course().id))  # the trainer's reason to see them
    db.session.commit()
    trainer = make_user("trainer")
    login(trainer)
    page = client.get(f"/competencies/learners/{learner.id}")
    assert page.status_code == 200
    note = "Prowadził zebranie"
    response = client.post(f"/competencies/learners/{learner.id}/assessments", data={"code": "ANI.2.1", "level": "2", "note": note})
    assert response.status_code == 302
    evidence = db.session.scalar(select(Evidence).where(Evidence.user_id == learner.id))
    assert (evidence.source, evidence.level, evidence.recorded_by, evidence.note) == ("trainer_assessment", 2, trainer.id, note)
    assert levels.current_levels(db.session, learner.id) == {"ANI.2.1": 2}

    login(make_user("coordinator"))
    url = f"/competencies/learners/{learner.id}/assessments"
    assert client.post(url, data={"code": "ANI.2.1", "level": "3", "note": "x"}).status_code == 403
    assert client.get(f"/competencies/learners/{learner.id}").status_code == 403
    assert levels.current_levels(db.session, learner.id) == {"ANI.2.1": 2}


def test_assessment_without_note_is_rejected(client, make_user, login):
    learner = make_user("learner")
    db.session.add(Enrolment(user_id=learner.id, course_id=shared_course().id))
    db.session.commit()
    login(make_user("trainer"))
    response = client.post(f"/competencies/learners/{learner.id}/assessments", data={"code": "ANI.2.1", "level": "2", "note": ""})
    assert response.status_code == 400
    assert db.session.scalar(select(Evidence).where(Evidence.user_id == learner.id)) is None


def test_prior_learning_upload_review_and_document_access(client, make_user, login, app):
    learner = make_user("learner")
    login(learner)
    data = {"code": "POL.1.1", "level": "2", "note": "Studia podyplomowe", "document": (io.BytesIO(PDF), "zaswiadczenie.pdf")}
    response = client.post("/competencies/prior-learning", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    claim = db.session.scalar(select(Evidence).where(Evidence.user_id == learner.id))
    assert claim.status == "pending"
    assert claim.document_name == "zaswiadczenie.pdf"
    assert app.instance_path
    assert claim.document_path.endswith(".pdf")
    assert levels.current_levels(db.session, learner.id) == {}
    assert client.get(f"/competencies/evidence/{claim.id}/document").data == PDF

    login(make_user("learner"))
    assert client.get(f"/competencies/evidence/{claim.id}/document").status_code == 404

    trainer = login(make_user("trainer"))
    assert client.get(f"/competencies/evidence/{claim.id}/document").status_code == 200
    assert "zaswiadczenie.pdf" in client.get(f"/competencies/learners/{learner.id}").get_data(as_text=True)
    response = client.post(f"/competencies/evidence/{claim.id}/review", data={"confirmed": "1", "accept": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    claim = db.session.get(Evidence, claim.id)
    assert (claim.status, claim.reviewed_by) == ("accepted", trainer.id)
    assert levels.current_levels(db.session, learner.id) == {"POL.1.1": 2}


def test_prior_learning_rejects_a_fake_pdf(client, login_as):
    user = login_as("learner")
    data = {"code": "POL.1.1", "level": "2", "document": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "wirus.pdf")}
    response = client.post("/competencies/prior-learning", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert db.session.scalar(select(Evidence).where(Evidence.user_id == user.id)) is None


def test_prior_learning_upload_when_the_server_cannot_store_files_says_so_and_records_nothing(client, login_as, app, monkeypatch):
    """A full disk or an unwritable instance/uploads: a clear Polish message on the form, no claim pointing at nothing."""
    from pathlib import Path

    from elearn.competencies.services import rpl

    blocked = Path(app.instance_path) / "uploads-blocked"
    blocked.write_text("a file where the upload folder should be")
    monkeypatch.setattr(rpl, "upload_dir", lambda _instance_path: blocked / "rpl")
    user = login_as("learner")
    data = {"code": "POL.1.1", "level": "1", "document": (io.BytesIO(PDF), "zaswiadczenie.pdf")}
    response = client.post("/competencies/prior-learning", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Nie udało się zapisać pliku na serwerze" in response.get_data(as_text=True)
    assert db.session.scalar(select(Evidence).where(Evidence.user_id == user.id)) is None
    blocked.unlink()


@pytest.fixture
def other_institution(institution):
    return db.session.scalar(select(Institution).where(Institution.id != institution.id).order_by(Institution.id))


def test_team_matrix_shows_only_own_institution(client, make_user, login, other_institution):
    mine = make_user("learner", full_name="Ewa Swoja")
    stranger = make_user("learner", full_name="Olga Obca", institution_id=other_institution.id)
    levels.record_evidence(db.session, user_id=mine.id, code="ANI.1.1", level=2, source="imported")
    levels.record_evidence(db.session, user_id=stranger.id, code="ANI.1.1", level=3, source="imported")
    db.session.commit()
    login(make_user("coordinator"))
    html = client.get("/competencies/team?role=animator").get_data(as_text=True)
    assert "Ewa Swoja" in html
    assert "Olga Obca" not in html
    assert 'class="level level-2' in html
    assert "poniżej" in html or "below" in html
    # the codes' full names are text on the page, not only the headers' tooltips (WCAG 2.4.6)
    assert "<dt>ANI.1.1</dt><dd>" in html and "Co oznaczają kody kompetencji" in html
    csv_response = client.get("/competencies/team.csv?role=animator")
    assert csv_response.mimetype == "text/csv"
    body = csv_response.get_data(as_text=True)
    assert "Ewa Swoja" in body
    assert "Olga Obca" not in body
    header = body.splitlines()[0].split(";")
    row = next(line for line in body.splitlines() if line.startswith("Ewa Swoja")).split(";")
    assert row[header.index("ANI.1.1")] == "2"


def test_trainer_learners_list(client, make_user, login):
    learner = make_user("learner", full_name="Kamil Kursant")
    complete_module(learner.id, "wprowadzenie-do-osl")
    login(make_user("trainer"))
    html = client.get("/competencies/learners").get_data(as_text=True)
    assert "Kamil Kursant" in html
    assert f"/competencies/learners/{learner.id}" in html
    assert "WSP.1.1" in html


def test_admin_framework_page_and_downloads(client, login_as):
    login_as("admin")
    html = client.get("/competencies/framework").get_data(as_text=True)
    assert "/competencies/framework/moodle.csv" in html
    csv_body = client.get("/competencies/framework/moodle.csv").get_data(as_text=True)
    assert csv_body.startswith("Parent ID number,ID number,Short name")
    assert client.get("/competencies/framework/case.json").get_json()["CFDocument"]["version"] == "1.1"


def test_dashboard_panel_shows_share_of_each_role_profile(client, login_as):
    login_as("learner")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Animator społeczności lokalnej: 0 z 26" in html
    assert "Lokalny polityk społeczny: 0 z 26" in html
