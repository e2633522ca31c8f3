"""Where SQLite and PostgreSQL differ, one function hides it (DESIGN: data portability)."""

from __future__ import annotations

import re
import sqlite3
from contextvars import ContextVar

from sqlalchemy import Engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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


# Whether SQLite transactions in this context may write. Reading requests (GET/HEAD) set it to False, so they take
# no write lock and readers never queue behind each other; everything else (POST requests, CLI, jobs) keeps True.
sqlite_write_intent: ContextVar[bool] = ContextVar("sqlite_write_intent", default=True)


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    if conn.dialect.name == "sqlite":
        # IMMEDIATE takes the write lock at the start, so concurrent writers queue (busy_timeout) instead of
        # failing mid-way when a read lock cannot be upgraded.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if sqlite_write_intent.get() else "BEGIN")


def init_app(app) -> None:
    from flask import request

    @app.before_request
    def _declare_write_intent():
        sqlite_write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS"))


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_rows_for_update(query, session: Session):
    """SELECT … FOR UPDATE on PostgreSQL; on SQLite the transaction already holds the database write lock."""
    return query.with_for_update() if is_postgresql(session) else query


def insert_if_missing(session: Session, entity, **values) -> None:
    """INSERT … ON CONFLICT DO NOTHING in the database's own dialect: create a row without racing another writer."""
    insert = pg_insert if is_postgresql(session) else sqlite_insert
    session.execute(insert(entity).values(**values).on_conflict_do_nothing())


def check_in(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK constraint allowing only these values, e.g. "role IN ('learner', 'admin')"."""
    return "{} IN ({})".format(column, ", ".join(f"'{v}'" for v in values))


# --- full-text search: an FTS5 virtual table on SQLite, an indexed to_tsvector('simple', …) on PostgreSQL ---------
# A search table has the columns (doc_id, title, body); each domain creates its own in its migration.

_WORD_RE = re.compile(r"\w+", re.UNICODE)


def _search_words(query: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(query or "")][:12]


def fulltext_replace(session: Session, table: str, doc_id: int, title: str, body: str) -> None:
    """Put (or replace) one document in a search table."""
    _check_table(table)
    session.execute(text(f"DELETE FROM {table} WHERE doc_id = :id"), {"id": doc_id})  # noqa: S608 - name checked
    session.execute(
        text(f"INSERT INTO {table} (doc_id, title, body) VALUES (:id, :title, :body)"),  # noqa: S608
        {"id": doc_id, "title": title, "body": body},
    )


def fulltext_search(session: Session, table: str, query: str, limit: int = 200) -> list[int]:
    """Document ids matching every word of the query (as a prefix), best match first; [] for an empty query."""
    _check_table(table)
    words = _search_words(query)
    if not words:
        return []
    if is_postgresql(session):
        tsquery = " & ".join(f"{w}:*" for w in words)
        document = "to_tsvector('simple', title || ' ' || body)"
        sql = (
            f"SELECT doc_id FROM {table} WHERE {document} @@ to_tsquery('simple', :q) "  # noqa: S608 - name checked
            f"ORDER BY ts_rank({document}, to_tsquery('simple', :q)) DESC, doc_id LIMIT :limit"
        )
        rows = session.execute(text(sql), {"q": tsquery, "limit": limit})
    else:
        match = " ".join('"{}"*'.format(w.replace('"', "")) for w in words)
        sql = f"SELECT doc_id FROM {table} WHERE {table} MATCH :q ORDER BY rank LIMIT :limit"  # noqa: S608 - name checked
        rows = session.execute(text(sql), {"q": match, "limit": limit})
    return [int(row[0]) for row in rows]


def _check_table(table: str) -> None:
    if not re.fullmatch(r"[a-z_]+", table):
        raise ValueError(f"not a search table name: {table!r}")
