"""Training needs reported by institutions: a yearly round with a deadline, one submission per institution."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import check_in
from ..core.timeutil import utcnow
from ..directory.models import Institution
from ..extensions import db

FORMS = {
    "elearning": _l("E-learning"),
    "workshop": _l("Workshop"),
    "supervision": _l("Supervision"),
}


class NeedsRound(db.Model):
    """A yearly call to coordinators; submissions are accepted until the deadline day ends."""

    __tablename__ = "analytics_needs_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    deadline: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class NeedsSubmission(db.Model):
    __tablename__ = "analytics_needs_submissions"
    __table_args__ = (
        UniqueConstraint("round_id", "institution_id"),
        CheckConstraint(check_in("preferred_form", tuple(FORMS)), name="form_known"),
        CheckConstraint("workers >= 1", name="workers_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("analytics_needs_rounds.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    competences: Mapped[list] = mapped_column(JSON, default=list)  # competence codes
    topics: Mapped[str] = mapped_column(Text, default="")
    workers: Mapped[int]
    preferred_form: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")

    institution: Mapped[Institution] = relationship(lazy="joined")

    @property
    def form_label(self) -> str:
        return str(FORMS.get(self.preferred_form, self.preferred_form))
