"""Count the SQL statements a block runs (an SQLAlchemy event listener on the app's engine)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from elearn.extensions import db


@contextmanager
def counted_queries():
    """Yields a list that collects every statement executed inside the block (on any connection of the engine)."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
