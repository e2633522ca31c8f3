"""Empty, too long, wrong-type and malicious values on every competency form: a Polish field error and no row written."""

from __future__ import annotations

import io

import pytest

from elearn.competencies.models import Evidence, SelfAssessment
from elearn.competencies.services import required_profile
from elearn.courses.models import Enrolment
from elearn.extensions import db
from tests.bad_input import CONTROL, CONTROL_MESSAGE, XSS, assert_field_error, count_rows, error_text
from tests.certificates.helpers import course
from tests.helpers import answer_self_assessment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHOOSE_COMPETENCE = "Wybierz kompetencję."
CHOOSE_LEVEL = "Wybierz poziom."
NOT_A_CHOICE = "Nieprawidłowy wybór"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "", CHOOSE_COMPETENCE),
        ("code", "ANI.99.99", NOT_A_CHOICE),
        ("code", XSS, NOT_A_CHOICE),
        ("level", "", CHOOSE_LEVEL),
        ("level", "dwa", None),
        ("level", "9", NOT_A_CHOICE),
        ("level", "-1", NOT_A_CHOICE),
        ("note", "", "Napisz, na czym opierasz ocenę."),
        ("note", "   ", "Napisz, na czym opierasz ocenę."),
        ("note", "a" * 2001, "2000"),
        ("note", CONTROL, CONTROL_MESSAGE),
    ],
)
def test_trainer_assessment_rejects_bad_input(client, make_user, login, field, value, message):
    learner = make_user("learner")
    db.session.add(Enrolment(user_id=learner.id, course_id=course().id))  # gives the trainer a reason to see them
    db.session.commit()
    login(make_user("trainer"))
    before = count_rows(Evidence)
    data = {"code": "ANI.2.1", "level": "2", "note": "Prowadził zebranie."}
    data[field] = value
    response = client.post(f"/competencies/learners/{learner.id}/assessments", data=data)
    assert_field_error(response, field, message, status=400)  # the learner page again, with the error
    assert count_rows(Evidence) == before


@pytest.mark.parametrize("user_id", ["abc", "99999999"])
def test_assessment_of_an_unknown_learner_is_a_404(client, login_as, user_id):
    login_as("trainer")
    before = count_rows(Evidence)
    response = client.post(f"/competencies/learners/{user_id}/assessments", data={"code": "ANI.2.1", "level": "2", "note": "x"})
    assert response.status_code == 404
    assert count_rows(Evidence) == before


def _answers(role: str = "mediator") -> dict:
    return {f"c_{code.replace('.', '_')}": "1" for code in required_profile(db.session, role)}


@pytest.mark.parametrize("value", ["", "abc", "4", "-1", XSS, "1\x00"])
def test_self_assessment_rejects_answers_that_are_not_levels(client, login_as, value):
    login_as("learner")
    before = count_rows(SelfAssessment), count_rows(Evidence)
    data = _answers()
    data["c_MED_1_1"] = value
    response = answer_self_assessment(client, "mediator", data)  # stops at the area where MED.1.1 is asked
    message = "Wybierz poziom, który najlepiej cię opisuje." if value == "" else NOT_A_CHOICE
    assert_field_error(response, "c_MED_1_1", None)
    assert message in error_text(response.get_data(as_text=True), "c_MED_1_1")
    assert (count_rows(SelfAssessment), count_rows(Evidence)) == before


@pytest.mark.parametrize("role", ["", "HACK", XSS, "a" * 500])
def test_self_assessment_with_an_unknown_role_shows_the_role_choice(client, login_as, role):
    login_as("learner")
    before = count_rows(SelfAssessment)
    response = client.post("/competencies/self-assessment", query_string={"role": role}, data=_answers())
    assert response.status_code == 200
    assert XSS not in response.get_data(as_text=True)
    assert 'name="role"' in response.get_data(as_text=True)
    assert count_rows(SelfAssessment) == before


def _claim(**changes) -> dict:
    data = {"code": "POL.1.1", "level": "2", "note": "Studia podyplomowe", "document": (io.BytesIO(PDF), "zaswiadczenie.pdf")}
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "", CHOOSE_COMPETENCE),
        ("code", "POL.9.9", NOT_A_CHOICE),
        ("code", XSS, NOT_A_CHOICE),
        ("level", "", CHOOSE_LEVEL),
        ("level", "0", NOT_A_CHOICE),  # level 0 is not a claim
        ("level", "trzy", None),
        ("level", "99", NOT_A_CHOICE),
        ("note", "a" * 2001, "2000"),
        ("note", CONTROL, CONTROL_MESSAGE),
        ("document", None, "Dołącz dokument"),
        ("document", (io.BytesIO(b"MZ\x90\x00"), "program.exe"), "Akceptujemy tylko pliki PDF, PNG lub JPG."),
        ("document", (io.BytesIO(b"<script>alert(1)</script>"), "skrypt.html"), "Akceptujemy tylko pliki PDF, PNG lub JPG."),
        ("document", (io.BytesIO(b"<script>alert(1)</script>"), "udaje.pdf"), "PDF, PNG lub JPG"),
        ("document", (io.BytesIO(b""), "pusty.pdf"), "PDF, PNG lub JPG"),
    ],
)
def test_prior_learning_claim_rejects_bad_input(client, login_as, field, value, message):
    login_as("learner")
    before = count_rows(Evidence)
    data = _claim()
    if value is None:
        del data[field]
    else:
        data[field] = value
    response = client.post("/competencies/prior-learning", data=data, content_type="multipart/form-data")
    assert_field_error(response, field, message)
    assert count_rows(Evidence) == before


@pytest.mark.parametrize("role", ["HACK", XSS, "a" * 500, "\x00"])
@pytest.mark.parametrize(("roles", "url"), [(("learner",), "/competencies/profile"), (("coordinator",), "/competencies/team")])
def test_role_filters_ignore_unknown_roles(client, login_as, roles, url, role):
    login_as(*roles)
    response = client.get(url, query_string={"role": role})
    assert response.status_code == (400 if "\x00" in role else 200)  # NUL bytes in a URL: core refuses them
    assert XSS not in response.get_data(as_text=True)


def test_team_csv_with_an_unknown_role_falls_back_to_the_first_role(client, login_as):
    login_as("coordinator")
    response = client.get("/competencies/team.csv", query_string={"role": XSS})
    assert response.status_code == 200
    assert "script" not in response.headers["Content-Disposition"]
