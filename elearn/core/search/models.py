"""The search index: one row per searchable document of any domain (its analysed terms are stored beside it by
elearn.core.db.search_index_put, in an FTS5 table on SQLite or a tsvector column on PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import db
from ..timeutil import utcnow


class SearchEntry(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_search_documents_kind_key"),
        Index("ix_search_documents_course_id", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")  # plain text, shown as the highlighted fragment
    context: Mapped[str] = mapped_column(String(300), default="")  # e.g. "course › module" under the title
    url: Mapped[str] = mapped_column(String(500))
    course_id: Mapped[int | None]  # for the course filter; no foreign key: core does not know the courses domain
    role: Mapped[str | None] = mapped_column(String(40))  # for the role filter (animator, mediator, …)
    institution_id: Mapped[int | None]  # documents of one institution, for the kinds' permission functions
    attrs: Mapped[dict] = mapped_column(JSON, default=dict)  # anything else a kind's permission function needs
    title_terms: Mapped[str] = mapped_column(Text, default="")  # canonical lemmas, in order (for phrase ranking)
    body_terms: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
