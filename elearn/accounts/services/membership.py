"""Institution membership is a confirmed relationship: a person asks, the institution's coordinator (or an admin) decides.

`User.institution_id` holds the accepted institution only and nothing but this module writes it, so every query that
scopes by it (team matrix, team CSV, coordinator views) sees accepted members and never a pending one.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from ...core.audit import audit
from ...core.timeutil import utcnow
from ...directory.models import Institution
from ..models import ACCEPTED, ADMIN, CANCELLED, COORDINATOR, DECLINED, PENDING, InstitutionMembership, User, UserRole
from .errors import AccountError


def pending_request(session: Session, user: User) -> InstitutionMembership | None:
    return session.scalar(
        select(InstitutionMembership).where(InstitutionMembership.user_id == user.id, InstitutionMembership.status == PENDING)
    )


def latest_request(session: Session, user: User) -> InstitutionMembership | None:
    """The person's most recent request, to show them whether it waits, was accepted or was declined."""
    return session.scalar(
        select(InstitutionMembership)
        .where(InstitutionMembership.user_id == user.id)
        .order_by(InstitutionMembership.requested_at.desc(), InstitutionMembership.id.desc())
        .limit(1)
    )


def _coordinator_exists(institution_id):
    coordinator = aliased(User)  # the outer query may join User for the requester
    return exists().where(
        coordinator.institution_id == institution_id,
        coordinator.active.is_(True),
        coordinator.erased_at.is_(None),
        coordinator.id.in_(select(UserRole.user_id).where(UserRole.role == COORDINATOR)),
    )


def has_active_coordinator(session: Session, institution_id: int) -> bool:
    return bool(session.scalar(select(_coordinator_exists(institution_id))))


def _require_institution(session: Session, institution_id: int) -> None:
    if session.get(Institution, institution_id) is None:
        raise AccountError(_l("There is no such institution."))


def _cancel(session: Session, request: InstitutionMembership, *, actor_id: int | None) -> None:
    request.status = CANCELLED
    request.decided_at = utcnow()
    request.decided_by_id = actor_id
    audit(session, "membership.cancel", actor_id=actor_id, target=request.user, institution_id=request.institution_id)


def may_request_change(user: User) -> bool:
    """Coordinators may not move themselves: they would read another institution's team. Admins move them."""
    return not (user.has_role(COORDINATOR) and not user.has_role(ADMIN) and user.institution_id is not None)


def request_membership(session: Session, user: User, institution_id: int, *, actor_id: int | None) -> InstitutionMembership | None:
    """Ask to join an institution; the person stays where they were accepted until someone accepts the request.

    Returns the open request, or None when the person already belongs there (an open request elsewhere is withdrawn).
    """
    if not may_request_change(user) and institution_id != user.institution_id:
        raise AccountError(_l("Coordinators cannot change their own institution. Ask an administrator."))
    _require_institution(session, institution_id)
    open_request = pending_request(session, user)
    if institution_id == user.institution_id:
        if open_request is not None:
            _cancel(session, open_request, actor_id=actor_id)
            session.flush()
        return None
    if open_request is not None:
        if open_request.institution_id == institution_id:
            return open_request
        _cancel(session, open_request, actor_id=actor_id)
        session.flush()  # the one-open-request index must see the old one closed first
    request = InstitutionMembership(user=user, institution_id=institution_id, status=PENDING)
    session.add(request)
    session.flush()
    audit(session, "membership.request", actor_id=actor_id, target=user, institution_id=institution_id, current=user.institution_id)
    return request


def may_decide(actor: User, request: InstitutionMembership) -> bool:
    """Admins decide any request; a coordinator decides requests to their own institution, never their own request."""
    if request.user_id == actor.id or not actor.is_active:
        return False
    if actor.has_role(ADMIN):
        return True
    return actor.has_role(COORDINATOR) and actor.institution_id is not None and actor.institution_id == request.institution_id


def decide(session: Session, request: InstitutionMembership, *, accept: bool, actor: User) -> None:
    if request.status != PENDING:
        raise AccountError(_l("This request has already been decided."))
    if not may_decide(actor, request):
        raise AccountError(_l("You cannot decide this request."))
    request.status = ACCEPTED if accept else DECLINED
    request.decided_at = utcnow()
    request.decided_by_id = actor.id
    if accept:
        request.user.institution_id = request.institution_id
    session.flush()
    audit(
        session,
        "membership.accept" if accept else "membership.decline",
        actor_id=actor.id,
        target=request.user,
        institution_id=request.institution_id,
    )


def _open_requests():
    # Unconfirmed, deactivated or erased accounts wait silently: nobody needs to decide about them.
    return (
        select(InstitutionMembership)
        .join(User, User.id == InstitutionMembership.user_id)
        .where(
            InstitutionMembership.status == PENDING,
            User.active.is_(True),
            User.erased_at.is_(None),
            User.email_confirmed_at.is_not(None),
        )
        .order_by(InstitutionMembership.requested_at, InstitutionMembership.id)
    )


def requests_for_coordinator(session: Session, coordinator: User) -> list[InstitutionMembership]:
    if coordinator.institution_id is None:
        return []
    query = _open_requests().where(
        InstitutionMembership.institution_id == coordinator.institution_id, InstitutionMembership.user_id != coordinator.id
    )
    return list(session.scalars(query))


@dataclass
class AdminRequest:
    request: InstitutionMembership
    has_coordinator: bool


def requests_for_admin(session: Session, *, without_coordinator_only: bool = False) -> list[AdminRequest]:
    """Every open request, marked with whether the institution has a coordinator to decide it."""
    query = _open_requests().add_columns(_coordinator_exists(InstitutionMembership.institution_id).label("has_coordinator"))
    rows = [AdminRequest(request, bool(flag)) for request, flag in session.execute(query)]
    if without_coordinator_only:
        rows = [row for row in rows if not row.has_coordinator]
    return rows


def set_institution_by_admin(session: Session, user: User, institution_id: int | None, *, actor_id: int | None) -> None:
    """An administrator moves a person directly: recorded as an accepted membership and audited."""
    if user.institution_id == institution_id:
        return
    if institution_id is not None:
        _require_institution(session, institution_id)
    open_request = pending_request(session, user)
    if open_request is not None:
        _cancel(session, open_request, actor_id=actor_id)
        session.flush()
    audit(session, "user.institution", actor_id=actor_id, target=user, before=user.institution_id, after=institution_id)
    user.institution_id = institution_id
    if institution_id is not None:
        now = utcnow()
        session.add(
            InstitutionMembership(
                user=user, institution_id=institution_id, status=ACCEPTED, requested_at=now, decided_at=now, decided_by_id=actor_id
            )
        )
    session.flush()


def admit(session: Session, user: User, institution_id: int | None) -> None:
    """Accounts made by an operator (CLI, demo data) start as accepted members, without an actor to decide."""
    set_institution_by_admin(session, user, institution_id, actor_id=None)


def cancel_open_request(session: Session, user: User, *, actor_id: int | None) -> None:
    open_request = pending_request(session, user)
    if open_request is not None:
        _cancel(session, open_request, actor_id=actor_id)
        session.flush()
