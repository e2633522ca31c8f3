"""Core's own part of RODO export and erasure: a person's notifications and e-mail preferences."""

from __future__ import annotations

from sqlalchemy import delete, select

from .models import Notification, NotificationPreference
from .services import render


def collect(user, **_kwargs) -> dict:
    from ...extensions import db

    notifications = db.session.scalars(
        select(Notification).where(Notification.recipient_id == user.id).order_by(Notification.created_at, Notification.id)
    )
    preferences = db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    items = []
    for n in notifications:
        text = render(n)
        items.append(
            {
                "kind": n.kind,
                "subject": text.subject,
                "body": text.body,
                "params": n.params,
                "url": n.url,
                "created_at": n.created_at.isoformat() + "Z",
                "read_at": n.read_at.isoformat() + "Z" if n.read_at else None,
                "emailed_at": n.emailed_at.isoformat() + "Z" if n.emailed_at else None,
            }
        )
    return {
        "notifications": items,
        "notification_email_preferences": {p.kind: p.email for p in preferences},
    }


def erase(user, session, **_kwargs) -> None:
    session.execute(delete(Notification).where(Notification.recipient_id == user.id))
    session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user.id))
    session.flush()
