"""Shared fixtures: one migrated database per test process, a rolled-back transaction per test.

The backend is SQLite by default; ELEARN_TEST_BACKEND=postgresql uses TEST_DATABASE_URL (one database
per xdist worker, created on the fly).
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from elearn import create_app
from elearn.accounts import services as accounts
from elearn.accounts.models import ROLES, User
from elearn.directory.models import Institution, TerritorialUnit
from elearn.extensions import db, limiter

PASSWORD = "Haslo-testowe-2026"
BACKEND = os.environ.get("ELEARN_TEST_BACKEND", "sqlite")


def _worker() -> str:
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


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if BACKEND == "postgresql":
        return postgres_url(_worker())
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    application = make_test_app(database_url, tmp_path_factory.mktemp("instance"))
    migrate_and_seed(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _limiter_switch_restored():
    """Flask-Limiter keeps its on/off switch on the one shared extension, and every create_app sets it: a test that
    builds an app with rate limits on must not leave them on for the session's app (later logins would get 429)."""
    enabled = limiter.enabled
    yield
    limiter.enabled = enabled


@pytest.fixture(autouse=True)
def db_session(request):
    """Every test runs inside a transaction that is rolled back; services' commits become savepoints."""
    if "no_db_transaction" in request.keywords:
        yield None
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        # Flask-SQLAlchemy picks the bind from db.engines, so the test connection stands in for the engine.
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        engines[None] = connection
        db.session.remove()
        factory = db.session.session_factory
        saved = dict(factory.kw)
        factory.configure(join_transaction_mode="create_savepoint")
        try:
            yield db.session
        finally:
            db.session.remove()
            factory.kw.clear()
            factory.kw.update(saved)
            engines[None] = engine
            if transaction.is_active:
                transaction.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


_counter = itertools.count(1)


@pytest.fixture
def institution(app) -> Institution:
    unit = db.session.scalar(db.select(TerritorialUnit).where(TerritorialUnit.code == "0415042"))  # gmina Lubicz
    return db.session.scalar(db.select(Institution).where(Institution.served_area_id == unit.id))


@pytest.fixture
def make_user(app, institution):
    def factory(*roles: str, email: str | None = None, full_name: str | None = None, institution_id: int | None = None, **kwargs) -> User:
        n = next(_counter)
        user = accounts.create_user(
            db.session,
            email=email or f"user{n}@example.org",
            full_name=full_name or f"Jan Testowy{chr(ord('a') + n % 26)}",
            password=PASSWORD,
            roles=roles or ("learner",),
            institution_id=institution_id if institution_id is not None else institution.id,
            job_title=kwargs.pop("job_title", "pracownik socjalny"),
        )
        db.session.commit()
        return user

    return factory


@pytest.fixture
def login(client):
    """Log the test client in as a user (through the session, as Flask-Login stores it)."""

    def do_login(user: User):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return do_login


@pytest.fixture
def login_as(make_user, login):
    """login_as("trainer") creates a user with that role and logs the client in."""

    def do(*roles: str, **kwargs) -> User:
        assert set(roles) <= set(ROLES)
        return login(make_user(*roles, **kwargs))

    return do
