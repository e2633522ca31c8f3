"""Security headers, configuration safety, error pages, locale, audit log, rate limiting, migrations."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, select

from elearn import create_app
from elearn.core.audit import audit
from elearn.core.models import AppendOnlyError, AuditEntry
from elearn.extensions import db
from tests.helpers import PASSWORD, make_test_app


def test_security_headers_and_cookie_flags(client, make_user):
    make_user(email="hdr@example.org")
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    login = client.post("/login", data={"email": "hdr@example.org", "password": PASSWORD, "remember": "y"})
    cookies = login.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember
    assert client.get("/dashboard").headers["Cache-Control"] == "private, no-store"


def test_production_refuses_default_or_missing_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "dev-only-not-secret")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app("production")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://szkolenia.rops.example.pl")
    app = create_app({"ELEARN_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    assert not app.config["DEMO_ACCOUNTS"]


def test_instance_config_py_is_read_from_the_instance_folder(monkeypatch, tmp_path):
    """README: settings come from the environment, then instance/config.py. The file was looked up beside the package
    (so elearn/config.py was read instead) and an operator's instance/config.py was silently ignored."""
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text('RQ_QUEUE = "rops-torun"\nCERTIFICATE_BULK_BATCH = 12\n', encoding="utf-8")
    app = create_app({"ELEARN_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert (app.config["RQ_QUEUE"], app.config["CERTIFICATE_BULK_BATCH"]) == ("rops-torun", 12)
    assert "CONFIGS" not in app.config  # nothing of the package's own config module leaks in


def test_polish_404_and_json_errors(client):
    response = client.get("/nie-ma-takiej-strony")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Nie znaleziono strony" in html or "Strona nie istnieje" in html or "404" in html
    assert 'lang="pl"' in html
    assert "Traceback" not in html
    api = client.get("/nie-ma", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.is_json


def _own_database_app(tmp_path, **overrides):
    """A second app on its own migrated database (the shared one is held by this test's transaction)."""
    from flask_migrate import upgrade

    other = make_test_app(f"sqlite:///{tmp_path / 'own.sqlite3'}", tmp_path, **overrides)
    with other.app_context():
        upgrade()
    return other


@pytest.mark.no_db_transaction
def test_unexpected_error_is_a_clean_polish_500_and_rolls_back(tmp_path):
    from sqlalchemy import func

    from elearn.accounts.models import User

    failing = _own_database_app(tmp_path)

    @failing.get("/boom")
    def boom():
        db.session.add(User(email="half@example.org", full_name="Pół Zapisu", password_hash="x"))
        db.session.flush()
        raise ValueError("kaboom")

    client = failing.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert "kaboom" not in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)
    with failing.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "half@example.org")) == 0


def test_english_locale_can_be_chosen(client):
    assert "Zaloguj się" in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"lang": "en", "next": "/login"})
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in html and "Log in" in html
    bad = client.post("/language", data={"lang": "xx", "next": "https://evil.example/"})
    assert "evil" not in bad.headers["Location"]


def test_audit_log_is_append_only_and_visible_to_admins(client, login_as, make_user):
    learner = make_user()
    entry = audit(db.session, "test.action", actor_id=learner.id, target=learner, note="x")
    db.session.commit()
    entry.action = "changed"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    login_as("admin")
    assert "test.action" in client.get("/admin/audit").get_data(as_text=True)


@pytest.mark.no_db_transaction
def test_login_is_rate_limited(tmp_path):
    limited = _own_database_app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    client = limited.test_client()
    statuses = [client.post("/login", data={"email": "a@example.org", "password": "zle-haslo"}).status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429
    page = client.post("/login", data={"email": "a@example.org", "password": "zle-haslo"})
    assert "Zbyt wiele" in page.get_data(as_text=True)


@pytest.mark.no_db_transaction
def test_migrations_downgrade_and_upgrade_cleanly(tmp_path):
    from flask_migrate import downgrade, upgrade

    url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    scratch = make_test_app(url, tmp_path)
    with scratch.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "institutions", "territorial_units", "audit_log"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
    engine = create_engine(url)
    assert "users" in inspect(engine).get_table_names()
    engine.dispose()


def test_nul_bytes_anywhere_are_a_clean_400(client, login_as):
    assert client.get("/courses?q=a%00b").status_code in (302, 400)
    login_as("learner")
    assert client.get("/courses?q=a%00b").status_code == 400
    assert client.get("/courses/kurs%00").status_code == 400
    assert client.get("/admin/x%00y").status_code == 400
