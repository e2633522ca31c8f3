"""Every security header, each Content-Security-Policy directive on its own, and where HSTS and no-store apply."""

from __future__ import annotations

import pytest

from tests.helpers import make_test_app

CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def directives(response) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))


@pytest.mark.parametrize("path", ["/login", "/accessibility", "/static/css/app.css", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert directives(response) == CSP_DIRECTIVES
    assert {name: response.headers.get(name) for name in HEADERS} == HEADERS


def test_hsts_only_in_production(client, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path))  # restored afterwards; make_test_app points it here
    assert "Strict-Transport-Security" not in client.get("/accessibility").headers
    production = make_test_app(
        database_url, tmp_path, ELEARN_ENV="production", SECRET_KEY="x" * 48, PUBLIC_BASE_URL="https://szkolenia.example.pl"
    )
    response = production.test_client().get("/accessibility", base_url="https://szkolenia.example.pl")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert directives(response) == CSP_DIRECTIVES


def test_pages_of_a_logged_in_person_are_not_cached(client, login_as):
    assert "no-store" not in client.get("/accessibility").headers.get("Cache-Control", "")
    login_as("learner")
    assert client.get("/dashboard").headers["Cache-Control"] == "private, no-store"
    assert client.get("/accessibility").headers["Cache-Control"] == "private, no-store"
    static = client.get("/static/css/app.css")  # a response with its own caching rule keeps it
    assert static.headers["Cache-Control"] != "private, no-store"
