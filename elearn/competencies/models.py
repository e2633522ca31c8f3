"""The competency framework (versioned), evidence of competence, derived levels and self-assessments.

Framework tables hold one copy per loaded version: a new version is stored beside the old one. Evidence and levels
refer to competences by *code* (plus the framework version the evidence was recorded against), so they stay readable
when a framework version is replaced and map forward to every later version where the code persists.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..core.db import check_in
from ..core.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User

CATEGORIES = {
    "wiedza": _l("Knowledge"),
    "umiejetnosci": _l("Skills"),
    "kompetencje_spoleczne": _l("Social competence"),
}

# Evidence sources. Only the assessed ones can confirm a level (see services.levels.derive_levels).
MODULE_COMPLETED = "module_completed"
QUIZ_PASSED = "quiz_passed"
TRAINER_ASSESSMENT = "trainer_assessment"
SELF_ASSESSMENT = "self_assessment"
PRIOR_LEARNING = "prior_learning"
IMPORTED = "imported"
EVENT_ASSESSMENT = "event_assessment"  # a trainer's assessment at a training event (events domain), level ≤ 2
SOURCES = (MODULE_COMPLETED, QUIZ_PASSED, TRAINER_ASSESSMENT, SELF_ASSESSMENT, PRIOR_LEARNING, IMPORTED, EVENT_ASSESSMENT)
SOURCE_LABELS = {
    MODULE_COMPLETED: _l("Module completed"),
    QUIZ_PASSED: _l("Quiz passed"),
    TRAINER_ASSESSMENT: _l("Trainer assessment"),
    SELF_ASSESSMENT: _l("Self-assessment"),
    PRIOR_LEARNING: _l("Recognition of prior learning"),
    IMPORTED: _l("Imported"),
    EVENT_ASSESSMENT: _l("Assessment at a training event"),
}

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
REVIEW_STATUSES = (PENDING, ACCEPTED, REJECTED)
STATUS_LABELS = {PENDING: _l("awaiting review"), ACCEPTED: _l("accepted"), REJECTED: _l("rejected")}

MAX_LEVEL = 3


class Framework(db.Model):
    """One loaded version of a competency framework; the most recently loaded one is current."""

    __tablename__ = "comp_frameworks"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    scale: Mapped[list[ScaleLevel]] = relationship(back_populates="framework", cascade="all, delete-orphan", order_by="ScaleLevel.level")
    roles: Mapped[list[Role]] = relationship(back_populates="framework", cascade="all, delete-orphan", order_by="Role.position")
    areas: Mapped[list[Area]] = relationship(back_populates="framework", cascade="all, delete-orphan", order_by="Area.position")
    competences: Mapped[list[Competence]] = relationship(
        back_populates="framework", cascade="all, delete-orphan", order_by="Competence.position"
    )

    def __repr__(self) -> str:
        return f"<Framework {self.key} {self.version}>"


class ScaleLevel(db.Model):
    __tablename__ = "comp_scale_levels"
    __table_args__ = (
        UniqueConstraint("framework_id", "level"),
        CheckConstraint("level BETWEEN 0 AND 3", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("comp_frameworks.id", ondelete="CASCADE"))
    level: Mapped[int]
    name: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)

    framework: Mapped[Framework] = relationship(back_populates="scale")


class Role(db.Model):
    """A professional role of the standard (or the common core); its required profile is in RequiredLevel."""

    __tablename__ = "comp_roles"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("comp_frameworks.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    framework: Mapped[Framework] = relationship(back_populates="roles")
    required: Mapped[list[RequiredLevel]] = relationship(back_populates="role", cascade="all, delete-orphan")


class Area(db.Model):
    __tablename__ = "comp_areas"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("comp_frameworks.id", ondelete="CASCADE"))
    role_code: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    framework: Mapped[Framework] = relationship(back_populates="areas")
    competences: Mapped[list[Competence]] = relationship(back_populates="area", order_by="Competence.position")


class Competence(db.Model):
    __tablename__ = "comp_competences"
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        CheckConstraint(f"category IS NULL OR {check_in('category', tuple(CATEGORIES))}", name="category_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("comp_frameworks.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("comp_areas.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(30))  # NULL: unknown (imported from a format without it)
    indicators: Mapped[dict] = mapped_column(JSON, default=dict)  # {"1": [...], "2": [...], "3": [...]}
    position: Mapped[int] = mapped_column(default=0)

    framework: Mapped[Framework] = relationship(back_populates="competences")
    area: Mapped[Area] = relationship(back_populates="competences")

    @property
    def category_label(self) -> str:
        return str(CATEGORIES.get(self.category, self.category or ""))


class RequiredLevel(db.Model):
    """A role's required profile: this competence at this level."""

    __tablename__ = "comp_required_levels"
    __table_args__ = (
        UniqueConstraint("role_id", "competence_id"),
        CheckConstraint("level BETWEEN 1 AND 3", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("comp_frameworks.id", ondelete="CASCADE"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("comp_roles.id", ondelete="CASCADE"))
    competence_id: Mapped[int] = mapped_column(ForeignKey("comp_competences.id", ondelete="CASCADE"), index=True)
    level: Mapped[int]

    role: Mapped[Role] = relationship(back_populates="required")
    competence: Mapped[Competence] = relationship(lazy="joined")


class Evidence(db.Model):
    """Append-only, attributable evidence that a person showed a competence at a level.

    Rows are never updated or deleted (an ORM guard below enforces it); the only changes allowed are the trainer's
    review of a prior-learning claim (pending → accepted/rejected) and RODO anonymisation (note and document removed).
    """

    __tablename__ = "comp_evidence"
    __table_args__ = (
        CheckConstraint("level BETWEEN 0 AND 3", name="level_range"),
        CheckConstraint(check_in("source", SOURCES), name="source_known"),
        CheckConstraint(f"status IS NULL OR {check_in('status', REVIEW_STATUSES)}", name="status_known"),
        Index("ix_comp_evidence_user_code", "user_id", "competence_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    framework_key: Mapped[str] = mapped_column(String(40))
    framework_version: Mapped[str] = mapped_column(String(20))
    competence_code: Mapped[str] = mapped_column(String(20))
    level: Mapped[int]
    source: Mapped[str] = mapped_column(String(30))
    score: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text, info={"personal": True})
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    source_type: Mapped[str | None] = mapped_column(String(40))
    source_id: Mapped[str | None] = mapped_column(String(80))
    link: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str | None] = mapped_column(String(10))
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    document_path: Mapped[str | None] = mapped_column(String(255), info={"personal": True})
    document_name: Mapped[str | None] = mapped_column(String(255), info={"personal": True})
    document_mimetype: Mapped[str | None] = mapped_column(String(100))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    recorder: Mapped[User | None] = relationship(foreign_keys=[recorded_by])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewed_by])

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS.get(self.source, self.source))

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, "")) if self.status else ""


