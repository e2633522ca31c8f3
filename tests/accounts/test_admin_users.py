"""Administrators create accounts and correct names and addresses in the browser, with audit (issue #13)."""

from __future__ import annotations

from sqlalchemy import select

from elearn.accounts.models import User
from elearn.core.models import AuditEntry
from elearn.extensions import db
from tests.accounts.mailbox import link_in, messages_to


def _edit_data(user: User, **changes) -> dict:
    data = {
        "full_name": user.full_name,
        "email": user.email,
        "job_title": user.job_title or "",
        "roles": sorted(user.roles),
        "institution_id": str(user.institution_id or 0),
        "active": "y",
    }
    data.update(changes)
    return data


def test_admin_corrects_name_and_email_with_audit(client, login_as, make_user):
    admin = login_as("admin")
    worker = make_user(email="literowka@example.org", full_name="Anna Kowlaska")
    page = client.get(f"/admin/users/{worker.id}").get_data(as_text=True)
    assert 'value="Anna Kowlaska"' in page and 'value="literowka@example.org"' in page
    corrected = _edit_data(worker, full_name="Anna Kowalska", email="Anna.Kowalska@Example.org")
    response = client.post(f"/admin/users/{worker.id}", data=corrected)
    assert response.status_code == 302
    db.session.expire_all()
    corrected = db.session.get(User, worker.id)
    assert (corrected.full_name, corrected.email) == ("Anna Kowalska", "anna.kowalska@example.org")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.profile", AuditEntry.target_id == str(worker.id)))
    assert entry.actor_id == admin.id
    assert sorted(entry.details["fields"]) == ["email", "full_name"]
    assert "Kowalska" not in str(entry.details)  # the log names fields, never the personal values


def test_an_email_address_stays_unique(client, login_as, make_user):
    login_as("admin")
    make_user(email="zajety@example.org")
    worker = make_user(email="wolny@example.org")
    response = client.post(f"/admin/users/{worker.id}", data=_edit_data(worker, email="zajety@example.org"))
    assert response.status_code == 400
    assert "już istnieje" in response.get_data(as_text=True) or "already exists" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, worker.id).email == "wolny@example.org"


def test_admin_creates_a_user_who_sets_their_own_password(client, login_as, institution, app):
    admin = login_as("admin")
    assert client.get("/admin/users/new").status_code == 200
    response = client.post(
        "/admin/users/new",
        data={"full_name": "Marta Nowicka", "email": "marta@example.org", "job_title": "asystentka rodziny",
              "roles": ["learner", "coordinator"], "institution_id": str(institution.id)},
    )  # fmt: skip
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "marta@example.org"))
    assert user.roles == {"learner", "coordinator"} and user.institution_id == institution.id
    assert user.email_confirmed_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create", AuditEntry.target_id == str(user.id)))
    assert entry.actor_id == admin.id
    (message,) = messages_to(app, "marta@example.org")
    assert "/password-reset/" in link_in(message, "/password-reset/")


def test_create_form_refuses_a_taken_address(client, login_as, make_user):
    login_as("admin")
    make_user(email="jest@example.org")
    data = {"full_name": "Ktoś Inny", "email": "jest@example.org", "roles": ["learner"], "institution_id": "0"}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 400
    assert len(db.session.scalars(select(User).where(User.email == "jest@example.org")).all()) == 1


def test_filter_forms_show_no_error_on_first_load(client, login_as):
    login_as("admin")
    for url in ("/admin/users", "/admin/institutions/"):
        html = client.get(url).get_data(as_text=True)
        assert "Nieprawidłowy wybór" not in html and "Not a valid choice" not in html


def test_audit_log_reads_like_a_log(client, login_as, make_user):
    admin = login_as("admin")
    worker = make_user()
    client.post(f"/admin/users/{worker.id}", data=_edit_data(worker, roles=["learner", "trainer"]))
    html = client.get("/admin/audit").get_data(as_text=True)
    assert admin.full_name in html
    assert "Zmiana ról" in html or "Roles changed" in html
    assert f'href="/admin/users/{worker.id}"' in html
    assert '<dl class="audit-details">' in html
    assert "&#34;" not in html and "&quot;after&quot;" not in html  # no escaped JSON
    assert "<dt>przed zmianą</dt>" in html and "<dt>po zmianie</dt>" in html  # detail keys in words, not "before"/"after"
    only = client.get(f"/admin/audit?target=User:{worker.id}").get_data(as_text=True)
    assert f'href="/admin/users/{worker.id}"' in only
