"""Advisory cases (sprawy doradcze): an institution asks ROPS for advice, an advisor answers in a thread, may schedule
a meeting, and closes the case with an outcome and the time spent.

A case belongs to an institution, not to the worker who opened it: the institution's coordinator sees every case of
the institution, a worker the cases they opened. Advisors are ROPS staff (the issuer role; admins may act too).
Times are naive UTC (shown in Europe/Warsaw). Columns holding personal data carry info={"personal": True}.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import check_in
from ..core.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..directory.models import Institution

TOPICS = {
    "srps": _l("Local social-problems strategy (SRPS)"),
    "lpdi": _l("Local plan of institutional deinstitutionalisation (LPDI)"),
    "cus": _l("Social services centre (CUS)"),
    "projekty": _l("Projects"),
    "ekonomia": _l("Social economy"),
    "inne": _l("Other"),
}
TOPIC_SHORT = {
    "srps": "SRPS",
    "lpdi": "LPDI",
    "cus": "CUS",
    "projekty": _l("Projects"),
    "ekonomia": _l("Social economy"),
    "inne": _l("Other"),
}
FORMS = {
    "email": _l("E-mail"),
    "telefon": _l("Phone"),
    "spotkanie": _l("Meeting in person"),
    "online": _l("Online meeting"),
}
MEETING_FORMS = ("spotkanie", "online", "telefon")
URGENCIES = {"zwykla": _l("Normal"), "pilna": _l("Urgent"), "bardzo_pilna": _l("Very urgent (within 3 working days)")}

NEW, ASSIGNED, ANSWERED, CLOSED = "new", "assigned", "answered", "closed"
STATUSES = (NEW, ASSIGNED, ANSWERED, CLOSED)
STATUS_LABELS = {
    NEW: _l("new"),
    ASSIGNED: _l("with an advisor"),
    ANSWERED: _l("answered"),
    CLOSED: _l("closed"),
}
OPEN_STATUSES = (NEW, ASSIGNED, ANSWERED)


class AdvisoryCase(db.Model):
    __tablename__ = "advisory_cases"
    __table_args__ = (
        CheckConstraint(check_in("topic", tuple(TOPICS)), name="topic_known"),
        CheckConstraint(check_in("preferred_form", tuple(FORMS)), name="form_known"),
        CheckConstraint(check_in("urgency", tuple(URGENCIES)), name="urgency_known"),
        CheckConstraint(check_in("status", STATUSES), name="status_known"),
        CheckConstraint("minutes_spent IS NULL OR minutes_spent BETWEEN 0 AND 100000", name="minutes_range"),
        Index("ix_advisory_cases_status_opened", "status", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(12), index=True)
    description: Mapped[str] = mapped_column(Text)  # Markdown, rendered through core.markdown
    preferred_form: Mapped[str] = mapped_column(String(12))
    urgency: Mapped[str] = mapped_column(String(14), default="zwykla")
    # A phone number to call back on, given when the preferred form is a phone call; erased with the requester.
    contact_phone: Mapped[str | None] = mapped_column(String(20), info={"personal": True})
    status: Mapped[str] = mapped_column(String(10), default=NEW)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(Text)  # Markdown
    minutes_spent: Mapped[int | None]

    institution: Mapped[Institution] = relationship(lazy="joined")
    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id], lazy="joined")
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id], lazy="joined")
    messages: Mapped[list[AdvisoryMessage]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="AdvisoryMessage.created_at, AdvisoryMessage.id"
    )
    attachments: Mapped[list[AdvisoryAttachment]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="AdvisoryAttachment.id"
    )
    meetings: Mapped[list[AdvisoryMeeting]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="AdvisoryMeeting.starts_at"
    )

    @property
    def topic_label(self) -> str:
        return str(TOPICS.get(self.topic, self.topic))

    @property
    def form_label(self) -> str:
        return str(FORMS.get(self.preferred_form, self.preferred_form))

    @property
    def urgency_label(self) -> str:
        return str(URGENCIES.get(self.urgency, self.urgency))

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def is_open(self) -> bool:
        return self.status != CLOSED

    def __repr__(self) -> str:
        return f"<AdvisoryCase {self.id} {self.status}>"


class AdvisoryMessage(db.Model):
    """One entry of a case's thread, by the institution's side or by an advisor (`from_advisor`)."""

    __tablename__ = "advisory_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("advisory_cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    from_advisor: Mapped[bool] = mapped_column(default=False)
    # Markdown; on the author's erasure their personal data is stripped from it (services.anonymise).
    body: Mapped[str] = mapped_column(Text, info={"personal": True})
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[AdvisoryCase] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship(lazy="joined")


class AdvisoryAttachment(db.Model):
    """A file added to a case (checked by core.files.check_upload); stored under instance/uploads/advisory."""

    __tablename__ = "advisory_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("advisory_cases.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("advisory_messages.id", ondelete="SET NULL"))
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(255), info={"personal": True})
    path: Mapped[str] = mapped_column(String(64), info={"personal": True})
    mimetype: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[AdvisoryCase] = relationship(back_populates="attachments")


class AdvisoryMeeting(db.Model):
    """An advisory meeting (in person, online or a phone call) at a set time; offered as an .ics file."""

    __tablename__ = "advisory_meetings"
    __table_args__ = (
        CheckConstraint(check_in("form", MEETING_FORMS), name="form_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("advisory_cases.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    form: Mapped[str] = mapped_column(String(12))
    location: Mapped[str] = mapped_column(String(300), default="")  # a place, a meeting link or who calls whom
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[AdvisoryCase] = relationship(back_populates="meetings")

    @property
    def form_label(self) -> str:
        return str(FORMS.get(self.form, self.form))


class AnswerTemplate(db.Model):
    """A frequent answer advisors insert into a reply (Markdown)."""

    __tablename__ = "advisory_answer_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    topic: Mapped[str | None] = mapped_column(String(12))
    body: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def topic_label(self) -> str:
        return str(TOPICS.get(self.topic, "")) if self.topic else ""


class KnowledgeCandidate(db.Model):
    """A closed case proposed for the knowledge base: an anonymised summary an advisor reviewed before saving.

    It holds no personal data by construction (services.anonymise ran over it and an advisor read it); the knowledge
    base domain picks candidates up from advisory's services."""

    __tablename__ = "advisory_kb_candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("advisory_cases.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(12))
    summary: Mapped[str] = mapped_column(Text)  # Markdown, anonymised
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    case: Mapped[AdvisoryCase] = relationship()

    @property
    def topic_label(self) -> str:
        return str(TOPICS.get(self.topic, self.topic))
