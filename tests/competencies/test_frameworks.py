"""Several frameworks side by side: imports never replace the OSL framework; an admin chooses the profile one."""

from __future__ import annotations

from sqlalchemy import func, select

from elearn.competencies.models import Framework
from elearn.competencies.services import current_framework, levels, required_profile
from elearn.competencies.services.interop import import_moodle_csv
from elearn.core.audit import AuditEntry
from elearn.extensions import db
from tests.competencies.helpers import fixture_text


def test_importing_a_foreign_framework_keeps_the_osl_framework_and_learners_profiles(client, login_as):
    user = login_as("learner")
    levels.record_evidence(db.session, user_id=user.id, code="MED.1.1", level=2, source="imported")
    osl = current_framework(db.session)
    before = required_profile(db.session, "animator")
    imported = import_moodle_csv(db.session, fixture_text("moodle-example.csv"))
    db.session.commit()
    assert current_framework(db.session).id == osl.id
    assert required_profile(db.session, "animator") == before
    assert db.session.get(Framework, osl.id).competences
    html = client.get("/competencies/profile").get_data(as_text=True)
    assert "Animator społeczności lokalnej" in html
    assert "1 z 26" in html or "1 of 26" in html
    assert imported.title not in html


def test_reimporting_unchanged_content_creates_no_new_version():
    text = fixture_text("moodle-example.csv")
    first = import_moodle_csv(db.session, text)
    again = import_moodle_csv(db.session, "\ufeff" + text.replace("\n", "\r\n"))
    assert again.id == first.id
    count = db.session.scalar(select(func.count()).select_from(Framework).where(Framework.key == "OECD-CORE"))
    assert count == 1
    changed = import_moodle_csv(db.session, text.replace('"Level 1"', '"Level one"'))
    assert changed.id != first.id and changed.version == "1.1"


def test_admin_chooses_the_framework_role_profiles_use(client, login_as):
    import_moodle_csv(db.session, fixture_text("moodle-example.csv"))
    db.session.commit()
    admin = login_as("admin")
    page = client.get("/competencies/framework").get_data(as_text=True)
    assert 'value="OECD-CORE"' in page and '<option selected value="osl">' in page
    response = client.post("/competencies/framework/profile-framework", data={"framework": "OECD-CORE"})
    assert response.status_code == 302
    assert current_framework(db.session).key == "OECD-CORE"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "competencies.profile_framework"))
    assert entry.actor_id == admin.id
    bad = client.post("/competencies/framework/profile-framework", data={"framework": "nie-ma"})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.get_data(as_text=True)
    assert current_framework(db.session).key == "OECD-CORE"
    client.post("/competencies/framework/profile-framework", data={"framework": "osl"})
    assert current_framework(db.session).key == "osl"


def test_learners_cannot_choose_the_framework(client, login_as):
    login_as("learner")
    assert client.post("/competencies/framework/profile-framework", data={"framework": "osl"}).status_code == 403
    assert current_framework(db.session).key == "osl"


def test_cli_use_framework(runner):
    import_moodle_csv(db.session, fixture_text("moodle-example.csv"))
    db.session.commit()
    result = runner.invoke(args=["competencies", "use-framework", "OECD-CORE"])
    assert result.exit_code == 0, result.output
    assert current_framework(db.session).key == "OECD-CORE"
    assert runner.invoke(args=["competencies", "use-framework", "nie-ma"]).exit_code != 0
    assert runner.invoke(args=["competencies", "use-framework", "osl"]).exit_code == 0


def test_pages_work_when_the_profile_framework_is_a_deep_imported_one(client, make_user, login, institution):
    from elearn.competencies.services.framework import set_profile_framework

    import_moodle_csv(db.session, fixture_text("moodle-example.csv"))
    set_profile_framework(db.session, "OECD-CORE")
    db.session.commit()
    pages = {
        "learner": ["/competencies/profile", "/competencies/self-assessment", "/competencies/requests/new"],
        "coordinator": ["/competencies/team", "/competencies/team.csv"],
        "trainer": ["/competencies/learners"],
        "admin": ["/competencies/framework", "/competencies/framework/moodle.csv", "/competencies/framework/case.json"],
    }
    for role, urls in pages.items():
        login(make_user(role, institution_id=institution.id))
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)


def test_evidence_for_long_moodle_id_numbers_is_stored(make_user):
    from elearn.competencies.services.framework import set_profile_framework

    imported = import_moodle_csv(db.session, fixture_text("moodle-example.csv"))
    set_profile_framework(db.session, "OECD-CORE")
    longest = max((c.code for c in imported.competences), key=len)
    assert len(longest) > 20
    user = make_user()
    levels.record_evidence(db.session, user_id=user.id, code=longest, level=1, source="imported")
    db.session.flush()
    assert levels.current_levels(db.session, user.id) == {longest: 1}
