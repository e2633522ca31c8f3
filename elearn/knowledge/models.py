"""Resources of the knowledge base, their document versions and their tags.

A resource is a document (an uploaded PDF, DOCX, ODT or XLSX), a link or a Markdown article. Staff (trainers, ROPS)
publish directly; a learner's proposal waits for a staff review. A document keeps every uploaded version: the
newest is current, the older ones stay downloadable and are marked as superseded.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import check_in
from ..core.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..directory.models import TerritorialUnit

DOCUMENT, LINK, ARTICLE = "document", "link", "article"
FORMATS = (DOCUMENT, LINK, ARTICLE)
FORMAT_LABELS = {DOCUMENT: _l("Document"), LINK: _l("Link"), ARTICLE: _l("Article")}

LEGAL_ACT, GUIDELINES, RESEARCH, GOOD_PRACTICE = "legal_act", "guidelines", "research_report", "good_practice"
TEMPLATE, STRATEGY, GUIDE = "template", "sample_strategy", "guide"
TYPES = (LEGAL_ACT, GUIDELINES, RESEARCH, GOOD_PRACTICE, TEMPLATE, STRATEGY, GUIDE)
TYPE_LABELS = {
    LEGAL_ACT: _l("Legal act"),
    GUIDELINES: _l("Guidelines"),
    RESEARCH: _l("Research report"),
    GOOD_PRACTICE: _l("Good practice"),
    TEMPLATE: _l("Document template"),
    STRATEGY: _l("Sample strategy"),
    GUIDE: _l("Handbook"),
}

PROPOSED, PUBLISHED, REJECTED = "proposed", "published", "rejected"
STATUSES = (PROPOSED, PUBLISHED, REJECTED)
STATUS_LABELS = {PROPOSED: _l("waiting for review"), PUBLISHED: _l("published"), REJECTED: _l("proposal rejected")}

PENDING, DONE, EMPTY, FAILED = "pending", "done", "empty", "failed"
EXTRACTION_STATES = (PENDING, DONE, EMPTY, FAILED)

TOPIC, ROLE, COMPETENCE = "topic", "role", "competence"
TAG_KINDS = (TOPIC, ROLE, COMPETENCE)


class Resource(db.Model):
    __tablename__ = "knowledge_resources"
    __table_args__ = (
        CheckConstraint(check_in("format", FORMATS), name="format_known"),
        CheckConstraint(check_in("type", TYPES), name="type_known"),
        CheckConstraint(check_in("status", STATUSES), name="status_known"),
        Index("ix_knowledge_resources_status_type", "status", "type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[str] = mapped_column(String(10))
    type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=PROPOSED)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown of an article
    url: Mapped[str] = mapped_column(String(500), default="")  # where a link leads, or where a document is published
    source: Mapped[str] = mapped_column(String(300), default="")  # who published it (Sejm RP, MRiPS, ROPS…)
    licence: Mapped[str] = mapped_column(String(200), default="")
    published_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)  # legal texts: the day the text stops being in force
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("territorial_units.id", ondelete="SET NULL"), index=True)
    # Who added it: a staff author, or the learner who proposed it (their link is erased with their account).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    proposal_note: Mapped[str | None] = mapped_column(Text, info={"personal": True})  # the proposer's word to reviewers
    review_reason: Mapped[str | None] = mapped_column(Text, info={"personal": True})  # why a proposal was rejected
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship(foreign_keys=[user_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    unit: Mapped[TerritorialUnit | None] = relationship()
    versions: Mapped[list[Version]] = relationship(back_populates="resource", order_by="Version.number", cascade="all, delete-orphan")
    tags: Mapped[list[Tag]] = relationship(back_populates="resource", cascade="all, delete-orphan", order_by="Tag.value")

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.type])

    @property
    def format_label(self) -> str:
        return str(FORMAT_LABELS[self.format])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def current(self) -> Version | None:
        return self.versions[-1] if self.versions else None

    def tag_values(self, kind: str) -> list[str]:
        return [t.value for t in self.tags if t.kind == kind]

    @property
    def topics(self) -> list[str]:
        return self.tag_values(TOPIC)

    @property
    def roles(self) -> list[str]:
        return self.tag_values(ROLE)

    @property
    def competences(self) -> list[str]:
        return self.tag_values(COMPETENCE)

    def expired(self, today: date) -> bool:
        """A legal text past its "valid until" day: still shown, marked as no longer in force."""
        return self.type == LEGAL_ACT and self.valid_until is not None and self.valid_until < today


class Version(db.Model):
    """One uploaded file of a document; the highest number is current, the earlier ones are superseded."""

    __tablename__ = "knowledge_versions"
    __table_args__ = (
        UniqueConstraint("resource_id", "number"),
        CheckConstraint(check_in("extraction", EXTRACTION_STATES), name="extraction_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("knowledge_resources.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded, offered again on download
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)  # random, under instance/uploads/knowledge
    file_type: Mapped[str] = mapped_column(String(8))  # the extension the content proved to be
    size: Mapped[int]
    change_summary: Mapped[str] = mapped_column(String(300), default="")  # what this version changed
    extraction: Mapped[str] = mapped_column(String(8), default=PENDING)
    text: Mapped[str] = mapped_column(Text, default="")  # extracted for search
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    resource: Mapped[Resource] = relationship(back_populates="versions")

    @property
    def superseded(self) -> bool:
        return self.number < max(v.number for v in self.resource.versions)


class Tag(db.Model):
    """A topic, an OSL role (course role code) or a competence code the resource is about."""

    __tablename__ = "knowledge_tags"
    __table_args__ = (
        CheckConstraint(check_in("kind", TAG_KINDS), name="kind_known"),
        Index("ix_knowledge_tags_kind_value", "kind", "value"),
    )

    resource_id: Mapped[int] = mapped_column(ForeignKey("knowledge_resources.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    value: Mapped[str] = mapped_column(String(100), primary_key=True)

    resource: Mapped[Resource] = relationship(back_populates="tags")
