"""Shared fixtures: one migrated database per test process, a rolled-back transaction per test.

The backend is SQLite by default; ELEARN_TEST_BACKEND=postgresql uses TEST_DATABASE_URL (one database
per xdist worker, created on the fly).
"""

from __future__ import annotations

import itertools
import os
import shutil

import pytest
from sqlalchemy.engine import make_url

from elearn.accounts import services as accounts
from elearn.accounts.models import ROLES, User
from elearn.directory.models import Institution, TerritorialUnit
from elearn.extensions import db, limiter
from tests.helpers import BACKEND, PASSWORD, make_test_app, migrate_and_seed, postgres_url, worker


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if BACKEND == "postgresql":
        return postgres_url(worker())
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    template = os.environ.get("ELEARN_TEST_SQLITE_TEMPLATE")
    if template and BACKEND == "sqlite":
        # A copy of an already migrated and seeded database (tools/mutate.py runs the tests once per mutant).
        shutil.copyfile(template, make_url(database_url).database)
    application = make_test_app(database_url, tmp_path_factory.mktemp("instance"))
    if not (template and BACKEND == "sqlite"):
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


@pytest.fixture
def runner(app):
    """Invokes `flask` CLI commands in the test's transaction: runner.invoke(args=["users", "create", ...])."""
    return app.test_cli_runner()


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
