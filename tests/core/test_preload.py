"""gunicorn builds the application once in its master (`preload_app`, wsgi.py) and forks the workers from it.

What that needs of the application: warming up configures the ORM and compiles every template, so a new worker
compiles nothing on its first requests; it opens no database connection, so there is none to share across the fork;
and a forked worker forgets any pooled connection it inherited instead of sending statements down its parent's.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from elearn import warm_up
from elearn.core.db import forget_inherited_connections
from elearn.extensions import db
from tests.helpers import make_test_app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.no_db_transaction


@pytest.fixture
def fresh_app(app, tmp_path):
    """A second application on the session's database, as a gunicorn master would build it."""
    application = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "instance")
    yield application
    with application.app_context():
        db.engine.dispose()


def test_after_warm_up_no_page_compiles_a_template(fresh_app, monkeypatch):
    warm_up(fresh_app)

    def no_compiling(*args, **kwargs):
        raise AssertionError("a template was compiled after the warm-up")

    monkeypatch.setattr(fresh_app.jinja_env, "compile", no_compiling)
    client = fresh_app.test_client()
    for path in ("/", "/login", "/register", "/password-reset", "/verify", "/privacy", "/accessibility"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_warm_up_opens_no_database_connection(fresh_app):
    warm_up(fresh_app)
    with fresh_app.app_context():
        pool = db.engine.pool
        assert pool.checkedin() == 0 and pool.checkedout() == 0


def test_a_forked_worker_forgets_the_masters_connections_without_closing_them(fresh_app):
    with fresh_app.app_context():
        with db.engine.connect() as connection:
            inherited = connection.connection.dbapi_connection
        assert db.engine.pool.checkedin() == 1

    forget_inherited_connections(fresh_app)

    with fresh_app.app_context():
        assert db.engine.pool.checkedin() == 0
        with db.engine.connect() as connection:
            assert connection.connection.dbapi_connection is not inherited  # the worker opens its own
            assert connection.execute(text("SELECT 1")).scalar() == 1
    # The master's connection was not closed under it.
    cursor = inherited.cursor()
    cursor.execute("SELECT 1")
    assert cursor.fetchone()[0] == 1
    inherited.close()


def test_gunicorn_conf_preloads_and_its_post_fork_hook_resets_the_pool(fresh_app):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert conf.preload_app is True
    # Recycling a worker every 2 000 requests cost a second worker's start every few seconds under load (BENCHMARKS.md).
    assert conf.max_requests >= 10_000

    with fresh_app.app_context():
        db.engine.connect().close()
        assert db.engine.pool.checkedin() == 1
    worker = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: fresh_app))
    conf.post_fork(server=None, worker=worker)
    with fresh_app.app_context():
        assert db.engine.pool.checkedin() == 0
