"""Training needs reported by institutions: a yearly round with a deadline, one submission per institution."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import check_in
from ..core.timeutil import utcnow
from ..directory.models import Institution, TerritorialUnit
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


LPDI, SRPS = "LPDI", "SRPS"
PLAN_KINDS = {
    LPDI: _l("Local deinstitutionalisation plan (LPDI)"),
    SRPS: _l("Strategy for solving social problems (SRPS)"),
}


class LocalPlan(db.Model):
    """A local government's adopted plan, recorded by ROPS: one LPDI and one SRPS per gmina or powiat at most.

    The project indicator counts local governments (gminas, a city with powiat rights once as its gmina, and the
    other powiats) with an LPDI adopted by the end of the period."""

    __tablename__ = "analytics_local_plans"
    __table_args__ = (
        UniqueConstraint("unit_id", "kind"),
        CheckConstraint(check_in("kind", tuple(PLAN_KINDS)), name="plan_kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("territorial_units.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(4))
    adopted_on: Mapped[date]
    document_url: Mapped[str] = mapped_column(String(500))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit: Mapped[TerritorialUnit] = relationship(lazy="joined")

    @property
    def kind_label(self) -> str:
        return str(PLAN_KINDS.get(self.kind, self.kind))
