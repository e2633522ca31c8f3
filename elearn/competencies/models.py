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
from .rule import (
    ASSIGNMENT,
    EVENT_ASSESSMENT,
    IMPORTED,
    MODULE_COMPLETED,
    PRIOR_LEARNING,
    QUIZ_PASSED,
    SELF_ASSESSMENT,
    SOURCES,
    TRAINER_ASSESSMENT,
)

if TYPE_CHECKING:
    from ..accounts.models import User

CATEGORIES = {
    "wiedza": _l("Knowledge"),
    "umiejetnosci": _l("Skills"),
    "kompetencje_spoleczne": _l("Social competence"),
}

# Evidence sources are defined with the derivation rule (rule.py; services.levels documents what each confirms).
SOURCE_LABELS = {
    MODULE_COMPLETED: _l("Module completed"),
    QUIZ_PASSED: _l("Quiz passed"),
    TRAINER_ASSESSMENT: _l("Trainer assessment"),
    SELF_ASSESSMENT: _l("Self-assessment"),
    PRIOR_LEARNING: _l("Recognition of prior learning"),
    IMPORTED: _l("Imported"),
    ASSIGNMENT: _l("Practical assignment"),
    EVENT_ASSESSMENT: _l("Assessment at a training event"),
}

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
REVIEW_STATUSES = (PENDING, ACCEPTED, REJECTED)
STATUS_LABELS = {PENDING: _l("awaiting review"), ACCEPTED: _l("accepted"), REJECTED: _l("rejected")}

MAX_LEVEL = 3

# How a description is written, by Moodle's format codes (FORMAT_MOODLE 0, FORMAT_HTML 1, FORMAT_PLAIN 2,
# FORMAT_MARKDOWN 4); HTML descriptions are stored sanitised.
DESCRIPTION_FORMATS = ("moodle", "html", "plain", "markdown")
CODE_LENGTH = 100  # Moodle ID numbers are up to 100 characters


