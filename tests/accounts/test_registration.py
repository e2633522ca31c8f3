"""Registration confirms the e-mail address and never says whether an address already has an account."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.accounts.models import Consent, User
from elearn.extensions import db
from tests.accounts.mailbox import body, link_in, messages_to
from tests.helpers import PASSWORD

NEUTRAL = "Otwórz link w tej wiadomości, aby aktywować konto."


def _register(client, institution, email: str, password: str = "dlugie-haslo-do-testu"):  # noqa: S107
    return client.post(
        "/register",
        data={
            "full_name": "Zażółć Gęślą-Jaźń",
            "email": email,
            "institution_id": institution.id,
            "job_title": "starszy pracownik socjalny",
            "password": password,
            "password_confirm": password,
            "consent": "y",
        },
        follow_redirects=True,
    )


def test_register_then_confirm_link_activates_and_logs_in(app, client, institution):
    page = _register(client, institution, "Nowa.Osoba@Example.org")
    assert NEUTRAL in page.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "nowa.osoba@example.org"))
    assert user.full_name == "Zażółć Gęślą-Jaźń" and user.roles == {"learner"}
    assert user.password_hash.startswith("$argon2id$")
    consent = db.session.scalar(select(Consent).where(Consent.user_id == user.id))
    assert consent.policy_version == app.config["PRIVACY_POLICY_VERSION"]
    # Not active before the link is opened: the password does not log in yet.
    assert client.get("/dashboard").status_code == 302
    refused = client.post("/login", data={"email": "nowa.osoba@example.org", "password": "dlugie-haslo-do-testu"})
    assert refused.status_code == 200

    (message,) = messages_to(app, "nowa.osoba@example.org")
    confirmed = client.get(link_in(message, "/register/confirm/"))
    assert confirmed.headers["Location"].endswith("/dashboard")
    assert "Zażółć Gęślą-Jaźń" in client.get("/dashboard").get_data(as_text=True)
    # A link found later in the mailbox is not a login.
    client.post("/logout")
    again = client.get(link_in(message, "/register/confirm/"))
    assert again.headers["Location"].endswith("/login")


def test_taken_address_gets_the_same_answer_and_its_owner_a_notice(app, client, institution, make_user):
    owner = make_user(email="zajety@example.org", full_name="Ewa Właścicielka")
    page = _register(client, institution, "Zajety@example.org", password="inne-haslo-napastnika")
    text = page.get_data(as_text=True)
    assert NEUTRAL in text and "już istnieje" not in text
    (notice,) = messages_to(app, "zajety@example.org")
    assert "/register/confirm/" not in body(notice)
    assert "/password-reset" in link_in(notice, "/password-reset")
    db.session.expire_all()
    from elearn.accounts.services import check_password

    assert check_password(db.session.get(User, owner.id), PASSWORD)  # nothing changed in the account


def test_forged_or_expired_confirmation_link_is_refused(app, client, institution, monkeypatch):
    _register(client, institution, "spozniony@example.org")
    (message,) = messages_to(app, "spozniony@example.org")
    path = link_in(message, "/register/confirm/")
    forged = client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB"), follow_redirects=True)
    assert "nieprawidłowy lub wygasł" in forged.get_data(as_text=True)
    monkeypatch.setitem(app.config, "EMAIL_CONFIRM_MAX_AGE", -1)
    assert "nieprawidłowy lub wygasł" in client.get(path, follow_redirects=True).get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "spozniony@example.org")).email_confirmed_at is None


def test_registration_into_an_institution_is_a_pending_request(client, institution):
    from elearn.accounts.models import InstitutionMembership

    _register(client, institution, "prosba@example.org")
    user = db.session.scalar(select(User).where(User.email == "prosba@example.org"))
    assert user.institution_id is None
    request = db.session.scalar(select(InstitutionMembership).where(InstitutionMembership.user_id == user.id))
    assert (request.institution_id, request.status) == (institution.id, "pending")


@pytest.mark.parametrize("path", ["/password-reset", "/register"])
def test_mail_goes_through_the_job_queue(app, client, institution, make_user, monkeypatch, path):
    """The request only queues the message, so the answer takes as long whether or not mail is sent."""
    make_user(email="kolejka@example.org")
    queued = []
    monkeypatch.setattr("elearn.core.jobs.enqueue", lambda job, *args, **_kwargs: queued.append((job, args)))
    data = {"email": "kolejka@example.org"}
    if path == "/register":
        data |= {"full_name": "Jan Kolejka", "institution_id": institution.id, "job_title": "pracownik socjalny",
                 "password": "dlugie-haslo-do-testu", "password_confirm": "dlugie-haslo-do-testu", "consent": "y"}  # fmt: skip
    client.post(path, data=data)
    assert [(job, args[0]) for job, args in queued] == [("elearn.core.mail.send_mail", "kolejka@example.org")]
    assert messages_to(app, "kolejka@example.org") == []


def test_the_error_summary_names_the_consent_briefly(client):
    page = client.post("/register", data={"full_name": "Ewa Nowak"}).get_data(as_text=True)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#consent">Polityka prywatności: ' in summary
    assert "Potwierdzam" not in summary and "przetwarzanie" not in summary  # not the whole consent sentence
