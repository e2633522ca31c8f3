"""/healthz answers without the database; /readyz names what is not ready (database, Redis, migrations at head)."""

from __future__ import annotations

import os

import pytest

from elearn.extensions import db
from tests.conftest import BACKEND, make_test_app, postgres_url


def test_healthz_answers_without_touching_the_database(client, app):
    from sqlalchemy import event

    statements = []

    def record(*args):
        statements.append(args)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            response = client.get("/healthz")
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert statements == []


def test_readyz_is_ok_on_a_migrated_database_without_redis(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "migrations": "ok", "redis": "skipped"}


def test_readyz_fails_when_configured_redis_is_unreachable(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/readyz")
    finally:
        app.config["REDIS_URL"] = None
    assert response.status_code == 503
    body = response.get_json()
    assert body["failed"] == ["redis"] and body["checks"]["redis"].startswith("unreachable")


def _scratch_url(tmp_path, name: str) -> str:
    if BACKEND == "postgresql":
        return postgres_url(f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    return f"sqlite:///{tmp_path / (name + '.sqlite3')}"


@pytest.mark.no_db_transaction
def test_readyz_is_503_when_the_database_is_behind_the_code(tmp_path):
    from flask_migrate import upgrade

    scratch = make_test_app(_scratch_url(tmp_path, "behind"), tmp_path)
    try:
        with scratch.app_context():
            upgrade(revision="0005_accounts_security")
        response = scratch.test_client().get("/readyz")
        assert response.status_code == 503
        body = response.get_json()
        assert body["failed"] == ["migrations"]
        assert "0005_accounts_security" in body["checks"]["migrations"]
        with scratch.app_context():
            upgrade()
        assert scratch.test_client().get("/readyz").status_code == 200
    finally:
        with scratch.app_context():
            db.engine.dispose()


@pytest.mark.no_db_transaction
def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    missing = tmp_path / "no-such-dir" / "db.sqlite3"  # SQLite cannot open a file in a missing directory
    scratch = make_test_app(f"sqlite:///{missing}", tmp_path)
    response = scratch.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failed"] == ["database", "migrations"]
    assert body["checks"]["database"].startswith("unreachable")
