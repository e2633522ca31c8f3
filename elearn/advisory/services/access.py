"""Who may do what with an advisory case. Every view asks these (object-level checks live here, not in templates).

- Advisors are ROPS staff: holders of the issuer role (admins may act as well). They see and handle every case.
- An institution's coordinator sees every case of their institution (its whole history) and may write in it.
- Any other confirmed worker (accepted member, `User.institution_id`) sees the cases they opened themselves.
- Nobody else sees a case: another institution's case is "not found" to them.
"""

from __future__ import annotations

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from ...accounts.models import User, UserRole
from ...core.roles import ADMIN, COORDINATOR, ISSUER
from ..models import AdvisoryCase

ADVISOR_ROLES = (ISSUER, ADMIN)


def is_advisor(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*ADVISOR_ROLES)


def may_open(user) -> bool:
    """Any confirmed worker of an institution may ask on its behalf."""
    return user.institution_id is not None and user.is_active


def speaks_for(user, case: AdvisoryCase) -> bool:
    """The user is on the institution's side of this case: its coordinator, or the worker who opened it."""
    if user.institution_id is None or user.institution_id != case.institution_id:
        return False
    return user.has_role(COORDINATOR) or case.requester_id == user.id


def may_view(user, case: AdvisoryCase) -> bool:
    return is_advisor(user) or speaks_for(user, case)


def visible_case(session: Session, user, case_id: int) -> AdvisoryCase | None:
    """The case if this user may see it; None (shown as 404) for a missing case and for someone else's alike."""
    case = session.get(AdvisoryCase, case_id)
    return case if case is not None and may_view(user, case) else None


def institution_cases(user):
    """The statement of the cases the user sees as a member of an institution, newest first."""
    stmt = select(AdvisoryCase).order_by(AdvisoryCase.opened_at.desc(), AdvisoryCase.id.desc())
    if user.institution_id is None:
        return stmt.where(false())
    stmt = stmt.where(AdvisoryCase.institution_id == user.institution_id)
    if not user.has_role(COORDINATOR):
        stmt = stmt.where(AdvisoryCase.requester_id == user.id)
    return stmt


def advisors(session: Session) -> list[User]:
    """Active ROPS advisors (issuer role) a case may be assigned to, by name."""
    return list(
        session.scalars(
            select(User)
            .where(User.id.in_(select(UserRole.user_id).where(UserRole.role == ISSUER)), User.active.is_(True), User.erased_at.is_(None))
            .order_by(User.full_name, User.id)
        )
    )
