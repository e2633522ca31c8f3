"""A worker who only asked to join an institution appears nowhere in its team data until the coordinator accepts,
and a coordinator cannot move herself into another institution's team."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.accounts.models import User
from elearn.competencies.services import levels
from elearn.directory.models import Institution
from elearn.extensions import db


@pytest.fixture
def elsewhere(institution):
    return db.session.scalar(select(Institution).where(Institution.id != institution.id).order_by(Institution.id))


def _team(client) -> str:
    return client.get("/competencies/team?role=animator").get_data(as_text=True) + client.get(
        "/competencies/team.csv?role=animator"
    ).get_data(as_text=True)


def _ask_to_join(client, user: User, institution_id: int) -> None:
    client.post("/account", data={"full_name": user.full_name, "job_title": user.job_title, "institution_id": str(institution_id)})


def test_pending_worker_is_absent_from_team_matrix_and_csv_until_accepted(client, login, make_user, institution, elsewhere):
    coordinator = make_user("coordinator", "learner")
    newcomer = login(make_user("learner", full_name="Halina Oczekująca", institution_id=elsewhere.id))
    levels.record_evidence(db.session, user_id=newcomer.id, code="ANI.1.1", level=3, source="imported")
    db.session.commit()
    _ask_to_join(client, newcomer, institution.id)

    login(coordinator)
    assert "Halina Oczekująca" not in _team(client)

    from elearn.accounts.services import membership

    request = membership.pending_request(db.session, newcomer)
    client.post(f"/institution-requests/{request.id}", data={"confirmed": "1", "accept": "1"}, follow_redirects=True)  # shows the flash
    matrix = client.get("/competencies/team?role=animator").get_data(as_text=True)
    assert '<th scope="row">Halina Oczekująca</th>' in matrix
    assert "Halina Oczekująca" in client.get("/competencies/team.csv?role=animator").get_data(as_text=True)


def test_coordinator_cannot_move_herself_into_another_team(client, login, make_user, institution, elsewhere):
    """The reported attack: a coordinator changed her institution and read another institution's team."""
    make_user("learner", full_name="Olga Obca", institution_id=elsewhere.id)
    coordinator = login(make_user("coordinator", "learner"))
    assert "nie możesz sam zmienić instytucji" in client.get("/account").get_data(as_text=True)
    _ask_to_join(client, coordinator, elsewhere.id)
    db.session.expire_all()
    assert db.session.get(User, coordinator.id).institution_id == institution.id
    assert "Olga Obca" not in _team(client)
