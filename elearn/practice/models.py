"""Submissions of practical assignments and their reviews.

An assignment is defined in a course module (courses domain, versioned with the published course) and identified
by (course, module key, assignment key). A learner has one Submission per assignment; each attempt is a
SubmissionVersion that is a draft until submitted and immutable afterwards; a trainer's review is stored on the
version it judged, so the history of attempts and feedback is kept.
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
    from ..courses.models import Course

DRAFT, SUBMITTED, REVISE, PASSED, FAILED = "draft", "submitted", "revise", "passed", "failed"
STATUSES = (DRAFT, SUBMITTED, REVISE, PASSED, FAILED)
DECISIONS = (PASSED, REVISE, FAILED)
STATUS_LABELS = {
    DRAFT: _l("work in progress"),
    SUBMITTED: _l("sent for review"),
    REVISE: _l("to be improved"),
    PASSED: _l("assignment passed"),
    FAILED: _l("assignment not passed"),
}


class Submission(db.Model):
    """One learner's work on one assignment, across all attempts; status is that of the latest attempt."""

    __tablename__ = "practice_submissions"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "module_key", "assignment_key", name="uq_practice_submission_per_assignment"),
        CheckConstraint(check_in("status", STATUSES), name="status_known"),
        Index("ix_practice_submissions_queue", "course_id", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    module_key: Mapped[str] = mapped_column(String(80))
    assignment_key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))  # the assignment's title when last saved (queue, notifications)
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]  # when the latest attempt was submitted (queue order: oldest first)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    versions: Mapped[list[SubmissionVersion]] = relationship(
        back_populates="submission", order_by="SubmissionVersion.number", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def latest(self) -> SubmissionVersion | None:
        return self.versions[-1] if self.versions else None


class SubmissionVersion(db.Model):
    """One attempt: editable while a draft, immutable once submitted except for the trainer's review of it."""

    __tablename__ = "practice_versions"
    __table_args__ = (
        UniqueConstraint("submission_id", "number"),
        CheckConstraint(f"decision IS NULL OR {check_in('decision', DECISIONS)}", name="decision_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("practice_submissions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    course_version: Mapped[int]  # the published course version whose assignment text the learner answered
    text: Mapped[str] = mapped_column(Text, default="", info={"personal": True})
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    decision: Mapped[str | None] = mapped_column(String(10))
    criteria: Mapped[list] = mapped_column(JSON, default=list)  # [{"text": ..., "met": bool}] as judged
    feedback: Mapped[str | None] = mapped_column(Text, info={"personal": True})
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]

    submission: Mapped[Submission] = relationship(back_populates="versions")
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    files: Mapped[list[SubmissionFile]] = relationship(back_populates="version", order_by="SubmissionFile.id", cascade="all, delete-orphan")

    @property
    def decision_label(self) -> str:
        return str(STATUS_LABELS[self.decision]) if self.decision else ""


class SubmissionFile(db.Model):
    """A file attached to an attempt; stored under instance/uploads/practice/ by a random name."""

    __tablename__ = "practice_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("practice_versions.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(255), info={"personal": True})
    name: Mapped[str] = mapped_column(String(255), info={"personal": True})
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]

    version: Mapped[SubmissionVersion] = relationship(back_populates="files")


class SubmittedWorkImmutableError(RuntimeError):
    """Raised when code tries to change an attempt after it was submitted (only the review may be added)."""


_REVIEW_FIELDS = frozenset({"decision", "criteria", "feedback", "reviewer_id", "reviewed_at"})


def _was_submitted(version: SubmissionVersion) -> bool:
    """Submitted before this flush: the stored submitted_at (not a value being set now) is filled in."""
    state = inspect(version)
    if state.pending or state.transient:
        return False
    if "submitted_at" in state.unloaded and state.session is not None:  # expired after a commit: read the stored value
        with state.session.no_autoflush:
            state.session.refresh(version, ["submitted_at"])
    history = state.attrs.submitted_at.history
    before = history.deleted[0] if history.deleted else (history.unchanged[0] if history.unchanged else None)
    return before is not None


@event.listens_for(Session, "before_flush")
def _guard_submitted_work(session: Session, flush_context, instances) -> None:  # noqa: ARG001 - SQLAlchemy signature
    for obj in session.dirty:
        if isinstance(obj, SubmissionVersion) and _was_submitted(obj):
            state = inspect(obj)
            for attr in state.mapper.column_attrs:
                if attr.key not in _REVIEW_FIELDS and state.attrs[attr.key].history.has_changes():
                    raise SubmittedWorkImmutableError(f"attempt {obj.id} was submitted: {attr.key} cannot change")
    for obj in session.new:
        if isinstance(obj, SubmissionFile) and obj.version is not None and _was_submitted(obj.version):
            raise SubmittedWorkImmutableError(f"attempt {obj.version.id} was submitted: no files can be added")
