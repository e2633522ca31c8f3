"""Where SQLite and PostgreSQL differ, one function hides it (DESIGN: data portability)."""

from __future__ import annotations

import re
import sqlite3
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import Engine, event, func, text
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


def forget_inherited_connections(app) -> None:
    """In a process forked from one that had connected (gunicorn's preload_app), drop the pool without closing it.

    A pooled connection is a socket (or SQLite handle) the parent still owns: closing it here would end the parent's
    session, sharing it would interleave two processes' statements. `dispose(close=False)` forgets the connections
    and lets this process open its own (SQLAlchemy, "Using Connection Pools with Multiprocessing or os.fork()")."""
    with app.app_context():
        from ..extensions import db

        for engine in db.engines.values():
            engine.dispose(close=False)


def commit_keeping_loaded(session) -> None:
    """Commit, and keep what the request has loaded as it is instead of expiring it.

    After a plain commit every loaded object is reloaded on its next use, one SELECT per object: a page that shows a
    course's content after writing (a quiz's questions and options after an attempt) made dozens. Use it only where
    what is loaded cannot have changed under the request (published content, the rows it wrote itself)."""
    actual = session() if callable(session) and not isinstance(session, Session) else session  # a scoped_session
    previous = actual.expire_on_commit
    actual.expire_on_commit = False
    try:
        actual.commit()
    finally:
        actual.expire_on_commit = previous


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_rows_for_update(query, session: Session):
    """SELECT … FOR UPDATE on PostgreSQL; on SQLite the transaction already holds the database write lock."""
    return query.with_for_update() if is_postgresql(session) else query


def insert_if_missing(session: Session, entity, **values) -> bool:
    """INSERT … ON CONFLICT DO NOTHING in the database's own dialect: create a row without racing another writer.

    True when this call inserted it. On PostgreSQL a concurrent transaction inserting the same key makes this one
    wait for it; if that one commits, this inserts nothing and returns False (a unique violation with a plain INSERT).
    The row is written directly, not through the ORM: no ORM object for it is in the session afterwards."""
    insert = pg_insert if is_postgresql(session) else sqlite_insert
    table = entity.__table__
    # RETURNING gives no row when nothing was inserted (rowcount is not reliable through the ORM's execute)
    returned = session.execute(insert(table).values(**values).on_conflict_do_nothing().returning(*table.primary_key.columns))
    return returned.first() is not None


