"""Notifications and per-person e-mail preferences.

A notification stores its kind, parameters and target path, never rendered text, so it is rendered in the
reader's language whenever it is shown or mailed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import db
from ..timeutil import utcnow

#: e-mail states: not wanted, waiting for the job, being sent, waiting for the daily digest, delivered
EMAIL_NONE, EMAIL_QUEUED, EMAIL_SENDING, EMAIL_DIGEST, EMAIL_SENT = "none", "queued", "sending", "digest", "sent"
EMAIL_STATES = (EMAIL_NONE, EMAIL_QUEUED, EMAIL_SENDING, EMAIL_DIGEST, EMAIL_SENT)


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # A reminder for the same object and person is created once, however often the scheduler runs.
        UniqueConstraint("recipient_id", "dedupe_key", name="uq_notifications_recipient_dedupe"),
        CheckConstraint("email_status IN ({})".format(", ".join(f"'{s}'" for s in EMAIL_STATES)), name="email_status_known"),
        Index("ix_notifications_recipient_unread", "recipient_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # indexed with read_at
    kind: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict] = mapped_column(JSON, default=dict, info={"personal": True})
    url: Mapped[str | None] = mapped_column(String(500))
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    email_status: Mapped[str] = mapped_column(String(10), default=EMAIL_NONE, index=True)
    emailed_at: Mapped[datetime | None]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(db.Model):
    """A person's choice to get (or not) e-mails of one kind; without a row the kind's default applies."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), primary_key=True)
    email: Mapped[bool] = mapped_column(info={"personal": True})