class Framework(db.Model):
    """One loaded version of a competency framework; the most recently loaded one is current."""

    __tablename__ = "comp_frameworks"
    __table_args__ = (
        UniqueConstraint("key", "version"),
        CheckConstraint(check_in("description_format", DESCRIPTION_FORMATS), name="description_format_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    description_format: Mapped[str] = mapped_column(String(10), default="plain", server_default="plain")
    scale_configuration: Mapped[str] = mapped_column(Text, default="", server_default="")  # Moodle's JSON, as imported
    taxonomy: Mapped[str] = mapped_column(String(255), default="", server_default="")

    scale: Mapped[list[ScaleLevel]] = relationship(back_populates="framework", cascade="all, delete-orphan", order_by="ScaleLevel.level")
    roles: Mapped[list[Role]] = relationship(back_populates="framework", cascade="all, delete-orphan", order_by="Role.position")
    areas: Mapped[list[Area]] = relationship(back_populates="framework", cascade="all, delete-orphan", order_by="Area.position")
    competences: Mapped[list[Competence]] = relationship(
        back_populates="framework", cascade="all, delete-orphan", order_by="Competence.position"
    )

    def __repr__(self) -> str:
        return f"<Framework {self.key} {self.version}>"


class CompetencySetting(db.Model):
    """Instance-wide choices of the competencies domain, e.g. which framework role profiles use."""

    __tablename__ = "comp_settings"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


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
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        CheckConstraint(check_in("description_format", DESCRIPTION_FORMATS), name="description_format_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("comp_frameworks.id", ondelete="CASCADE"))
    role_code: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    description_format: Mapped[str] = mapped_column(String(10), default="plain", server_default="plain")
    exported_id: Mapped[str] = mapped_column(String(100), default="", server_default="")
    related: Mapped[list] = mapped_column(JSON, default=list)  # codes of cross-referenced competencies

    framework: Mapped[Framework] = relationship(back_populates="areas")
    competences: Mapped[list[Competence]] = relationship(back_populates="area", order_by="Competence.position")


class Competence(db.Model):
    __tablename__ = "comp_competences"
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        CheckConstraint(f"category IS NULL OR {check_in('category', tuple(CATEGORIES))}", name="category_known"),
        CheckConstraint(check_in("description_format", DESCRIPTION_FORMATS), name="description_format_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("comp_frameworks.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("comp_areas.id", ondelete="CASCADE"), index=True)
    # Nested competences (frameworks deeper than areas → competences): NULL means directly under the area.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comp_competences.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(30))  # NULL: unknown (imported from a format without it)
    indicators: Mapped[dict] = mapped_column(JSON, default=dict)  # {"1": [...], "2": [...], "3": [...]}
    position: Mapped[int] = mapped_column(default=0)
    description_format: Mapped[str] = mapped_column(String(10), default="plain", server_default="plain")
    exported_id: Mapped[str] = mapped_column(String(100), default="", server_default="")
    related: Mapped[list] = mapped_column(JSON, default=list)  # codes of cross-referenced competencies

    framework: Mapped[Framework] = relationship(back_populates="competences")
    area: Mapped[Area] = relationship(back_populates="competences")
    parent: Mapped[Competence | None] = relationship(remote_side="Competence.id", back_populates="children")
    children: Mapped[list[Competence]] = relationship(back_populates="parent", order_by="Competence.position")

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
    competence_code: Mapped[str] = mapped_column(String(CODE_LENGTH))
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


class EvidenceWithdrawal(db.Model):
    """A trainer's or admin's withdrawal of one piece of evidence (e.g. an assessment found to be wrong).

    Evidence itself stays append-only; a withdrawal is its own row, and the levels rule ignores withdrawn evidence.
    """

    __tablename__ = "comp_evidence_withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("comp_evidence.id"), unique=True)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)

    evidence: Mapped[Evidence] = relationship()


class CompetenceLevel(db.Model):
    """The stored current level of a person on a competence, derived from evidence by services.levels."""

    __tablename__ = "comp_levels"
    __table_args__ = (
        UniqueConstraint("user_id", "code"),
        CheckConstraint("level BETWEEN 0 AND 3", name="level_range"),
        # "Who meets this role's profile" (certificates' role queue, the team's summary) reads levels by competence
        # and level across a region: answered from this index, not a scan of every stored level.
        Index("ix_comp_levels_code_level_user", "code", "level", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    level: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LevelCount(db.Model):
    """A summary of the stored levels per cell of the regional map (the powiat an institution serves, 0 for the
    whole voivodeship, and the institution's type), kept in the same transaction as the rows it counts
    (services/level_counts.py, from session flush events): regional analytics reads it instead of every worker's
    levels. Workers are active, not erased learners with an accepted membership of an active institution. Kinds:
    `workers` (key ""); `level_at_least` (key code, level L: workers whose stored level is L or more); `self_below`
    (key code, level L: workers whose newest self-assessed answer is under L); `gap` and `self_gap` (key: signature
    of a requirement {code: level}, workers behind on at least one code); `built` (the signatures — and "" for the
    rest — that a rebuild counted and the flushes keep)."""

    __tablename__ = "comp_level_counts"
    __table_args__ = (
        UniqueConstraint("powiat_id", "institution_type", "kind", "key", "level"),
        Index("ix_comp_level_counts_kind_key", "kind", "key", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    powiat_id: Mapped[int]  # a territorial unit's id, without a foreign key: 0 stands for the whole voivodeship
    institution_type: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(CODE_LENGTH))
    level: Mapped[int] = mapped_column(default=0)
    count: Mapped[int] = mapped_column(default=0)


class SelfAssessment(db.Model):
    """A questionnaire a person filled in about themselves for one role; it never confirms a level."""

    __tablename__ = "comp_self_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("comp_frameworks.id"))
    role_code: Mapped[str] = mapped_column(String(40))
    answers: Mapped[dict] = mapped_column(JSON, info={"personal": True})  # {code: level}
    taken_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SelfAssessmentDraft(db.Model):
    """The answers given so far, area by area, until the person saves the whole self-assessment (then deleted)."""

    __tablename__ = "comp_self_assessment_drafts"
    __table_args__ = (UniqueConstraint("user_id", "role_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role_code: Mapped[str] = mapped_column(String(40))
    answers: Mapped[dict] = mapped_column(JSON, default=dict, info={"personal": True})  # {code: level}
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# Assessment requests: a learner asks trainers to assess a competence; it ends in evidence or a decline.
REQUEST_OPEN, REQUEST_ASSESSED, REQUEST_DECLINED = "open", "assessed", "declined"
REQUEST_STATUSES = (REQUEST_OPEN, REQUEST_ASSESSED, REQUEST_DECLINED)
REQUEST_STATUS_LABELS = {
    REQUEST_OPEN: _l("waiting for a trainer"),
    REQUEST_ASSESSED: _l("assessed"),
    REQUEST_DECLINED: _l("declined"),
}


class AssessmentRequest(db.Model):
    """A learner's request for a trainer's assessment of one competence, with a description of their practice.

    It is routed when created: to the trainers of the courses whose modules evidence the competence (rows in
    AssessmentRequestTrainer), or to every trainer (routed_to_all) when no such course has its own trainer.
    """

    __tablename__ = "comp_assessment_requests"
    __table_args__ = (
        CheckConstraint(check_in("status", REQUEST_STATUSES), name="status_known"),
        CheckConstraint("level IS NULL OR level BETWEEN 0 AND 3", name="level_range"),
        Index("ix_comp_assessment_requests_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    competence_code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    description: Mapped[str] = mapped_column(Text, info={"personal": True})
    document_path: Mapped[str | None] = mapped_column(String(255), info={"personal": True})
    document_name: Mapped[str | None] = mapped_column(String(255), info={"personal": True})
    document_mimetype: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default=REQUEST_OPEN)
    routed_to_all: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]
    level: Mapped[int | None]  # the assessed level, when assessed
    decline_reason: Mapped[str | None] = mapped_column(Text, info={"personal": True})
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("comp_evidence.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    answerer: Mapped[User | None] = relationship(foreign_keys=[answered_by])
    evidence: Mapped[Evidence | None] = relationship()
    trainers: Mapped[list[AssessmentRequestTrainer]] = relationship(back_populates="request", cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        return str(REQUEST_STATUS_LABELS.get(self.status, self.status))

    @property
    def is_open(self) -> bool:
        return self.status == REQUEST_OPEN


class AssessmentRequestTrainer(db.Model):
    """One trainer a request was routed to."""

    __tablename__ = "comp_request_trainers"

    request_id: Mapped[int] = mapped_column(ForeignKey("comp_assessment_requests.id", ondelete="CASCADE"), primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)

    request: Mapped[AssessmentRequest] = relationship(back_populates="trainers")


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
