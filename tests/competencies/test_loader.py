"""Loading the competency model from files: validation messages, idempotence, transactions, versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from elearn.competencies.models import Competence, Framework, RequiredLevel
from elearn.competencies.services import framework as fw
from elearn.competencies.services import levels
from elearn.competencies.services.framework import MODEL_DIR, FrameworkError, load_framework, read_model
from elearn.competencies.services.profile import gaps
from elearn.extensions import db


@pytest.fixture
def model_copy(tmp_path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(MODEL_DIR, target)
    return target


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def errors_of(root: Path) -> list[str]:
    with pytest.raises(FrameworkError) as info:
        read_model(root)
    return info.value.errors


def test_shipped_model_is_valid_and_complete():
    model = read_model(MODEL_DIR)
    codes = [c["code"] for _name, data in model.areas for a in data["areas"] for c in a["competences"]]
    assert len(codes) == 48
    assert len(set(codes)) == 48
    assert {data["role"] for _n, data in model.areas} == {"wspolne", "animator", "mediator", "polityk"}


def test_seed_loaded_the_full_osl_framework():
    framework = fw.current_framework(db.session)
    assert (framework.key, framework.version) == ("osl", "1.1")
    assert len(framework.competences) == 48
    assert len(framework.areas) == 16
    assert [s.name for s in framework.scale] == ["brak", "podstawowy", "samodzielny", "ekspercki"]
    assert fw.required_profile(db.session, "animator")["MED.1.1"] == 1
    assert len(fw.required_profile(db.session, "mediator")) == 25
    comp = db.session.scalar(select(Competence).where(Competence.code == "ANI.1.2", Competence.framework_id == framework.id))
    assert comp.category == "umiejetnosci"
    assert len(comp.indicators["3"]) >= 2


def test_loading_the_same_version_again_changes_nothing():
    before = db.session.scalar(select(func.count(Competence.id)))
    loaded_at = fw.current_framework(db.session).loaded_at
    result = load_framework(db.session, MODEL_DIR)
    assert result.status == "unchanged"
    assert db.session.scalar(select(func.count(Competence.id))) == before
    assert result.framework.loaded_at == loaded_at


def test_indicator_schema_error_names_file_and_yaml_path(model_copy):
    path = model_copy / "areas" / "animator.yml"
    edit_yaml(path, lambda d: d["areas"][0]["competences"][2]["indicators"].__setitem__(3, ["za krótko"]))
    errors = errors_of(model_copy)
    assert any(e.startswith("areas/animator.yml: areas[0].competences[2].indicators.3: ") for e in errors), errors
    assert any("too short" in e or "is too short" in e for e in errors)


def test_unknown_category_and_missing_field_are_reported(model_copy):
    def change(d):
        d["areas"][1]["competences"][0]["category"] = "postawa"
        del d["areas"][2]["description"]

    edit_yaml(model_copy / "areas" / "mediator.yml", change)
    errors = errors_of(model_copy)
    assert any(e.startswith("areas/mediator.yml: areas[1].competences[0].category: 'postawa' is not one of") for e in errors)
    assert any(e.startswith("areas/mediator.yml: areas[2]: 'description' is a required property") for e in errors)


def test_framework_schema_error(model_copy):
    edit_yaml(model_copy / "framework.yml", lambda d: d.__setitem__("version", 2))
    assert any(e.startswith("framework.yml: version: 2 is not of type 'string'") for e in errors_of(model_copy))


def test_invalid_yaml_names_file_and_line(model_copy):
    (model_copy / "areas" / "polityk.yml").write_text("role: polityk\nareas: [\n  - code: POL.1\n", encoding="utf-8")
    errors = errors_of(model_copy)
    assert len(errors) == 1
    assert errors[0].startswith("areas/polityk.yml: line ")
    assert "invalid YAML" in errors[0]


def test_competence_code_must_start_with_its_area_code(model_copy):
    edit_yaml(model_copy / "areas" / "animator.yml", lambda d: d["areas"][0]["competences"][1].__setitem__("code", "ANI.2.9"))
    errors = errors_of(model_copy)
    assert "areas/animator.yml: areas[0].competences[1].code: competence code 'ANI.2.9' does not start with its area code 'ANI.1'" in errors


def test_codes_must_be_unique(model_copy):
    edit_yaml(model_copy / "areas" / "animator.yml", lambda d: d["areas"][0]["competences"][1].__setitem__("code", "ANI.1.1"))
    errors = errors_of(model_copy)
    assert any(e.startswith("areas/animator.yml: areas[0].competences[1].code: code 'ANI.1.1' is not unique") for e in errors)


def test_profile_codes_must_exist(model_copy):
    edit_yaml(model_copy / "framework.yml", lambda d: d["profiles"]["mediator"].__setitem__("MED.4.9", 2))
    errors = errors_of(model_copy)
    assert "framework.yml: profiles.mediator.MED.4.9: competence 'MED.4.9' does not exist in areas/*.yml" in errors


def test_invalid_model_writes_nothing(model_copy):
    edit_yaml(model_copy / "framework.yml", lambda d: d.__setitem__("version", "9.0"))
    edit_yaml(model_copy / "framework.yml", lambda d: d["profiles"]["animator"].__setitem__("ANI.9.9", 2))
    count = db.session.scalar(select(func.count(Framework.id)))
    with pytest.raises(FrameworkError):
        load_framework(db.session, model_copy)
    assert db.session.scalar(select(func.count(Framework.id))) == count


def test_cli_reports_errors_and_exit_code(runner, model_copy):
    edit_yaml(model_copy / "framework.yml", lambda d: d["profiles"]["mediator"].__setitem__("MED.4.9", 2))
    result = runner.invoke(args=["competencies", "load", str(model_copy)])
    assert result.exit_code == 1
    assert "framework.yml: profiles.mediator.MED.4.9" in result.output
    assert "nothing was loaded" in result.output


def _new_version(root: Path) -> None:
    """Version 2.0: ANI.4.3 retired, ANI.1.1 renamed."""

    def areas(d):
        d["areas"][3]["competences"] = [c for c in d["areas"][3]["competences"] if c["code"] != "ANI.4.3"]
        d["areas"][0]["competences"][0]["name"] = "Wejście w społeczność (wersja 2.0)"

    def framework(d):
        d["version"] = "2.0"
        del d["profiles"]["animator"]["ANI.4.3"]

    edit_yaml(root / "areas" / "animator.yml", areas)
    edit_yaml(root / "framework.yml", framework)


def test_new_version_is_stored_beside_the_old_and_evidence_maps_forward(model_copy, make_user):
    user = make_user("learner")
    old = fw.current_framework(db.session)
    kept = levels.record_evidence(db.session, user_id=user.id, code="ANI.1.1", level=2, source="trainer_assessment", note="ok")
    retired = levels.record_evidence(db.session, user_id=user.id, code="ANI.4.3", level=1, source="imported")
    _new_version(model_copy)

    result = load_framework(db.session, model_copy)
    assert result.status == "created"
    new = fw.current_framework(db.session)
    assert new.version == "2.0"
    assert new.id != old.id
    assert db.session.get(Framework, old.id).version == "1.1"  # the old version stays
    assert len(db.session.get(Framework, old.id).competences) == 48
    assert len(new.competences) == 47
    assert "ANI.4.3" not in fw.required_profile(db.session, "animator")
    assert db.session.scalar(select(func.count(RequiredLevel.id)).where(RequiredLevel.framework_id == new.id)) == 76

    # Evidence recorded against 1.1 stays readable and counts in 2.0 where the code persists.
    history = levels.evidence_for_user(db.session, user.id)
    assert {(e.competence_code, e.framework_version) for e in history} == {("ANI.1.1", "1.1"), ("ANI.4.3", "1.1")}
    assert kept.framework_version == "1.1"
    assert retired.framework_version == "1.1"
    assert levels.levels_for_codes(db.session, user.id, ["ANI.1.1"]) == {"ANI.1.1": 2}
    assert fw.competence_names(db.session, ["ANI.1.1", "ANI.4.3"])["ANI.1.1"] == "Wejście w społeczność (wersja 2.0)"
    assert "ANI.4.3" in fw.competence_names(db.session, ["ANI.4.3"])  # the retired code keeps its last known name
    # New evidence is recorded against the new version.
    fresh = levels.record_evidence(db.session, user_id=user.id, code="ANI.1.2", level=1, source="imported")
    assert fresh.framework_version == "2.0"

    # Loading 2.0 again changes nothing.
    assert load_framework(db.session, model_copy).status == "unchanged"


def test_shipped_1_1_loads_over_1_0_and_evidence_still_counts(model_copy, make_user):
    """The upgrade a running platform makes (#17): it holds 1.0 and evidence; `flask competencies load` brings 1.1."""
    db.session.delete(fw.current_framework(db.session))  # the seeded 1.1: the database as it was before the upgrade
    db.session.flush()

    def as_1_0(areas_file: str, code: str):
        def change(d):
            comp = next(c for a in d["areas"] for c in a["competences"] if c["code"] == code)
            comp["category"] = "kompetencje_spoleczne"  # what 1.0 said

        edit_yaml(model_copy / "areas" / areas_file, change)

    as_1_0("polityk.yml", "POL.3.2")
    as_1_0("animator.yml", "ANI.3.3")
    edit_yaml(model_copy / "framework.yml", lambda d: d.__setitem__("version", "1.0"))
    assert load_framework(db.session, model_copy).framework.version == "1.0"
    user = make_user("learner")
    profile = fw.required_profile(db.session, "polityk")
    for code, required in profile.items():
        levels.record_evidence(db.session, user_id=user.id, code=code, level=required, source="trainer_assessment", note="ok")
    assert gaps(db.session, user.id, "polityk") == []

    result = load_framework(db.session, MODEL_DIR)
    assert (result.status, result.framework.version) == ("created", "1.1")
    assert fw.current_framework(db.session).version == "1.1"
    assert fw.required_profile(db.session, "polityk") == profile  # no code was merged away
    assert levels.levels_for_codes(db.session, user.id, list(profile)) == profile
    assert gaps(db.session, user.id, "polityk") == []
    assert {e.framework_version for e in levels.evidence_for_user(db.session, user.id)} == {"1.0"}
    new = fw.competences_by_code(db.session)
    assert (new["POL.3.2"].category, new["ANI.3.3"].category) == ("umiejetnosci", "umiejetnosci")
    assert new["WSP.3.3"].name != new["MED.3.1"].name


def test_level_3_indicators_describe_expert_practice_not_teaching():
    """Level 3 is independent work in complex situations; "teaches others" was the answer to every competence."""
    model = read_model(MODEL_DIR)
    teaching = ("Uczy ", "uczy innych", "Szkoli", "szkoli", "Przekazuje tę wiedzę")
    level3 = [i for _n, d in model.areas for a in d["areas"] for c in a["competences"] for i in c["indicators"]["3"]]
    assert [i for i in level3 if any(t in i for t in teaching)] == []
    assert "uproszczenie" in next(
        c["description"] for _n, d in model.areas for a in d["areas"] for c in a["competences"] if c["code"] == "WSP.2.3"
    )
    assert any("FOCUS" in s["name"] for s in model.framework["sources"])
