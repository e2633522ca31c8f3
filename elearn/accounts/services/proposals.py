"""Institutions missing from the list: a person proposes one (name, type, gmina, address); an administrator accepts
it — the institution is created through directory.save_institution and the person's membership request is opened,
to be confirmed as any other — or declines it. Both sides are told; every step is audited."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.audit import audit
from ...core.notifications import notify
from ...core.roles import ADMIN
from ...core.timeutil import utcnow
from ...directory.models import GMINA, INSTITUTION_TYPES, TerritorialUnit
from ...directory.services import save_institution
from ..models import ACCEPTED, DECLINED, PENDING, InstitutionProposal, User, UserRole
from . import membership
from .errors import AccountError

PROPOSED, PROPOSAL_ACCEPTED, PROPOSAL_DECLINED = "accounts.institution_proposed", "accounts.proposal_accepted", "accounts.proposal_declined"


def pending_proposal(session: Session, user_id: int) -> InstitutionProposal | None:
    return session.scalar(select(InstitutionProposal).where(InstitutionProposal.user_id == user_id, InstitutionProposal.status == PENDING))


def propose(session: Session, user: User, *, name: str, type_: str, gmina_id: int, street: str | None, postal_code: str | None,
            city: str | None, admin_url: str, announce: bool = True) -> InstitutionProposal:  # fmt: skip
    """announce=False: made at registration, the administrators are told once the address is confirmed
    (`announce_pending`), so an unconfirmed address cannot fill their notifications."""
    if pending_proposal(session, user.id) is not None:
        raise AccountError(_l("Your previous proposal is still waiting for an administrator."))
    gmina = session.get(TerritorialUnit, gmina_id)
    if gmina is None or gmina.level != GMINA or type_ not in INSTITUTION_TYPES:
        raise AccountError(_l("Choose the gmina and the type from the lists."))
    proposal = InstitutionProposal(
        user_id=user.id, name=name, type=type_, gmina_id=gmina.id, street=street or None, postal_code=postal_code or None,
        city=city or None, status=PENDING,
    )  # fmt: skip
    session.add(proposal)
    session.flush()
    audit(session, "institution.propose", actor_id=user.id, target=proposal, name=name, type=type_, gmina=gmina.code)
    if announce:
        _tell_admins(session, proposal, admin_url)
    return proposal


def _tell_admins(session: Session, proposal: InstitutionProposal, admin_url: str) -> None:
    admins = session.scalars(select(User.id).join(UserRole).where(UserRole.role == ADMIN, User.active.is_(True), User.erased_at.is_(None)))
    for admin_id in admins:
        notify(session, admin_id, PROPOSED, {"name": proposal.name, "person": proposal.user.full_name}, admin_url)


def announce_pending(session: Session, user: User, admin_url: str) -> None:
    """The person has just confirmed the address they registered with: the proposal made then reaches the admins."""
    proposal = pending_proposal(session, user.id)
    if proposal is not None:
        _tell_admins(session, proposal, admin_url)


def open_proposals(session: Session) -> list[InstitutionProposal]:
    query = select(InstitutionProposal).join(User, InstitutionProposal.user_id == User.id)
    query = query.where(InstitutionProposal.status == PENDING, User.email_confirmed_at.is_not(None))
    return list(session.scalars(query.order_by(InstitutionProposal.requested_at, InstitutionProposal.id)))


def decide(session: Session, proposal: InstitutionProposal, *, accept: bool, actor: User, account_url: str) -> None:
    """Accept: create the institution (active, serving and located in the gmina) and open the membership request."""
    if proposal.status != PENDING:
        raise AccountError(_l("This proposal has already been decided."))
    proposal.status = ACCEPTED if accept else DECLINED
    proposal.decided_at, proposal.decided_by_id = utcnow(), actor.id
    if accept:
        data = {
            "name": proposal.name, "type": proposal.type, "street": proposal.street, "postal_code": proposal.postal_code,
            "city": proposal.city, "location_id": proposal.gmina_id, "served_area_id": proposal.gmina_id, "active": True,
        }  # fmt: skip
        institution = save_institution(session, None, data, actor_id=actor.id)
        proposal.institution_id = institution.id
        membership.request_membership(session, proposal.user, institution.id, actor_id=proposal.user_id)
    session.flush()
    audit(session, "institution.proposal_accept" if accept else "institution.proposal_decline", actor_id=actor.id, target=proposal,
          user_id=proposal.user_id, institution_id=proposal.institution_id)  # fmt: skip
    kind = PROPOSAL_ACCEPTED if accept else PROPOSAL_DECLINED
    notify(session, proposal.user_id, kind, {"name": proposal.name}, account_url)
