from __future__ import annotations

import pytest

from elearn.accounts.models import User
from elearn.accounts.services import check_password, find_user_by_email
from elearn.core.models import AuditEntry
from elearn.extensions import db


def test_users_create_set_role_deactivate(runner, institution):
    result = runner.invoke(
        args=["users", "create", "--email", "Nowy.Trener@Example.org", "--name", "Nowy Trener", "--role", "trainer",
              "--role", "learner", "--institution", str(institution.id)],
        input="haslo-z-wejscia-2026\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = find_user_by_email(db.session, "nowy.trener@example.org")
    assert user.roles == {"trainer", "learner"}
    assert check_password(user, "haslo-z-wejscia-2026")

    duplicate = runner.invoke(
        args=["users", "create", "--email", "nowy.trener@example.org", "--name", "X Y"], input="haslo-z-wejscia-2026\n"
    )
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output

    short = runner.invoke(args=["users", "create", "--email", "k@example.org", "--name", "K K"], input="krotkie\n")
    assert short.exit_code != 0 and find_user_by_email(db.session, "k@example.org") is None

    result = runner.invoke(args=["users", "set-role", "nowy.trener@example.org", "--role", "coordinator"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(User, user.id).roles == {"coordinator"}
    assert db.session.query(AuditEntry).filter_by(action="user.roles", target_id=str(user.id)).count() == 1

    result = runner.invoke(args=["users", "deactivate", "nowy.trener@example.org"])
    assert result.exit_code == 0
    db.session.expire_all()
    assert not db.session.get(User, user.id).is_active

    missing = runner.invoke(args=["users", "deactivate", "nikt@example.org"])
    assert missing.exit_code != 0 and "No user" in missing.output


def test_admin_changes_roles_in_the_browser_with_audit(client, login_as, make_user):
    admin = login_as("admin")
    worker = make_user(email="awans@example.org")
    response = client.post(
        f"/admin/users/{worker.id}",
        data={
            "full_name": worker.full_name,
            "email": worker.email,
            "roles": ["learner", "coordinator"],
            "institution_id": str(worker.institution_id),
            "active": "y",
        },
    )
    assert response.status_code == 302
    assert db.session.get(User, worker.id).roles == {"learner", "coordinator"}
    entry = db.session.query(AuditEntry).filter_by(action="user.roles", target_id=str(worker.id)).one()
    assert entry.actor_id == admin.id and entry.details["after"] == ["coordinator", "learner"]
    # An administrator cannot lock themself out.
    own = {"full_name": admin.full_name, "email": admin.email, "roles": ["learner"], "institution_id": "0", "active": "y"}
    client.post(f"/admin/users/{admin.id}", data=own)
    assert "admin" in db.session.get(User, admin.id).roles


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--name", "<script>x</script>", "Use letters"),
        ("--name", "Jan 007", "Use letters"),
        ("--name", "J", "Between 3 and 150"),
        ("--job-title", "kierownik<b>", "< and >"),
        ("--job-title", "x" * 121, "Between 2 and 120"),
    ],
)
def test_users_create_applies_the_forms_name_and_job_title_rules(app, option, value, message):
    args = {"--email": "walidacja@example.org", "--name": "Jan Poprawny", "--job-title": "pracownik socjalny"} | {option: value}
    result = app.test_cli_runner().invoke(
        args=["users", "create", *[x for pair in args.items() for x in pair]], input="haslo-z-wejscia-2026\n"
    )
    assert result.exit_code != 0
    assert message in result.output and option in result.output
    assert find_user_by_email(db.session, "walidacja@example.org") is None


def test_users_create_makes_a_confirmed_accepted_member(app, institution):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "cli@example.org", "--name", "Anna Z Konsoli", "--institution", str(institution.id)],
        input="haslo-z-wejscia-2026\n",
    )
    assert result.exit_code == 0, result.output
    user = find_user_by_email(db.session, "cli@example.org")
    assert user.is_active and user.institution_id == institution.id


def test_users_create_refuses_an_unknown_institution(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "bez@example.org", "--name", "Anna Bez Instytucji", "--institution", "999999"],
        input="haslo-z-wejscia-2026\n",
    )
    assert result.exit_code != 0 and "no such institution" in result.output
    assert find_user_by_email(db.session, "bez@example.org") is None
