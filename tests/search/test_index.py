"""The index on both backends (core/db hides FTS5 and tsvector): matching, phrases, the fallback, incremental
updates from every content change, drafts never served, and `flask search reindex`."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select, text

from elearn.core import search
from elearn.core.db import TermGroup, search_index_match
from elearn.core.search.models import SearchEntry
from elearn.extensions import db

BACKEND = os.environ.get("ELEARN_TEST_BACKEND", "sqlite")


@pytest.fixture
def scratch_kind(monkeypatch):
    from elearn.core.search import registry

    kind = search.SearchKind("scratch", "Scratch", documents=lambda _session: [])
    monkeypatch.setitem(registry._kinds, "scratch", kind)
    return kind


def _doc(key, title, body="", **kw):
    return search.Document(kind="scratch", key=key, title=title, body=body, url=f"/x/{key}", **kw)


def _keys(query, **kw):
    return [key for kind, key, _c in search.search_ids(db.session, query, kinds_=("scratch",), **kw)]


def test_match_phrases_fallback_and_ranking(app, scratch_kind):
    search.index_document(db.session, _doc("a", "Zebranie wiejskie", "Sołtys omawia fundusz sołecki na zebraniu."))
    search.index_document(db.session, _doc("b", "Fundusz sołecki", "Jak gmina wyodrębnia środki."))
    search.index_document(db.session, _doc("c", "Inne", "Sołecki teren i fundusz celowy gminy."))
    assert _keys("funduszu sołeckiego") == ["b", "a", "c"]  # title first, then the exact phrase
    assert _keys('"fundusz sołecki"') == ["b", "a"]  # a phrase: c has both words, apart
    assert _keys("funduszem soleckim") == ["b", "a", "c"]  # typed without Polish letters
    assert _keys("funduszu celowego") == ["c"]  # several words: all of them
    assert _keys("nieistniejące") == []


def test_the_dialect_functions_take_alternatives_and_conditions(app, scratch_kind):
    search.index_document(db.session, _doc("a", "Mediacja", "", role="mediator"))
    search.index_document(db.session, _doc("b", "Rada", "", role="animator"))
    where = text("search_documents.kind = 'scratch'")
    found = search_index_match(db.session, [TermGroup((("mediacja",), ("rada",)))], where)
    assert len(found) == 2
    mediator_only = text("search_documents.kind = 'scratch' AND search_documents.role = 'mediator'")
    assert len(search_index_match(db.session, [TermGroup((("mediacja",), ("rada",)))], mediator_only)) == 1
    assert search_index_match(db.session, [TermGroup((("'\"; drop",),))], where) == []
    assert search_index_match(db.session, [], where) == []


def test_replacing_and_removing_documents_updates_the_index(app, scratch_kind):
    search.index_document(db.session, _doc("a", "Superwizja", "Stary tekst."))
    search.index_document(db.session, _doc("a", "Superwizja", "Nowy tekst o wypaleniu."))
    assert _keys("wypalenie") == ["a"]
    assert _keys("stary") == []
    search.remove_document(db.session, "scratch", "a")
    assert _keys("superwizja") == []
    assert db.session.scalar(select(func.count()).select_from(SearchEntry).where(SearchEntry.kind == "scratch")) == 0


@pytest.mark.skipif(BACKEND != "postgresql", reason="runs when the suite runs on PostgreSQL")
def test_postgresql_index_is_a_gin_over_the_tsvector():
    index = db.session.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_search_documents_terms'")).scalar()
    assert "gin" in index.lower() and "terms" in index


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite path")
def test_sqlite_index_is_an_fts5_table():
    sql = db.session.execute(text("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")).scalar()
    assert "fts5" in sql.lower()


def test_course_sync_reindexes_and_drops_removed_lessons(app, tmp_path):
    from elearn.courses.services.sync import sync_courses
    from tests.courses.helpers import MODULE_TWO, write_course

    course_root = tmp_path / "courses"
    write_course(course_root, "kurs-szukany", title="Kurs o sąsiedztwie")
    sync_courses(db.session, course_root)
    keys = {k for _kind, k, _c in search.search_ids(db.session, "lekcji", kinds_=("lesson",))}
    assert "kurs-szukany/pierwsza-lekcja" in keys
    (course_root / "kurs-szukany" / "01-pierwszy.md").unlink()
    write_course(course_root, "kurs-szukany", {"02-drugi.md": MODULE_TWO}, title="Kurs o sąsiedztwie", hours=1)
    sync_courses(db.session, course_root)
    lessons = set(db.session.scalars(select(SearchEntry.key).where(SearchEntry.kind == "lesson", SearchEntry.key.like("kurs-szukany/%"))))
    assert lessons == {"kurs-szukany/jedyna-lekcja"}


def test_loading_the_framework_indexes_competences(app):
    keys = {k for _kind, k, _c in search.search_ids(db.session, "mediacji", kinds_=("competence",))}
    assert "MED.2.1" in keys


def test_reindex_command_rebuilds_every_kind(app):
    search.remove_documents(db.session, "lesson")
    assert search.search_ids(db.session, "mediacja", kinds_=("lesson",)) == []
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "reindex", "--kind", "lesson"])
    assert result.exit_code == 0, result.output
    assert "lesson:" in result.output
    assert search.search_ids(db.session, "mediacja", kinds_=("lesson",))
    bad = runner.invoke(args=["search", "reindex", "--kind", "nope"])
    assert bad.exit_code != 0 and "unknown kind" in bad.output
