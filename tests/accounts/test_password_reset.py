from __future__ import annotations

import email
import re
from pathlib import Path

from elearn.accounts.models import User
from elearn.accounts.services import check_password, make_reset_token
from elearn.extensions import db


def _outbox(app) -> list[Path]:
    return sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))


def _last_link(app) -> str:
    message = email.message_from_bytes(_outbox(app)[-1].read_bytes(), policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Resetowanie hasła" in message["Subject"] or "hasła" in message["Subject"]
    return re.search(r"http://\S+/password-reset/\S+", body).group(0)


def test_reset_flow_single_use(app, client, make_user):
    user = make_user(email="reset@example.org")
    before = len(_outbox(app))
    response = client.post("/password-reset", data={"email": "reset@example.org"}, follow_redirects=True)
    assert "Jeśli istnieje konto z tym adresem" in response.get_data(as_text=True)
    assert len(_outbox(app)) == before + 1
    link = _last_link(app)
    path = link.split("localhost", 1)[-1]
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": "zupelnie-nowe-haslo", "password_confirm": "zupelnie-nowe-haslo"})
    assert done.status_code == 302
    assert check_password(db.session.get(User, user.id), "zupelnie-nowe-haslo")
    # The same link cannot be used twice.
    again = client.get(path, follow_redirects=True)
    assert "nieprawidłowy, wygasł lub został już użyty" in again.get_data(as_text=True)


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client):
    before = len(_outbox(app))
    response = client.post("/password-reset", data={"email": "nikt@example.org"}, follow_redirects=True)
    assert "Jeśli istnieje konto z tym adresem" in response.get_data(as_text=True)
    assert len(_outbox(app)) == before


def test_expired_and_forged_tokens_are_refused(app, client, make_user, monkeypatch):
    user = make_user()
    token = make_reset_token(user)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert "wygasł" in client.get(f"/password-reset/{forged}", follow_redirects=True).get_data(as_text=True)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    assert "wygasł" in client.get(f"/password-reset/{token}", follow_redirects=True).get_data(as_text=True)
