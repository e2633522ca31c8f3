"""Readiness checks for /readyz: the database answers, Redis answers when configured, the schema is at head."""

from __future__ import annotations

import functools
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session


@functools.lru_cache(maxsize=4)
def migrations_heads(directory: str) -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code; read once per process."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _migrations_directory(app) -> str:
    migrate = app.extensions.get("migrate")
    if migrate is not None:
        return str(migrate.directory)
    return str(Path(app.root_path).parent / "migrations")


def readiness_checks(app, session: Session) -> dict[str, str]:
    """Each check's result: "ok", "skipped" (not configured) or a short reason it failed."""
    checks: dict[str, str] = {}
    revisions: set[str] | None = None
    try:
        session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means not ready; the reason goes to monitoring, not a 500
        session.rollback()
        checks["database"] = f"unreachable: {type(exc).__name__}"
    if checks["database"] != "ok":
        checks["migrations"] = "unknown: database unreachable"
    else:
        try:
            revisions = set(session.execute(text("SELECT version_num FROM alembic_version")).scalars())
        except Exception:  # no alembic_version table: never migrated
            session.rollback()
            revisions = set()
        heads = migrations_heads(_migrations_directory(app))
        if revisions == set(heads):
            checks["migrations"] = "ok"
        else:
            checks["migrations"] = f"database at {','.join(sorted(revisions)) or 'none'}, code at {','.join(sorted(heads))}"
    session.rollback()  # end the read transaction so a pooled connection is not left idle in a transaction
    url = app.config.get("REDIS_URL")
    if not url:
        checks["redis"] = "skipped"
    else:
        try:
            from redis import Redis

            Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # a refused or timed-out connection: not ready
            checks["redis"] = f"unreachable: {type(exc).__name__}"
    return checks
