from __future__ import annotations

import json
from unittest.mock import ANY

from sqlalchemy import select

from elearn.accounts.models import User
from elearn.core.models import AuditEntry
from elearn.extensions import db
from tests.accounts.mailbox import link_in, messages_to
from tests.helpers import PASSWORD


def test_export_contains_account_and_consent(client, make_user, login):
    user = make_user(full_name="Jolanta Ćwiek", email="jolanta@example.org")
    login(user)
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "jolanta@example.org"
    assert data["account"]["full_name"] == "Jolanta Ćwiek"
    assert data["account"]["roles"] == ["learner"]


def test_registration_consent_and_institution_request_are_exported(app, client, institution):
    client.post(
        "/register",
        data={
            "full_name": "Ewa Nowa",
            "email": "ewa.nowa@example.org",
            "institution_id": institution.id,
            "job_title": "asystent rodziny",
            "password": "haslo-haslo-2026",
            "password_confirm": "haslo-haslo-2026",
            "consent": "y",
        },
    )
    (message,) = messages_to(app, "ewa.nowa@example.org")
    client.get(link_in(message, "/register/confirm/"))
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert data["consents"][0]["kind"] == "privacy_policy"
    assert data["institution_requests"] == [{"institution": institution.name, "status": "pending", "requested_at": ANY, "decided_at": None}]


def test_erase_anonymises_and_blocks_login(client, make_user, login):
    user = make_user(full_name="Marek Usuwany", email="marek@example.org")
    login(user)
    wrong = client.post("/account/delete", data={"password": "nie-to-haslo", "confirm": "y"})
    assert "Hasło jest nieprawidłowe" in wrong.get_data(as_text=True)
    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    erased = db.session.get(User, user.id)
    assert erased.full_name == "Konto usunięte"
    assert "marek" not in erased.email
    assert erased.job_title is None and erased.erased_at is not None
    assert erased.roles == set()
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.erase", AuditEntry.target_id == str(user.id)))
    again = client.post("/login", data={"email": "marek@example.org", "password": PASSWORD})
    assert again.status_code == 200  # stays on the form: the account is gone
    assert client.get("/dashboard").status_code == 302
