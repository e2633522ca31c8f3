"""The issuer queue reads levels and names for all rows at once: its query count does not grow with the rows."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from elearn.certificates import services
from elearn.extensions import db

from .helpers import course, make_graduates


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _queue_queries(client, expected_rows: int) -> int:
    with counted_queries() as statements:
        page = client.get(f"/certificates/queue?course_id={course().id}").get_data(as_text=True)
    assert "Osoba Testowa" in page
    assert len(services.issuer_queue(db.session, course_id=course().id)) == expected_rows
    return len(statements)


def test_queue_query_count_does_not_grow_with_rows(client, login, make_user):
    login(make_user("issuer"))
    make_graduates(2, prefix="mala")
    few = _queue_queries(client, 2)
    make_graduates(10, prefix="duza")
    many = _queue_queries(client, 12)
    assert many == few
