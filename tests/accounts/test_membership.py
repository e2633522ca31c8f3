"""Institution membership is confirmed by the institution's coordinator (or an admin) and every step is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.accounts.models import InstitutionMembership, User
from elearn.accounts.services import membership
from elearn.core.models import AuditEntry
from elearn.directory.models import Institution
from elearn.extensions import db


@pytest.fixture
def other_institution(institution):
    return db.session.scalar(select(Institution).where(Institution.id != institution.id).order_by(Institution.id))


def _profile(user: User, institution_id: int) -> dict:
    return {"full_name": user.full_name, "job_title": user.job_title, "institution_id": str(institution_id)}


def _actions(user: User) -> list[str]:
    query = select(AuditEntry.action).where(AuditEntry.target_id == str(user.id), AuditEntry.action.like("membership.%"))
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def test_changing_institution_on_the_account_page_is_a_request(client, login, make_user, institution, other_institution):
    worker = login(make_user(full_name="Ewa Przenoszona"))
    response = client.post("/account", data=_profile(worker, other_institution.id), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "czeka na potwierdzenie" in html
    db.session.expire_all()
    assert db.session.get(User, worker.id).institution_id == institution.id  # still where she was accepted
    request = membership.pending_request(db.session, worker)
    assert request.institution_id == other_institution.id
    assert _actions(worker) == ["membership.request"]


def test_coordinator_accepts_and_declines_requests_to_her_institution(client, login, make_user, institution, other_institution):
    coordinator = make_user("coordinator", "learner")
    arriving = make_user(full_name="Jan Przychodzący", institution_id=other_institution.id)
    refused = make_user(full_name="Piotr Odrzucony", institution_id=other_institution.id)
    first = membership.request_membership(db.session, arriving, institution.id, actor_id=arriving.id)
    second = membership.request_membership(db.session, refused, institution.id, actor_id=refused.id)
    db.session.commit()
    login(coordinator)
    page = client.get("/institution-requests").get_data(as_text=True)
    assert "Jan Przychodzący" in page and "Piotr Odrzucony" in page

    assert client.post(f"/institution-requests/{first.id}", data={"confirmed": "1", "accept": "1"}).status_code == 302
    assert client.post(f"/institution-requests/{second.id}", data={"confirmed": "1", "decline": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, arriving.id).institution_id == institution.id
    assert db.session.get(User, refused.id).institution_id == other_institution.id
    assert [db.session.get(InstitutionMembership, r.id).status for r in (first, second)] == ["accepted", "declined"]
    accepted = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "membership.accept"))
    assert (accepted.actor_id, accepted.target_id) == (coordinator.id, str(arriving.id))
    assert _actions(refused) == ["membership.request", "membership.decline"]
    # Decided requests leave the list, and cannot be decided again.
    assert f'id="request-{first.id}"' not in client.get("/institution-requests").get_data(as_text=True)
    client.post(f"/institution-requests/{second.id}", data={"confirmed": "1", "accept": "1"})
    assert db.session.get(InstitutionMembership, second.id).status == "declined"

    login(refused)
    assert "została odrzucona" in client.get("/account").get_data(as_text=True)


def test_coordinator_of_another_institution_cannot_decide(client, login, make_user, institution, other_institution):
    worker = make_user(institution_id=other_institution.id)
    request = membership.request_membership(db.session, worker, institution.id, actor_id=worker.id)
    db.session.commit()
    login(make_user("coordinator", institution_id=other_institution.id))
    assert f'id="request-{request.id}"' not in client.get("/institution-requests").get_data(as_text=True)
    assert client.post(f"/institution-requests/{request.id}", data={"confirmed": "1", "accept": "1"}).status_code == 404
    login(make_user("learner"))
    assert client.post(f"/institution-requests/{request.id}", data={"confirmed": "1", "accept": "1"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(InstitutionMembership, request.id).status == "pending"


def test_institution_without_coordinator_routes_requests_to_admins(client, login, make_user, institution, other_institution):
    make_user("coordinator")  # coordinates `institution`, not `other_institution`
    worker = make_user(full_name="Zofia Bezkoordynatorska")
    orphan = membership.request_membership(db.session, worker, other_institution.id, actor_id=worker.id)
    db.session.commit()
    admin = login(make_user("admin"))
    page = client.get("/admin/institution-requests?bez-koordynatora=1").get_data(as_text=True)
    assert "Zofia Bezkoordynatorska" in page and "brak koordynatora" in page
    client.post(f"/institution-requests/{orphan.id}", data={"confirmed": "1", "accept": "1"})
    db.session.expire_all()
    assert db.session.get(User, worker.id).institution_id == other_institution.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "membership.accept"))
    assert entry.actor_id == admin.id


def test_requests_of_unconfirmed_accounts_are_not_listed(client, login, make_user, institution):
    from elearn.accounts.services import register_learner

    register_learner(
        db.session, email="niepotwierdzona@example.org", full_name="Nina Niepotwierdzona", password="dlugie-haslo-2026",
        institution_id=institution.id, job_title="pracownik socjalny",
    )  # fmt: skip
    db.session.commit()
    login(make_user("coordinator"))
    assert "Nina Niepotwierdzona" not in client.get("/institution-requests").get_data(as_text=True)


def test_admin_moves_a_person_directly_with_audit(client, login, make_user, institution, other_institution):
    admin = login(make_user("admin"))
    worker = make_user()
    response = client.post(
        f"/admin/users/{worker.id}",
        data={
            "full_name": worker.full_name,
            "email": worker.email,
            "roles": ["learner"],
            "institution_id": str(other_institution.id),
            "active": "y",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, worker.id).institution_id == other_institution.id
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "user.institution", AuditEntry.target_id == str(worker.id), AuditEntry.actor_id == admin.id
        )
    )
    assert entry.details == {"before": institution.id, "after": other_institution.id}
    rows = db.session.scalars(
        select(InstitutionMembership).where(InstitutionMembership.user_id == worker.id).order_by(InstitutionMembership.id)
    ).all()
    assert [(r.institution_id, r.status) for r in rows][-1] == (other_institution.id, "accepted")
