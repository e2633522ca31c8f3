"""Training events (szkolenia, warsztaty, webinaria…), their sessions, registrations, attendance and evaluations.

Times are naive UTC (shown in Europe/Warsaw). A registration row is one *training place* of one *person*; counting
(services.counting) keeps the two apart. Evaluation answers carry no person: who answered is kept in a separate
table with no link to the answer, so the questionnaire stays anonymous.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import check_in
from ..core.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..courses.models import Module
    from ..directory.models import Institution, TerritorialUnit

EVENT_TYPES = {
    "stacjonarne": _l("In-person training"),
    "warsztat": _l("Workshop"),
    "webinarium": _l("Webinar"),
    "superwizja": _l("Group supervision"),
    "coaching": _l("Coaching"),
    "wizyta": _l("Study visit"),
    "konsultacje": _l("Consultations"),
}
ONLINE_TYPES = ("webinarium",)

SCHEDULED, CANCELLED = "scheduled", "cancelled"
EVENT_STATUSES = (SCHEDULED, CANCELLED)

REGISTERED, WAITLISTED, WITHDRAWN = "registered", "waitlisted", "withdrawn"
REGISTRATION_STATUSES = (REGISTERED, WAITLISTED, WITHDRAWN)
REGISTRATION_LABELS = {REGISTERED: _l("registered"), WAITLISTED: _l("on the waiting list"), WITHDRAWN: _l("cancelled")}

# The evaluation questionnaire: five statements rated 1–5 and one comment.
EVALUATION_QUESTIONS = {
    "q_goals": _l("The event met its stated goals."),
    "q_useful": _l("What I learned is useful in my work."),
    "q_trainer": _l("The trainers were well prepared."),
    "q_materials": _l("The materials and the programme were clear."),
    "q_organisation": _l("The organisation (place, time, communication) was good."),
}


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(check_in("type", tuple(EVENT_TYPES)), name="type_known"),
        CheckConstraint(check_in("status", EVENT_STATUSES), name="status_known"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("per_institution_limit IS NULL OR per_institution_limit > 0", name="limit_positive"),
        CheckConstraint("assessment_level IS NULL OR assessment_level BETWEEN 1 AND 2", name="assessment_level_range"),
        CheckConstraint("completion_percent BETWEEN 1 AND 100", name="completion_percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(12), default=SCHEDULED, index=True)
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    programme: Mapped[str] = mapped_column(Text, default="")  # Markdown
    place_name: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(150))
    postal_code: Mapped[str | None] = mapped_column(String(6))
    city: Mapped[str | None] = mapped_column(String(100))
    gmina_id: Mapped[int | None] = mapped_column(ForeignKey("territorial_units.id"), index=True)
    online_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int]
    per_institution_limit: Mapped[int | None]
    registration_opens_at: Mapped[datetime]
    registration_closes_at: Mapped[datetime]
    cancellation_deadline: Mapped[datetime]
    target_roles: Mapped[list] = mapped_column(JSON, default=list)  # competency-model role codes
    target_institution_types: Mapped[list] = mapped_column(JSON, default=list)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("course_modules.id", ondelete="SET NULL"))
    competence_codes: Mapped[list] = mapped_column(JSON, default=list)
    assessment_level: Mapped[int | None]
    completion_percent: Mapped[int] = mapped_column(default=80)
    # Start of the first session, kept with the sessions so the calendar sorts and filters without a join.
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    gmina: Mapped[TerritorialUnit | None] = relationship(lazy="joined")
    module: Mapped[Module | None] = relationship()
    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventSession.starts_at", lazy="selectin"
    )
    trainers: Mapped[list[User]] = relationship(secondary="event_trainers", lazy="selectin", order_by="User.full_name")

    @property
    def type_label(self) -> str:
        return str(EVENT_TYPES.get(self.type, self.type))

    @property
    def is_online(self) -> bool:
        return self.type in ONLINE_TYPES or (bool(self.online_url) and not self.city)

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)

    @property
    def clock_hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def academic_hours(self) -> float:
        """Teaching hours of 45 minutes, as Polish training programmes count them."""
        return round(self.minutes / 45, 2)

    @property
    def ends_at(self) -> datetime | None:
        return max((s.ends_at for s in self.sessions), default=None)

    @property
    def place_label(self) -> str:
        parts = [p for p in (self.place_name, self.street, " ".join(filter(None, (self.postal_code, self.city)))) if p]
        return ", ".join(parts)

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title}>"


class EventSession(db.Model):
    """One block of an event (a day or half a day): start and end in UTC."""

    __tablename__ = "event_sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    event: Mapped[Event] = relationship(back_populates="sessions")

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class EventTrainer(db.Model):
    __tablename__ = "event_trainers"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class Registration(db.Model):
    """A person's place (or waiting-list position) at an event; institution_id is frozen when they register."""

    __tablename__ = "event_registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint(check_in("status", REGISTRATION_STATUSES), name="status_known"),
        Index("ix_event_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Waiting-list order: when the person joined it (promotion takes the earliest).
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    institution: Mapped[Institution | None] = relationship(lazy="joined")
    attendance: Mapped[list[Attendance]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def status_label(self) -> str:
        return str(REGISTRATION_LABELS.get(self.status, self.status))


class Attendance(db.Model):
    """Presence of a registered person at one session (a row means present)."""

    __tablename__ = "event_attendance"

    registration_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventAssessment(db.Model):
    """A trainer's positive mark for a participant on one competence at the event; points at the evidence it recorded."""

    __tablename__ = "event_assessments"
    __table_args__ = (UniqueConstraint("event_id", "user_id", "competence_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    competence_code: Mapped[str] = mapped_column(String(20))
    level: Mapped[int]
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("comp_evidence.id"))
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvaluationAnswer(db.Model):
    """One anonymous questionnaire: no person, no time (a time could be matched with the receipt)."""

    __tablename__ = "event_evaluation_answers"
    __table_args__ = tuple(CheckConstraint(f"{q} BETWEEN 1 AND 5", name=f"{q}_range") for q in EVALUATION_QUESTIONS)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    q_goals: Mapped[int]
    q_useful: Mapped[int]
    q_trainer: Mapped[int]
    q_materials: Mapped[int]
    q_organisation: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")


class EvaluationReceipt(db.Model):
    """That a person has filled in the questionnaire of an event (so they answer once); says nothing of what."""

    __tablename__ = "event_evaluation_receipts"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(db.Model):
    """A person's secret calendar-feed address; replacing the token revokes the old address."""

    __tablename__ = "event_calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_feed_token, info={"personal": True})
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventCertificate(db.Model):
    """Which register certificate a participant got for an event (one per person and event; the register keeps the rest)."""

    __tablename__ = "event_certificates"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), unique=True)
