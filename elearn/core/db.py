"""Where SQLite and PostgreSQL differ, one function hides it (DESIGN: data portability)."""

from __future__ import annotations

import sqlite3

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record):  # noqa: ARG001 - SQLAlchemy event signature
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy, not the sqlite3 module, control transactions, so SAVEPOINT and locking work as documented.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    if conn.dialect.name == "sqlite":
        # IMMEDIATE takes the write lock at the start, so concurrent writers queue instead of failing mid-way.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("sqlite_immediate", True) else "BEGIN")


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_rows_for_update(query, session: Session):
    """SELECT … FOR UPDATE on PostgreSQL; on SQLite the transaction already holds the database write lock."""
    return query.with_for_update() if is_postgresql(session) else query
