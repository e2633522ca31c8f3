"""How the core notification service reaches a person: address, name, language, and whether they still can."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..core.notifications import Recipient
from .models import User


def recipient(session: Session, user_id: int) -> Recipient | None:
    user = session.get(User, user_id)
    if user is None:
        return None
    return Recipient(email=user.email, full_name=user.full_name, locale=user.locale, can_receive=user.is_active)
