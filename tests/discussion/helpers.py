"""Helpers of the discussion tests."""

from __future__ import annotations

import re

from sqlalchemy import select

from elearn.core.notifications.models import Notification
from elearn.extensions import db


def text_of(response) -> str:
    """The page's main content as text without tags, whitespace collapsed."""
    html = response.get_data(as_text=True)
    main = html[html.find("<main") : html.find("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def notifications_of(user_id: int, kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.recipient_id == user_id, Notification.kind == kind)))
