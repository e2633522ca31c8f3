"""A worker whose institution is missing proposes it; an administrator adds it (the institution and the pending
membership request appear) or declines it (after a confirmation page). Audited, both sides notified."""

from __future__ import annotations

from sqlalchemy import select

from elearn.accounts.models import ACCEPTED, DECLINED, PENDING, InstitutionMembership, InstitutionProposal
from elearn.core.models import AuditEntry
from elearn.core.notifications.models import Notification
from elearn.directory.models import Institution, TerritorialUnit
from elearn.extensions import db

LUBICZ = "0415042"


def _gmina_id() -> int:
    return db.session.scalar(select(TerritorialUnit.id).where(TerritorialUnit.code == LUBICZ))


def _propose(client, **changes):
    data = {"name": "Stowarzyszenie Sąsiedzi z Grębocina", "type": "NGO", "gmina_id": str(_gmina_id()), "street": "ul. Lipowa 3",
            "postal_code": "87-122", "city": "Grębocin", **changes}  # fmt: skip
    return client.post("/account/institution-proposal", data=data)


def _notifications(user_id: int) -> list[str]:
    return list(db.session.scalars(select(Notification.kind).where(Notification.recipient_id == user_id)))


def test_proposal_accepted_creates_institution_and_membership_request(client, make_user, login):
    admin = make_user("admin")
    worker = login(make_user("learner"))
    page = client.get("/account/institution-proposal").get_data(as_text=True)
    assert "Zaproponuj instytucję" in page and "Lubicz (gmina wiejska) – powiat toruński" in page
    assert _propose(client).status_code == 302
    proposal = db.session.scalar(select(InstitutionProposal).where(InstitutionProposal.user_id == worker.id))
    assert (proposal.status, proposal.type, proposal.city) == (PENDING, "NGO", "Grębocin")
    assert "accounts.institution_proposed" in _notifications(admin.id)
    assert "czeka na administratora" in client.get("/account/institution-proposal").get_data(as_text=True)
    assert _propose(client).status_code == 200  # one waiting proposal at a time: the page says so, nothing new
    assert len(db.session.scalars(select(InstitutionProposal)).all()) == 1

    login(admin)
    listing = client.get("/admin/institution-proposals").get_data(as_text=True)
    assert "Stowarzyszenie Sąsiedzi z Grębocina" in listing and "ul. Lipowa 3, 87-122, Grębocin" in listing
    response = client.post(f"/admin/institution-proposals/{proposal.id}", data={"accept": "1"})
    assert response.status_code == 302
    db.session.refresh(proposal)
    institution = db.session.get(Institution, proposal.institution_id)
    assert proposal.status == ACCEPTED and institution.name == "Stowarzyszenie Sąsiedzi z Grębocina" and institution.type == "NGO"
    assert institution.served_area_id == _gmina_id() and institution.active
    request = db.session.scalar(
        select(InstitutionMembership).where(InstitutionMembership.user_id == worker.id, InstitutionMembership.status == PENDING)
    )
    assert (request.institution_id, request.status) == (institution.id, PENDING)
    assert "accounts.proposal_accepted" in _notifications(worker.id)
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"institution.propose", "institution.create", "institution.proposal_accept", "membership.request"} <= actions
    # The new institution is offered in the picker, under its powiat.
    assert "Stowarzyszenie Sąsiedzi z Grębocina" in client.get(f"/admin/users/{worker.id}").get_data(as_text=True)


def test_decline_asks_first_and_tells_the_person(client, make_user, login):
    admin = make_user("admin")
    worker = login(make_user("learner"))
    _propose(client, name="Fundacja Pomocna Dłoń", type="NGO")
    proposal = db.session.scalar(select(InstitutionProposal))
    login(admin)
    page = client.post(f"/admin/institution-proposals/{proposal.id}", data={"decline": "1"})
    assert page.status_code == 200 and "Odrzucić zaproponowaną instytucję Fundacja Pomocna Dłoń?" in page.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == PENDING
    client.post(f"/admin/institution-proposals/{proposal.id}", data={"decline": "1", "confirmed": "1"})
    db.session.refresh(proposal)
    assert proposal.status == DECLINED and proposal.institution_id is None
    assert db.session.scalar(select(Institution).where(Institution.name == "Fundacja Pomocna Dłoń")) is None
    assert "accounts.proposal_declined" in _notifications(worker.id)


def test_bad_proposals_get_polish_errors_and_only_admins_decide(client, make_user, login):
    worker = login(make_user("learner"))
    page = _propose(client, name="", gmina_id="", type="XYZ").get_data(as_text=True)
    assert "To pole jest wymagane." in page
    assert db.session.scalar(select(InstitutionProposal)) is None
    _propose(client)
    proposal = db.session.scalar(select(InstitutionProposal).where(InstitutionProposal.user_id == worker.id))
    assert client.post(f"/admin/institution-proposals/{proposal.id}", data={"accept": "1"}).status_code == 403
    assert client.get("/admin/institution-proposals").status_code == 403
