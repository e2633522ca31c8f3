"""Walk every registered route as every role and as an anonymous visitor; each route must declare who may use it."""

from __future__ import annotations

import pytest

from elearn.accounts.models import ROLES

# Endpoints anyone may open (no login). Everything else must carry @role_required.
PUBLIC_ENDPOINTS = {
    "static",
    "core.index",
    "core.privacy",
    "core.accessibility",
    "core.health",
    "core.set_language",
    "accounts.login",
    "accounts.register",
    "accounts.reset_request",
    "accounts.reset_password",
    "accounts.confirm_email",
    "certificates.verify",
    "certificates.verify_form",
    "certificates.verify_badge",
    "events.calendar",
    "events.detail",
    "events.ics",
    "events.feed",
}
PUBLIC_PREFIXES = ("certificates.verify",)
DUMMY = {"int": "999999", "string": "nieistniejacy", "path": "nieistniejacy/plik.txt", "default": "nieistniejacy"}


def _is_public(endpoint: str) -> bool:
    return endpoint in PUBLIC_ENDPOINTS or endpoint.startswith(PUBLIC_PREFIXES)


def _url_for_rule(rule) -> str:
    url = rule.rule
    for arg in rule.arguments:
        converter = type(rule._converters[arg]).__name__.replace("Converter", "").lower()
        value = DUMMY.get({"integer": "int", "unicode": "string", "any": "string"}.get(converter, converter), DUMMY["default"])
        url = url.replace(f"<{arg}>", value)
        for kind in ("int", "string", "path", "uuid", "float"):
            url = url.replace(f"<{kind}:{arg}>", value)
    return url


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule


def test_every_route_declares_its_roles(app):
    undeclared = []
    for rule in _routes(app):
        view = app.view_functions[rule.endpoint]
        if not _is_public(rule.endpoint) and not hasattr(view, "required_roles"):
            undeclared.append(f"{rule.endpoint} {rule.rule}")
    assert not undeclared, f"routes without @role_required and not listed as public: {undeclared}"


@pytest.mark.parametrize("role", [None, *ROLES])
def test_walk_every_route(app, client, make_user, login, role):
    user = make_user(role) if role is not None else None
    problems = []
    for rule in _routes(app):
        if user is not None:
            login(user)  # again before every request: POST /logout on the way logs the client out
        view = app.view_functions[rule.endpoint]
        required = getattr(view, "required_roles", None)
        url = _url_for_rule(rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        status = response.status_code
        location = response.headers.get("Location", "")
        if status >= 500:
            problems.append(f"{method} {url}: server error {status}")
        elif _is_public(rule.endpoint):
            continue
        elif role is None:
            if not (status == 302 and "/login" in location):
                problems.append(f"{method} {url}: anonymous got {status} {location}, expected redirect to login")
        elif required and role not in required:
            if status != 403:
                problems.append(f"{method} {url}: {role} got {status}, expected 403 (allowed: {required})")
        elif status in (401, 403) or (status == 302 and "/login" in location):
            problems.append(f"{method} {url}: {role} got {status}, but the route allows {required or 'any logged-in user'}")
    assert not problems, "\n".join(problems)
