"""search: one index for every kind of document, analysed into Polish lemmas

Revision ID: 0012_search
Revises: 0006_notifications
Create Date: 2026-12-01 16:00:00

Replaces the courses' own `course_search` table. The documents live in `search_documents`; their analysed terms
(lemmas and unaccented lemmas, see elearn.core.search.analysis) in an FTS5 virtual table `search_fts` on SQLite, or
in a weighted tsvector column `terms` with a GIN index on PostgreSQL. The index is filled by `flask search
reindex` (run by `flask setup`) and kept current by the domains' services.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_search'
down_revision = '0011_role_certificates'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DROP TABLE IF EXISTS course_search")
    op.create_table('search_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('context', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=40), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('attrs', sa.JSON(), nullable=False),
    sa.Column('title_terms', sa.Text(), nullable=False),
    sa.Column('body_terms', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('kind', 'key', name='uq_search_documents_kind_key')
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_course_id', ['course_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_documents ADD COLUMN terms tsvector NOT NULL DEFAULT ''::tsvector")
        op.execute("CREATE INDEX ix_search_documents_terms ON search_documents USING GIN (terms)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, body, title_plain, body_plain, tokenize = 'unicode61 remove_diacritics 0')"
        )


def downgrade():
    op.execute("DROP TABLE IF EXISTS search_fts")
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_course_id')
    op.drop_table('search_documents')
    # The courses' earlier search table comes back empty; `flask courses sync` refills it on that version.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE course_search (doc_id INTEGER PRIMARY KEY REFERENCES courses(id) ON DELETE CASCADE, "
            "title TEXT NOT NULL, body TEXT NOT NULL)"
        )
        op.execute(
            "CREATE INDEX ix_course_search_document ON course_search "
            "USING GIN (to_tsvector('simple', title || ' ' || body))"
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE course_search USING fts5("
            "doc_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
