"""What people see: per competence the level, its evidence and what comes next; role progress that moves; the
coordinator's matrix with assessed levels only; the support CLI that names the evidence behind each level."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from elearn.competencies.services import levels, next_steps, required_profile
from elearn.competencies.services import requests as request_service
from elearn.competencies.services.next_steps import NextStep, register_next_step_provider
from elearn.extensions import db


def cell(html: str, code: str) -> str:
    """The "What comes next" cell of a competence's row on the profile (its row header links to the competence)."""
    start = html.index(f'<th scope="row"><a href="/competencies/framework/competences/{code}">{code} ')
    row = html[start : html.index("</tr>", start)]
    return row.rsplit("<td>", 1)[1]


def test_profile_shows_a_module_and_an_assessment_request_as_next_steps(client, login_as):
    login_as("learner")
    html = client.get("/competencies/profile").get_data(as_text=True)
    assert "Co dalej" in html
    steps = cell(html, "WSP.1.1")
    assert "/courses/wprowadzenie-do-osl" in steps  # 0 → 1: a module
    assert "/competencies/requests/new?code=WSP.1.1" in steps and "Poproś trenera o ocenę" in steps
    assert steps.index("/courses/") < steps.index("/competencies/requests/new")  # the module comes first


def test_next_steps_follow_the_level_and_open_requests(client, make_user, login):
    learner = login(make_user("learner"))
    trainer = make_user("trainer")
    for source in ("assignment", "event_assessment"):  # level 3 needs two pieces of assessed practice first
        levels.record_evidence(db.session, user_id=learner.id, code="WSP.1.1", level=2, source=source, recorded_by=trainer.id)
    levels.assess_learner(db.session, trainer_id=trainer.id, user_id=learner.id, code="WSP.1.1", level=3, note="Ekspert.")
    levels.assess_learner(db.session, trainer_id=trainer.id, user_id=learner.id, code="WSP.1.2", level=2, note="Samodzielna.")
    request_service.create_request(db.session, instance_path="/x", user=learner, code="WSP.1.3", description="Opis.")
    db.session.commit()
    html = client.get("/competencies/profile").get_data(as_text=True)
    assert "Osiągnięto najwyższy poziom." in cell(html, "WSP.1.1")
    at_two = cell(html, "WSP.1.2")
    assert "/courses/" not in at_two  # no module raises a level 2 competence
    assert "/competencies/requests/new?code=WSP.1.2" in at_two and "poziom 3" in at_two
    waiting = cell(html, "WSP.1.3")
    assert "Twoja prośba czeka na trenera" in waiting and "/competencies/requests/new?code=WSP.1.3" not in waiting


@pytest.fixture
def assignment_provider():
    def provider(session, user_id, codes):
        return {code: [NextStep("assignment", f"Zadanie dla {code}", "/practice/1", 2), NextStep("assignment", "Za nisko", "/x", 0)]
                for code in codes if code == "ANI.1.1"}  # fmt: skip

    register_next_step_provider(provider)
    register_next_step_provider(provider)  # registering twice changes nothing
    assert next_steps._providers.count(provider) == 1
    yield provider
    next_steps._providers.remove(provider)
    assert provider not in next_steps._providers


def test_other_domains_register_next_step_providers(client, login_as, assignment_provider):
    user = login_as("learner")
    found = next_steps.next_steps(db.session, user.id, ["ANI.1.1", "ANI.1.2"])
    kinds = [s.kind for s in found["ANI.1.1"]]
    assert kinds.count("assignment") == 1  # one step per kind (the practice domain offers its real assignments too)
    assert all(s.label != "Za nisko" for s in found["ANI.1.1"])  # a step not above the current level is left out
    assert "Zadanie praktyczne → poziom 2" in cell(client.get("/competencies/profile").get_data(as_text=True), "ANI.1.1")
    assert all(s.url != "/practice/1" for s in found["ANI.1.2"])  # the test provider offers nothing for ANI.1.2


def test_dashboard_shows_what_comes_next_and_progress_moves(client, make_user, login):
    learner = login(make_user("learner"))
    before = client.get("/dashboard").get_data(as_text=True)
    assert "Co dalej" in before
    assert re.search(r'href="/(courses|competencies/requests/new)[^"]*"', before.split("Co dalej", 1)[1])
    assert "Animator społeczności lokalnej: 0 z 26" in before
    trainer = make_user("trainer")
    for code, level in list(required_profile(db.session, "animator").items())[:2]:
        levels.assess_learner(db.session, trainer_id=trainer.id, user_id=learner.id, code=code, level=level, note="Ocena.")
    db.session.commit()
    after = client.get("/dashboard").get_data(as_text=True)
    assert "Animator społeczności lokalnej: 2 z 26" in after