def check_in(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK constraint allowing only these values, e.g. "role IN ('learner', 'admin')"."""
    return "{} IN ({})".format(column, ", ".join(f"'{v}'" for v in values))


# --- full-text search ----------------------------------------------------------------------------------------
# The platform's one search index (elearn.core.search) keeps its documents in `search_documents`; the analysed
# terms live in an FTS5 virtual table `search_fts` (rowid = document id) on SQLite, and in a weighted tsvector
# column with a GIN index on PostgreSQL ('simple' configuration: the terms are lemmas already).
# Columns/weights: title lemmas (A), body lemmas (B), unaccented title (C), unaccented body (D).

_TERM_RE = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class TermGroup:
    """One part of a query that a document must match: any of the lemma phrases in the lemma columns, or any of
    the plain phrases in the unaccented columns. A phrase is a tuple of terms (one term for a single word)."""

    lemma_phrases: tuple[tuple[str, ...], ...]
    plain_phrases: tuple[tuple[str, ...], ...] = ()


def search_index_put(session: Session, doc_id: int, title: str, body: str, title_plain: str, body_plain: str) -> None:
    """Store the analysed terms of one document (replacing what it had)."""
    if is_postgresql(session):
        session.execute(
            text(
                "UPDATE search_documents SET terms = setweight(to_tsvector('simple', :t), 'A') "
                "|| setweight(to_tsvector('simple', :b), 'B') || setweight(to_tsvector('simple', :tp), 'C') "
                "|| setweight(to_tsvector('simple', :bp), 'D') WHERE id = :id"
            ),
            {"id": doc_id, "t": title, "b": body, "tp": title_plain, "bp": body_plain},
        )
        return
    session.execute(text("DELETE FROM search_fts WHERE rowid = :id"), {"id": doc_id})
    session.execute(
        text("INSERT INTO search_fts (rowid, title, body, title_plain, body_plain) VALUES (:id, :t, :b, :tp, :bp)"),
        {"id": doc_id, "t": title, "b": body, "tp": title_plain, "bp": body_plain},
    )


def search_index_delete(session: Session, doc_ids: list[int]) -> None:
    """Forget the terms of these documents (on PostgreSQL they go with the document row)."""
    if doc_ids and not is_postgresql(session):
        for chunk in range(0, len(doc_ids), 500):
            ids = doc_ids[chunk : chunk + 500]
            session.execute(text("DELETE FROM search_fts WHERE rowid IN ({})".format(",".join(str(int(i)) for i in ids))))  # noqa: S608 - ints


def search_index_match(session: Session, groups: list[TermGroup], where, limit: int = 1000) -> list[tuple[int, float]]:
    """(document id, score) of documents matching every group and the SQLAlchemy condition `where` on
    search_documents, best first (higher score is better); [] when there is nothing to match."""
    groups = [g for g in (_clean_group(g) for g in groups) if g.lemma_phrases or g.plain_phrases]
    if not groups:
        return []
    from sqlalchemy import column, select, table

    documents = table("search_documents", column("id"))
    if is_postgresql(session):
        query = " & ".join(_tsquery_group(g) for g in groups)
        tsquery = func.to_tsquery("simple", query)
        terms = column("terms")
        score = func.ts_rank(terms, tsquery)
        stmt = (
            select(documents.c.id, score.label("score"))
            .where(terms.op("@@")(tsquery))
            .where(where)
            .order_by(score.desc(), documents.c.id)
            .limit(limit)
        )
        return [(int(i), float(s)) for i, s in session.execute(stmt)]
    match = " AND ".join(_fts5_group(g) for g in groups)
    fts = table("search_fts", column("rowid"))
    # bm25() is lower-is-better; the column weights favour the title and the exact (accented) lemmas.
    score = text("bm25(search_fts, 10.0, 1.0, 5.0, 0.5)")
    stmt = (
        select(documents.c.id, score)
        .select_from(fts.join(documents, documents.c.id == fts.c.rowid))
        .where(text("search_fts MATCH :match"))
        .where(where)
        .order_by(text("bm25(search_fts, 10.0, 1.0, 5.0, 0.5)"), documents.c.id)
        .limit(limit)
    )
    return [(int(i), -float(s)) for i, s in session.execute(stmt, {"match": match})]


def _clean_group(group: TermGroup) -> TermGroup:
    def clean(phrases):
        out = []
        for phrase in phrases:
            terms = tuple(t for term in phrase for t in _TERM_RE.findall(term.lower()))
            if terms and terms not in out:
                out.append(terms)
        return tuple(out)

    return TermGroup(clean(group.lemma_phrases), clean(group.plain_phrases))


def _fts5_group(group: TermGroup) -> str:
    def phrases(items):
        return " OR ".join('"{}"'.format(" ".join(p)) for p in items)

    parts = []
    if group.lemma_phrases:
        parts.append(f"{{title body}} : ({phrases(group.lemma_phrases)})")
    if group.plain_phrases:
        parts.append(f"{{title_plain body_plain}} : ({phrases(group.plain_phrases)})")
    return "(" + " OR ".join(parts) + ")"


def _tsquery_group(group: TermGroup) -> str:
    def phrase(terms, weights):
        return "(" + " <-> ".join(f"'{t}':{weights}" for t in terms) + ")"

    parts = [phrase(p, "AB") for p in group.lemma_phrases] + [phrase(p, "CD") for p in group.plain_phrases]
    return "(" + " | ".join(parts) + ")"
