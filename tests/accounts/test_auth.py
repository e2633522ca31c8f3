from __future__ import annotations

from sqlalchemy import func, select

from elearn.accounts.models import User
from elearn.extensions import db
from tests.helpers import PASSWORD


def _count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_login_logout_and_wrong_password(client, make_user):
    user = make_user(email="ola@example.org")
    bad = client.post("/login", data={"email": "ola@example.org", "password": "zle-haslo-123"})
    assert bad.status_code == 200
    assert "Nieprawidłowy adres e-mail lub hasło" in bad.get_data(as_text=True)
    good = client.post("/login", data={"email": "OLA@example.org", "password": PASSWORD})
    assert good.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert db.session.get(User, user.id).last_login_at is not None
    client.post("/logout")
    assert client.get("/dashboard").status_code == 302


def test_login_rejects_open_redirect(client, make_user):
    make_user(email="redir@example.org")
    response = client.post("/login?next=https://evil.example/", data={"email": "redir@example.org", "password": PASSWORD})
    assert response.headers["Location"].endswith("/dashboard")
    response = client.post("/login?next=//evil.example/x", data={"email": "redir@example.org", "password": PASSWORD})
    assert "evil" not in response.headers["Location"]


def test_inactive_user_cannot_log_in(client, make_user):
    user = make_user(email="off@example.org")
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": "off@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "/dashboard" not in response.headers.get("Location", "")


def test_password_change(client, login_as):
    user = login_as("learner")
    wrong = client.post(
        "/account/password",
        data={"current_password": "nie-to-haslo", "password": "nowe-haslo-2026!", "password_confirm": "nowe-haslo-2026!"},
    )
    assert "Obecne hasło jest nieprawidłowe" in wrong.get_data(as_text=True)
    ok = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": "nowe-haslo-2026!", "password_confirm": "nowe-haslo-2026!"}
    )
    assert ok.status_code == 302
    from elearn.accounts.services import check_password

    assert check_password(db.session.get(User, user.id), "nowe-haslo-2026!")
