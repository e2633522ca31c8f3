"""Absolute links come from PUBLIC_BASE_URL, and integer URL parts stay inside the database's range (issue 9: 3, 9)."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest

from elearn.config import default_public_base_url
from elearn.core.urls import MAX_DB_INT, external_url


def _mail_to(app, address: str) -> str:
    for path in sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == address:
            return message.get_body(preferencelist=("plain",)).get_content()
    raise AssertionError(f"no mail to {address}")


def test_reset_link_ignores_a_forged_host_header(app, client, make_user):
    make_user(email="host-header@example.org")
    response = client.post("/password-reset", data={"email": "host-header@example.org"}, headers={"Host": "evil.example"})
    assert response.status_code == 302
    body = _mail_to(app, "host-header@example.org")
    assert "evil.example" not in body
    assert "http://localhost/password-reset/" in body


def test_external_url_uses_the_configured_base_with_its_path(app):
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert external_url("certificates.verify", code="abc") == "http://localhost/verify/abc"
        app.config["PUBLIC_BASE_URL"] = "https://szkolenia.example.pl/elearn/"
        try:
            assert external_url("accounts.login") == "https://szkolenia.example.pl/elearn/login"
        finally:
            app.config["PUBLIC_BASE_URL"] = "http://localhost"


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "http://127.0.0.1:5000"), ({"PORT": "5102"}, "http://127.0.0.1:5102"), ({"PORT": "nonsense"}, "http://127.0.0.1:5000")],
)
def test_development_base_url_follows_the_port_make_run_serves_on(env, expected):
    assert default_public_base_url(env) == expected


def test_app_without_public_base_url_takes_the_port(monkeypatch, tmp_path):
    from elearn import create_app

    monkeypatch.setenv("PORT", "5102")
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path))
    application = create_app({"ELEARN_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert application.config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5102"


HUGE = [str(2**63), str(2**31), str(MAX_DB_INT + 1), "9" * 40]


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize(
    ("role", "template"),
    [
        ("issuer", "/certificates/{}"),
        ("issuer", "/certificates/jobs/{}.json"),
        ("trainer", "/competencies/learners/{}"),
        ("learner", "/competencies/evidence/{}/document"),
        ("learner", "/certificates/{}/pdf"),
    ],
)
def test_ids_beyond_the_id_columns_are_404(client, login_as, role, template, value):
    login_as(role)
    assert client.get(template.format(value)).status_code == 404


def test_largest_id_is_an_ordinary_404(client, login_as):
    login_as("issuer")
    assert client.get(f"/certificates/{MAX_DB_INT}").status_code == 404


@pytest.mark.parametrize(
    ("role", "url"),
    [("admin", "/admin/audit"), ("admin", "/admin/users"), ("issuer", "/certificates/register"), ("admin", "/admin/institutions/")],
)
def test_page_numbers_are_bounded(client, login_as, role, url):
    login_as(role)
    assert client.get(url, query_string={"page": str(2**63)}).status_code == 404
    assert client.get(url, query_string={"page": "9" * 30}).status_code == 404
    assert client.get(url, query_string={"page": "abc"}).status_code == 200
    assert client.get(url, query_string={"page": "2"}).status_code == 200