def _matrix_levels(html: str, name: str, codes: list[str]) -> dict[str, int]:
    start = html.index(f'<th scope="row">{name}</th>')
    row = html[start : html.index("</tr>", start)]
    return dict(zip(codes, (int(x) for x in re.findall(r'class="level level-(\d)', row)), strict=True))


def test_team_matrix_and_csv_show_assessed_levels_only(client, make_user, login):
    from elearn.competencies.services import current_framework
    from elearn.competencies.services.framework import role_by_code

    coordinator = make_user("coordinator")
    worker = make_user("learner", full_name="Ewa Samooceniająca")
    trainer = make_user("trainer")
    role = role_by_code(db.session, "animator")
    codes = list(required_profile(db.session, "animator"))
    levels.submit_self_assessment(
        db.session, user_id=worker.id, framework=current_framework(db.session), role=role,
        answers=dict.fromkeys(codes, 3), link=lambda i: f"/competencies/self-assessment/{i}",
    )  # fmt: skip
    levels.record_evidence(db.session, user_id=worker.id, code=codes[1], level=3, source="prior_learning", recorded_by=worker.id)
    levels.assess_learner(db.session, trainer_id=trainer.id, user_id=worker.id, code=codes[0], level=2, note="Ocena.")
    db.session.commit()
    login(coordinator)
    html = client.get("/competencies/team?role=animator").get_data(as_text=True)
    shown = _matrix_levels(html, "Ewa Samooceniająca", codes)
    assert shown == {code: (2 if code == codes[0] else 0) for code in codes}
    body = client.get("/competencies/team.csv?role=animator").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    header, row = rows[0], next(r for r in rows if r[0] == "Ewa Samooceniająca")
    assert {code: row[header.index(code)] for code in codes} == {code: ("2" if code == codes[0] else "0") for code in codes}


@pytest.fixture
def studied(make_user):
    learner = make_user("learner", email="wsparcie@example.org", full_name="Ola Wsparcie")
    trainer = make_user("trainer", full_name="Tomasz Oceniający")
    levels.record_evidence(
        db.session, user_id=learner.id, code="WSP.1.1", level=1, source="module_completed",
        source_type="module", source_id="wprowadzenie-do-osl/wartosci", link="/courses/wprowadzenie-do-osl",
    )  # fmt: skip
    levels.assess_learner(db.session, trainer_id=trainer.id, user_id=learner.id, code="ANI.1.1", level=2, note="Dobrze.")
    levels.record_evidence(db.session, user_id=learner.id, code="MED.1.1", level=3, source="self_assessment", recorded_by=learner.id)
    db.session.commit()
    return learner


def test_cli_profile_text(app, studied):
    result = app.test_cli_runner().invoke(args=["competencies", "profile", "--email", studied.email])
    assert result.exit_code == 0, result.output
    assert "Ola Wsparcie <wsparcie@example.org>" in result.output
    assert re.search(r"ANI\.1\.1\s+level 2", result.output)
    assert "trainer_assessment  level 2" in result.output and "by Tomasz Oceniający" in result.output
    assert "module_completed  level 1" in result.output and "wprowadzenie-do-osl/wartosci" in result.output
    assert "MED.1.1" not in result.output  # a self-assessment confirms nothing


def test_cli_profile_json(app, studied):
    result = app.test_cli_runner().invoke(args=["competencies", "profile", "--email", studied.email, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_code = {row["code"]: row for row in data["levels"]}
    assert set(by_code) == {"WSP.1.1", "ANI.1.1"}
    (source,) = by_code["ANI.1.1"]["sources"]
    assert source["source"] == "trainer_assessment" and source["assessor"] == "Tomasz Oceniający" and source["level"] == 2
    (module,) = by_code["WSP.1.1"]["sources"]
    assert module["origin"] == "wprowadzenie-do-osl/wartosci" and module["assessor"] is None


def test_cli_profile_unknown_email(app):
    result = app.test_cli_runner().invoke(args=["competencies", "profile", "--email", "nikt@example.org"])
    assert result.exit_code != 0
    assert "no account" in result.output
