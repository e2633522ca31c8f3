"""Reading a page never writes: the issuer profile is stored at setup, a GET shows defaults without inserting them."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import delete, event, func, select

from elearn.certificates import services
from elearn.certificates.models import IssuerProfile
from elearn.extensions import db

from .helpers import ANIMATOR, complete

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def written_statements():
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(WRITES):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def no_issuer_profile():
    """A database migrated but not yet set up: no profile row."""
    db.session.execute(delete(IssuerProfile))
    db.session.commit()


def _profiles() -> int:
    return db.session.scalar(select(func.count()).select_from(IssuerProfile))


def test_branding_page_shows_defaults_without_storing_them(client, login_as, no_issuer_profile):
    login_as("admin")
    with written_statements() as writes:
        page = client.get("/certificates/branding").get_data(as_text=True)
        assert client.get("/certificates/branding/logo").status_code == 404
    assert services.DEFAULT_PROFILE["name"] in page
    assert writes == []
    assert _profiles() == 0


def test_request_page_writes_nothing(client, login_as, no_issuer_profile):
    user = login_as("learner")
    complete(user.id)
    db.session.commit()
    with written_statements() as writes:
        response = client.get(f"/certificates/request/{ANIMATOR}")
    assert response.status_code == 200
    assert writes == []
    assert _profiles() == 0


def test_account_page_writes_nothing(client, login_as):
    login_as("learner")
    with written_statements() as writes:
        assert client.get("/account").status_code == 200
    assert writes == []


def test_first_branding_save_stores_the_profile(client, login_as, no_issuer_profile):
    login_as("admin")
    data = {**{k: v for k, v in services.DEFAULT_PROFILE.items() if not k.startswith("show_")}, "number_prefix": "ROPS-NOWY"}
    assert client.post("/certificates/branding", data=data).status_code == 302
    assert services.issuer_profile(db.session).number_prefix == "ROPS-NOWY"
    assert _profiles() == 1


def test_setup_stores_the_profile_once():
    db.session.execute(delete(IssuerProfile))
    assert services.ensure_issuer_profile(db.session) is True
    assert services.ensure_issuer_profile(db.session) is False
    assert _profiles() == 1
