"""Wrong passwords are throttled per account and per client address; successes never count; proxies are trusted
only as configured."""

from __future__ import annotations

import pytest

from elearn.accounts.models import User
from elearn.extensions import db
from tests.helpers import PASSWORD, make_test_app

WRONG = "to-nie-jest-haslo"


@pytest.fixture
def throttled(app, monkeypatch):
    """Turn the failure throttle on for one test, with a fresh in-memory count."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.extensions, "elearn_throttle", None)

    def limits(**values: str) -> None:
        for key, value in values.items():
            monkeypatch.setitem(app.config, key, value)

    return limits


def _login(client, email: str, password: str, address: str):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


@pytest.mark.no_db_transaction
def test_successful_logins_from_one_address_lock_nobody_out(tmp_path, monkeypatch):
    """A training room behind one NAT: ten people log in within a minute, with every rate limiter switched on."""
    from flask_migrate import upgrade

    from elearn.accounts import services
    from elearn.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", limiter.enabled)  # this app switches the shared limiter on; undo after
    room = make_test_app(f"sqlite:///{tmp_path / 'room.sqlite3'}", tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    with room.app_context():
        upgrade()
        emails = [
            services.create_user(db.session, email=f"sala{n}@example.org", full_name="Osoba Na Sali", password=PASSWORD).email
            for n in range(10)
        ]
        db.session.commit()
        client = room.test_client()
        for email in emails:
            assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
            client.post("/logout")
        db.engine.dispose()


def test_failures_on_one_account_do_not_lock_another(client, make_user, throttled):
    throttled(RATELIMIT_LOGIN="100 per minute", RATELIMIT_LOGIN_ACCOUNT="3 per minute")
    target, bystander = make_user(email="cel@example.org"), make_user(email="obok@example.org")
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):  # guesses spread over several addresses
        assert _login(client, target.email, WRONG, address).status_code == 200
    blocked = _login(client, target.email, PASSWORD, "198.51.100.4")
    assert blocked.status_code == 429
    assert "Zbyt wiele nieudanych prób logowania na to konto" in blocked.get_data(as_text=True)
    assert _login(client, bystander.email, PASSWORD, "198.51.100.5").status_code == 302


def test_failures_from_one_address_do_not_lock_another_address(client, make_user, throttled):
    throttled(RATELIMIT_LOGIN="3 per minute", RATELIMIT_LOGIN_ACCOUNT="100 per minute")
    user = make_user()
    for n in range(3):
        _login(client, f"zgadywany{n}@example.org", WRONG, "203.0.113.7")
    assert _login(client, user.email, PASSWORD, "203.0.113.7").status_code == 429
    assert _login(client, user.email, PASSWORD, "203.0.113.8").status_code == 302


def test_forwarded_for_is_ignored_without_a_configured_proxy(client, throttled):
    throttled(RATELIMIT_LOGIN="2 per minute")
    for forged in ("10.1.1.1", "10.2.2.2"):
        client.post("/login", data={"email": "x@example.org", "password": WRONG}, headers={"X-Forwarded-For": forged})
    third = client.post("/login", data={"email": "y@example.org", "password": WRONG}, headers={"X-Forwarded-For": "10.3.3.3"})
    assert third.status_code == 429  # every forged address was the same client


@pytest.mark.no_db_transaction
def test_forwarded_for_is_honoured_for_one_configured_proxy(app, database_url, tmp_path):
    proxied = make_test_app(database_url, tmp_path, PROXY_FIX_X_FOR=1, RATELIMIT_LOGIN="2 per minute")
    proxied.config["RATELIMIT_ENABLED"] = True  # only the failure throttle reads this at request time
    client = proxied.test_client()
    for _ in range(2):
        client.post("/login", data={"email": "x@example.org", "password": WRONG}, headers={"X-Forwarded-For": "10.1.1.1"})
    assert (
        client.post("/login", data={"email": "y@example.org", "password": WRONG}, headers={"X-Forwarded-For": "10.1.1.1"}).status_code
        == 429
    )
    assert (
        client.post("/login", data={"email": "y@example.org", "password": WRONG}, headers={"X-Forwarded-For": "10.2.2.2"}).status_code
        == 200
    )
    with proxied.app_context():
        db.engine.dispose()


def test_current_password_guesses_are_limited_per_account(client, login, make_user, throttled):
    throttled(RATELIMIT_PASSWORD_CHECK="3 per 15 minutes")
    user = login(make_user())
    change = {"password": "nowe-haslo-2026!", "password_confirm": "nowe-haslo-2026!"}
    for _ in range(2):
        assert client.post("/account/password", data={"current_password": WRONG, **change}).status_code == 200
    assert client.post("/account/delete", data={"password": WRONG, "confirm": "y"}).status_code == 200
    # The fourth try is refused even with the right password, on either form.
    refused = client.post("/account/password", data={"current_password": PASSWORD, **change})
    assert refused.status_code == 429
    assert "Zbyt wiele błędnych haseł" in refused.get_data(as_text=True)
    assert client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"}).status_code == 429
    assert db.session.get(User, user.id).erased_at is None
    # Another account is not affected.
    login(make_user())
    assert client.post("/account/password", data={"current_password": PASSWORD, **change}).status_code == 302
