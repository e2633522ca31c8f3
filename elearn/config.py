"""Settings, read from the environment inside create_app (never at import time)."""

from __future__ import annotations

import os
from pathlib import Path

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production by check_production


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class BaseConfig:
    ELEARN_ENV = "development"
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    BABEL_DEFAULT_LOCALE = "pl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"
    LANGUAGES = ("pl", "en")
    # How Open Badges name the holder: "email" (a salted SHA-256 of the e-mail, the default) or "name" (plain text).
    OPEN_BADGES_RECIPIENT = "email"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True  # Redis down: Flask-Limiter's limits fall back to memory instead of failing requests
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute;50 per hour"  # failed logins per client address
    RATELIMIT_LOGIN_ACCOUNT = "5 per minute;30 per hour"  # failed logins per e-mail address, from anywhere
    RATELIMIT_PASSWORD_CHECK = "5 per 15 minutes"  # noqa: S105 - a limit, not a password; wrong current passwords per account (password change, deletion)
    RATELIMIT_RESET = "5 per minute;20 per hour"
    RATELIMIT_VERIFY = "30 per minute"
    RATELIMIT_DISCUSSION_POST = "6 per minute;60 per hour"  # posts, and separately direct messages, per person
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_USE_TLS = True
    MAIL_USE_SSL = False
    MAIL_DEFAULT_SENDER = "elearn <no-reply@example.org>"
    MAIL_OUTBOX = None  # where messages go when MAIL_SERVER is unset; None: instance/outbox
    REDIS_URL = None
    JOBS_BACKEND = "auto"  # "auto": RQ when REDIS_URL is set; "rq"; anything else runs jobs in-process
    JOBS_INLINE_MODE = "thread"  # in-process jobs: "thread" (a page can poll progress) or "sync"
    RQ_QUEUE = "elearn"
    PASSWORD_RESET_MAX_AGE = 3600
    EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 3600
    # How many reverse proxies in front of the app to trust for each X-Forwarded-* header (Werkzeug's ProxyFix).
    # 0 trusts none: the client address is the TCP peer, as it must be when nothing sits in front of the app.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PORT = 0
    PROXY_FIX_X_PREFIX = 0
    PRIVACY_POLICY_VERSION = "2026-12"  # 2026-12: what the certificate register keeps after erasure
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    # Uploads (checked by core.files.check_upload): allowed extensions, checked by content, and the size limit.
    UPLOAD_TYPES = ("png", "jpg", "jpeg", "webp", "gif", "pdf", "docx", "xlsx", "odt", "ods", "txt")  # lesson files
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    RPL_DOCUMENT_TYPES = ("pdf", "png", "jpg")  # prior-learning evidence
    RPL_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
    PRACTICE_FILE_TYPES = ("pdf", "docx", "odt", "png", "jpg", "jpeg")  # practical assignments
    PRACTICE_FILE_MAX_BYTES = 10 * 1024 * 1024
    ADVISORY_FILE_TYPES = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpg", "jpeg")  # advisory case attachments
    ADVISORY_FILE_MAX_BYTES = 10 * 1024 * 1024
    KNOWLEDGE_FILE_TYPES = ("pdf", "docx", "odt", "xlsx")  # knowledge-base documents (their text is extracted for search)
    KNOWLEDGE_FILE_MAX_BYTES = 15 * 1024 * 1024
    DISCUSSION_FILE_TYPES = ("pdf", "docx", "odt", "xlsx", "png", "jpg", "jpeg")  # attachments to discussion posts
    DISCUSSION_FILE_MAX_BYTES = 5 * 1024 * 1024
    LOGO_TYPES = ("png", "jpg")  # issuer logo on certificates
    LOGO_MAX_BYTES = 10 * 1024 * 1024
    # Bulk certificates: people per transaction, processes rendering PDFs (None: one per core), and the job size
    # below which PDFs are rendered in the job's own process (starting a pool would cost more than it saves).
    CERTIFICATE_BULK_BATCH = 32
    CERTIFICATE_RENDER_PROCESSES = None
    CERTIFICATE_POOL_MIN_JOB = 50
    PUBLIC_BASE_URL = None  # e.g. https://elearn.rops.example.pl; every absolute link (QR codes, e-mails, badges)
    SITE_NAME = "elearn"
    PASSWORD_HASH_FAST = False  # tests only: cheap password hashes
    DEMO_ACCOUNTS = False
    DEMO_PASSWORD = "Demo-haslo-2026"  # noqa: S105 - demo accounts exist only in development


class DevelopmentConfig(BaseConfig):
    DEBUG = False
    DEMO_ACCOUNTS = True


class ProductionConfig(BaseConfig):
    ELEARN_ENV = "production"
    SECRET_KEY = None
    PUBLIC_BASE_URL = None  # must be set to the public https:// address (check_production)
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


class TestingConfig(BaseConfig):
    ELEARN_ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    PASSWORD_HASH_FAST = True


PROXY_FIX_KEYS = ("PROXY_FIX_X_FOR", "PROXY_FIX_X_PROTO", "PROXY_FIX_X_HOST", "PROXY_FIX_X_PORT", "PROXY_FIX_X_PREFIX")
CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "testing": TestingConfig}


def load_environment(app) -> None:
    """Apply environment variables over the class defaults."""
    env = os.environ
    instance = Path(app.instance_path)
    default_db = f"sqlite:///{instance / 'elearn.sqlite3'}"
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(env.get("DATABASE_URL") or default_db)
    if env.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = env["SECRET_KEY"]
    if env.get("REDIS_URL"):
        app.config["REDIS_URL"] = env["REDIS_URL"]
        app.config["RATELIMIT_STORAGE_URI"] = env["REDIS_URL"]
    for key in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER", "PUBLIC_BASE_URL", "OPEN_BADGES_RECIPIENT"):
        if env.get(key):
            app.config[key] = env[key]
    for key in PROXY_FIX_KEYS:
        if env.get(key):
            app.config[key] = int(env[key])
    if not app.config.get("PUBLIC_BASE_URL"):
        app.config["PUBLIC_BASE_URL"] = default_public_base_url(env)
    if env.get("MAIL_PORT"):
        app.config["MAIL_PORT"] = int(env["MAIL_PORT"])
    if env.get("MAIL_USE_TLS") is not None:
        app.config["MAIL_USE_TLS"] = _bool(env.get("MAIL_USE_TLS"), True)
    if env.get("MAIL_USE_SSL") is not None:
        app.config["MAIL_USE_SSL"] = _bool(env.get("MAIL_USE_SSL"))


def default_public_base_url(env) -> str:
    """Without PUBLIC_BASE_URL, links point where `make run` serves: 127.0.0.1 on PORT (5000 unless set)."""
    port = (env.get("PORT") or "").strip()
    return f"http://127.0.0.1:{port if port.isdigit() else '5000'}"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check_production(app) -> None:
    """Refuse to serve production with a missing or development secret."""
    if app.config["ELEARN_ENV"] != "production":
        return
    key = app.config.get("SECRET_KEY")
    if not key or key == DEV_SECRET_KEY or len(key) < 32:
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    if not (app.config.get("PUBLIC_BASE_URL") or "").startswith("https://"):
        raise RuntimeError("PUBLIC_BASE_URL must be the public https:// address: it is printed in certificate QR codes.")
    if app.config.get("DEMO_ACCOUNTS"):
        raise RuntimeError("Demo accounts must not be enabled in production.")
