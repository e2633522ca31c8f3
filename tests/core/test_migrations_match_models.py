"""The models and the migrations describe the same schema, and the latest migration downgrades and upgrades cleanly.

On a fresh database upgraded to head, Alembic's autogenerate comparison against the models must find nothing.
Ignored: the full-text search tables created by migrations in raw SQL (FTS5 virtual tables and their shadow tables
on SQLite; the table's expression GIN index on PostgreSQL), which no model describes.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import inspect

from elearn.extensions import db
from tests.conftest import BACKEND, make_test_app, postgres_url

pytestmark = pytest.mark.no_db_transaction


def _scratch_app(tmp_path, name: str):
    if BACKEND == "postgresql":
        url = postgres_url(f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    else:
        url = f"sqlite:///{tmp_path / (name + '.sqlite3')}"
    return make_test_app(url, tmp_path)


def _is_search(name: str) -> bool:
    """The search index core.db builds in raw SQL: FTS5 `search_fts` (and its shadow tables) on SQLite, the weighted
    tsvector column `search_documents.terms` with its GIN index on PostgreSQL."""
    return name.startswith("search_fts") or name == "ix_search_documents_terms"


def _is_search_noise(diff) -> bool:
    """What the search migration makes in raw SQL and no model describes (see _is_search)."""
    if not isinstance(diff, tuple):
        return False
    if diff[0] == "remove_table":
        return _is_search(diff[1].name)
    if diff[0] == "remove_index":
        return _is_search(diff[1].name)
    if diff[0] == "remove_column":  # (op, schema, table, column)
        return diff[2] == "search_documents" and diff[3].name == "terms"
    return False


def test_models_and_migrations_agree(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    scratch = _scratch_app(tmp_path, "schema")
    try:
        with scratch.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
                diffs = compare_metadata(context, db.metadata)
        remaining = [d for d in diffs if not _is_search_noise(d)]
        assert remaining == [], f"models and migrations differ: {remaining}"
    finally:
        with scratch.app_context():
            db.engine.dispose()


def test_latest_migration_downgrades_and_upgrades(tmp_path):
    from flask_migrate import downgrade, upgrade

    scratch = _scratch_app(tmp_path, "roundtrip")
    try:
        with scratch.app_context():
            upgrade()
            at_head = {t: {c["name"] for c in inspect(db.engine).get_columns(t)} for t in inspect(db.engine).get_table_names()}
            downgrade(revision="-1")
            upgrade()
            again = {t: {c["name"] for c in inspect(db.engine).get_columns(t)} for t in inspect(db.engine).get_table_names()}
        assert again == at_head
    finally:
        with scratch.app_context():
            db.engine.dispose()