class CompetenceLevel(db.Model):
    """The stored current level of a person on a competence, derived from evidence by services.levels."""

    __tablename__ = "comp_levels"
    __table_args__ = (
        UniqueConstraint("user_id", "code"),
        CheckConstraint("level BETWEEN 0 AND 3", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    level: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SelfAssessment(db.Model):
    """A questionnaire a person filled in about themselves for one role; it never confirms a level."""

    __tablename__ = "comp_self_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("comp_frameworks.id"))
    role_code: Mapped[str] = mapped_column(String(40))
    answers: Mapped[dict] = mapped_column(JSON, info={"personal": True})  # {code: level}
    taken_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# --- append-only guard -----------------------------------------------------------------------------------------

_REVIEW_FIELDS = {"status", "reviewed_by", "reviewed_at"}
_ERASABLE_FIELDS = {"note", "document_path", "document_name", "document_mimetype"}


class EvidenceImmutableError(RuntimeError):
    """Raised when code tries to change or delete evidence outside the allowed review/anonymisation."""


def _check_evidence_change(obj: Evidence) -> None:
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        key = attr.key
        if key in _ERASABLE_FIELDS:
            if getattr(obj, key) is not None:
                raise EvidenceImmutableError(f"evidence {obj.id}: {key} may only be cleared")
            continue
        if key in _REVIEW_FIELDS:
            if key == "status":
                old = history.deleted[0] if history.deleted else None
                if old != PENDING or obj.status not in (ACCEPTED, REJECTED) or obj.source != PRIOR_LEARNING:
                    raise EvidenceImmutableError(f"evidence {obj.id}: status may only go from pending to accepted/rejected")
            continue
        raise EvidenceImmutableError(f"evidence {obj.id} is append-only: {key} cannot change")


@event.listens_for(Session, "before_flush")
def _guard_evidence(session: Session, flush_context, instances) -> None:  # noqa: ARG001 - SQLAlchemy signature
    for obj in session.deleted:
        if isinstance(obj, Evidence):
            raise EvidenceImmutableError(f"evidence {obj.id} is append-only and cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, Evidence) and session.is_modified(obj, include_collections=False):
            _check_evidence_change(obj)


@event.listens_for(Session, "do_orm_execute")
def _guard_bulk_evidence(orm_execute_state) -> None:
    mapper = orm_execute_state.bind_mapper
    if (orm_execute_state.is_update or orm_execute_state.is_delete) and mapper is not None and mapper.class_ is Evidence:
        raise EvidenceImmutableError("evidence is append-only: bulk UPDATE/DELETE is not allowed")
