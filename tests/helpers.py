"""Building test applications and databases: used by the fixtures in conftest.py and by tests that need an app
of their own (another configuration, a separately committed database)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from elearn import create_app
from elearn.extensions import db

PASSWORD = "Haslo-testowe-2026"
BACKEND = os.environ.get("ELEARN_TEST_BACKEND", "sqlite")


def worker() -> str:
    """The xdist worker running this process, so parallel workers never share a database."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def postgres_url(suffix: str) -> str:
    """Create (or recreate) a PostgreSQL database for this worker and return its URL."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests need it")
    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    # ELEARN_TEST_DB_TAG keeps two checkouts testing on one server from dropping each other's databases.
    tag = os.environ.get("ELEARN_TEST_DB_TAG", "")
    name = re.sub(r"\W", "_", f"{url.database}_elearn_{tag}{suffix}")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (fresh `g` and session), as in production, even though the test
    body holds one open for the rolled-back transaction."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        from flask import has_app_context

        if has_app_context():
            db.session.expire_all()  # the test's own session sees what the request wrote
        return response


def make_test_app(database_url: str, instance: Path, **overrides):
    os.environ["ELEARN_INSTANCE_PATH"] = str(instance)
    config = {
        "ELEARN_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_OUTBOX": str(instance / "outbox"),
        "JOBS_INLINE_MODE": "sync",
        "PUBLIC_BASE_URL": "http://localhost",
        **overrides,
    }
    application = create_app(config)
    application.test_client_class = IsolatedClient
    return application


def migrate_and_seed(app) -> None:
    from flask_migrate import upgrade

    from elearn.seed import load_reference_data

    with app.app_context():
        upgrade()
        load_reference_data()
        db.session.commit()


# --- the route walker's enumeration, shared by tests/core/test_route_permissions.py and the browser reflow walk ---

# A value for each URL converter when no real one is given: nothing of that id or key exists, so a page answers 404.
DUMMY = {"int": "999999", "string": "nieistniejacy", "path": "nieistniejacy/plik.txt", "default": "nieistniejacy"}


def walk_routes(app):
    """Every registered URL rule but the static files."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule


def url_for_rule(rule, values: dict | None = None) -> str:
    """The rule's URL with each argument filled: from `values` (argument name → value) when given, else a dummy
    of the argument's type."""
    url = rule.rule
    for arg in rule.arguments:
        converter = type(rule._converters[arg]).__name__.replace("Converter", "").lower()
        kind = {"integer": "int", "boundedint": "int", "unicode": "string", "any": "string"}.get(converter, converter)
        value = str((values or {}).get(arg, DUMMY.get(kind, DUMMY["default"])))
        url = url.replace(f"<{arg}>", value)
        for kind in ("int", "string", "path", "uuid", "float"):
            url = url.replace(f"<{kind}:{arg}>", value)
    return url


def answer_self_assessment(client, role: str, answers: dict[str, str]):
    """Post the answers area by area, as the paged self-assessment asks; returns the response of the last area."""
    url = f"/competencies/self-assessment?role={role}&area=1"
    for _step in range(40):
        response = client.post(url, data=answers)
        location = response.headers.get("Location", "")
        if response.status_code != 302 or "area=" not in location:
            return response
        url = location
    raise AssertionError("the self-assessment never reached its last area")
