"""No page commits on GET: every GET route, opened as every role, issues no INSERT, UPDATE or DELETE.

The certificate pages with real rows are covered in tests/certificates/test_get_writes_nothing.py; this walk covers
every route with the route walker's placeholder arguments, so a new page that writes while it is read fails here."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import event

from elearn.accounts.models import ROLES
from elearn.extensions import db

WRITES = ("INSERT", "UPDATE", "DELETE")
# Links that act by design when followed (e-mailed one-time links): their writes are their purpose.
ACTING_LINKS = {"accounts.confirm_email"}
PLACEHOLDER = {"IntegerConverter": 999999, "BoundedIntConverter": 999999}


def _get_urls(app) -> list[str]:
    """Every GET route with placeholder arguments (a number for numeric parts, an unknown word otherwise)."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static" or rule.endpoint in ACTING_LINKS:
                continue
            args = {a: PLACEHOLDER.get(type(rule._converters[a]).__name__, "nieistniejacy") for a in rule.arguments}
            urls.append(url_for(rule.endpoint, **args))
    return urls


@pytest.mark.parametrize("role", [None, *ROLES])
def test_no_get_route_writes(app, client, make_user, login, role):
    user = make_user(role) if role is not None else None
    writes: list[str] = []
    current: list[str] = [""]

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(WRITES):
            writes.append(f"GET {current[0]}: {statement.split(chr(10))[0][:120]}")

    for url in _get_urls(app):
        if user is not None:
            login(user)
        current[0] = url
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            client.get(current[0])
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert writes == []
