"""`next` after login and language switching never leaves the site (issue 9, finding 7)."""

from __future__ import annotations

import pytest

from elearn.core.security import is_safe_next
from tests.helpers import PASSWORD

UNSAFE = [
    "http:evil.example",
    "https:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/ok\\..\\evil",
    " /dashboard",
    "\t/dashboard",
    "\n//evil.example",
    "\x01/dashboard",
    "/dash\nboard",
    "/dash board",
    "/dash\x7fboard",
    "/dash\x1bboard",
    "/dash\u200bboard",
    "http://evil.example/",
    "https://localhost.evil.example/",
    "evil.example",
    "dashboard",
    "",
]
SAFE = ["/dashboard", "/courses/?q=osl", "/competencies/profile#history"]


@pytest.mark.parametrize("target", UNSAFE)
def test_is_safe_next_refuses(app, target):
    with app.test_request_context("/"):
        assert not is_safe_next(target)


def test_is_safe_next_judges_characters_not_bytes(app):
    """Polish letters are printable and pass; a NUL (which the request parser itself refuses in a query) does not."""
    with app.test_request_context("/"):
        assert is_safe_next("/search?q=społeczność")
        assert not is_safe_next("/dash\x00board")


@pytest.mark.parametrize("target", SAFE)
def test_is_safe_next_accepts_same_site_paths(app, target):
    with app.test_request_context("/"):
        assert is_safe_next(target)


def _login(client, email: str, target: str):
    return client.post("/login", query_string={"next": target}, data={"email": email, "password": PASSWORD})


@pytest.mark.parametrize("target", UNSAFE)
def test_login_does_not_follow_an_unsafe_next(client, make_user, target):
    user = make_user("learner")
    response = _login(client, user.email, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


@pytest.mark.parametrize("target", SAFE)
def test_login_follows_a_safe_next(client, make_user, target):
    user = make_user("learner")
    response = _login(client, user.email, target)
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", UNSAFE)
def test_language_switch_does_not_follow_an_unsafe_next(client, target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", SAFE)
def test_language_switch_follows_a_safe_next(client, target):
    response = client.post("/language", data={"lang": "pl", "next": target})
    assert response.headers["Location"] == target
