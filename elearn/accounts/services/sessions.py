"""Sessions and remember-me cookies carry the user's session token (User.get_id); rotating it ends them all."""

from __future__ import annotations

import functools

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from ..models import User, new_session_token


def user_for_session_id(session: Session, session_id: str) -> User | None:
    """The user a session or remember-me cookie belongs to, if its token is still the current one."""
    user_id, sep, token = session_id.partition(":")
    if not sep or not user_id.isdigit() or not token:
        return None
    # Every request checks roles: load them in the same query as the user (the loader runs on every request).
    user = session.execute(_user_with_roles(), {"user_id": int(user_id)}).unique().scalar_one_or_none()
    if user is None or not user.session_token_matches(token):
        return None
    return user


@functools.cache
def _user_with_roles():
    """Built once per process: on every request, building the statement and its loader option cost more than
    running it."""
    return select(User).options(joinedload(User.role_rows)).where(User.id == bindparam("user_id"))


def end_all_sessions(session: Session, user: User) -> None:
    """Log the person out everywhere: every cookie issued before now stops working."""
    user.session_token = new_session_token()
    session.flush()
