"""Object-level checks: an institution sees its own cases only; a worker sees what they asked, the coordinator
everything of the institution; only advisors act on cases. (The route walker in tests/core covers roles.)"""

from __future__ import annotations

import io

import pytest
from flask import current_app
from sqlalchemy import select

from elearn.advisory.models import AdvisoryCase
from elearn.advisory.services import access, cases
from elearn.advisory.services.meetings import schedule
from elearn.core.timeutil import utcnow
from elearn.extensions import db

from .helpers import open_case


@pytest.fixture
def sides(make_user, institution, other_institution, advisor):
    """Per institution: a coordinator, a worker who asked, another worker; a case with a file and a meeting."""
    from datetime import timedelta

    out = {}
    for key, place in (("a", institution), ("b", other_institution)):
        coordinator = make_user("coordinator", "learner", institution_id=place.id)
        asker = make_user("learner", institution_id=place.id)
        colleague = make_user("learner", institution_id=place.id)
        case = open_case(asker, subject=f"Sprawa instytucji {key.upper()}", files=[("pismo.pdf", b"%PDF-1.4 pismo")])
        start = utcnow() + timedelta(days=3)
        meeting = schedule(db.session, case, actor=advisor, starts_at=start, ends_at=start + timedelta(hours=1), form="online", location="")
        db.session.commit()
        out[key] = {"coordinator": coordinator, "asker": asker, "colleague": colleague, "case": case, "meeting": meeting}
    return out


def _urls(side) -> list[str]:
    case = side["case"]
    return [f"/advisory/{case.id}", f"/advisory/files/{case.attachments[0].id}", f"/advisory/meetings/{side['meeting'].id}.ics"]


def test_an_institution_sees_its_own_cases_and_not_anothers(client, login, sides):
    for mine, theirs in (("a", "b"), ("b", "a")):
        for who in ("coordinator", "asker"):
            login(sides[mine][who])
            assert all(client.get(url).status_code == 200 for url in _urls(sides[mine]))
            assert all(client.get(url).status_code == 404 for url in _urls(sides[theirs]))
            listing = client.get("/advisory/").get_data(as_text=True)
            assert f"Sprawa instytucji {mine.upper()}" in listing
            assert f"Sprawa instytucji {theirs.upper()}" not in listing
            other = sides[theirs]["case"]
            assert client.post(f"/advisory/{other.id}/reply", data={"body": "Wtrącam się."}).status_code == 404


def test_a_worker_sees_only_the_cases_they_asked_the_coordinator_all(client, login, sides):
    login(sides["a"]["colleague"])
    assert client.get(f"/advisory/{sides['a']['case'].id}").status_code == 404
    assert "Sprawa instytucji A" not in client.get("/advisory/").get_data(as_text=True)
    assert client.post(f"/advisory/{sides['a']['case'].id}/reply", data={"body": "Też pytam."}).status_code == 404
    assert db.session.get(AdvisoryCase, sides["a"]["case"].id).messages == []


def test_a_worker_who_moves_institution_loses_the_old_cases(sides):
    asker, case = sides["a"]["asker"], sides["a"]["case"]
    assert access.may_view(asker, case)
    asker.institution_id = sides["b"]["case"].institution_id
    assert not access.may_view(asker, case)


def test_the_institution_side_cannot_use_advisor_actions(client, login, sides):
    case = sides["a"]["case"]
    login(sides["a"]["coordinator"])
    for action, data in (
        ("take", {}),
        ("assign", {"assign-advisor": str(sides["a"]["coordinator"].id)}),
        ("close", {"close-outcome": "Sami zamykamy.", "close-minutes": "1"}),
        ("meeting", {"meeting-day": "2030-01-01", "meeting-start": "10:00", "meeting-end": "11:00", "meeting-form": "online"}),
        ("candidate", {"title": "x", "summary": "y"}),
    ):
        assert client.post(f"/advisory/{case.id}/{action}", data=data).status_code == 403
    assert db.session.get(AdvisoryCase, case.id).status == "assigned"


def test_services_refuse_the_same_without_views(sides):
    case, coordinator = sides["a"]["case"], sides["a"]["coordinator"]
    with pytest.raises(cases.AdvisoryError):
        cases.close(db.session, case, actor=coordinator, outcome="x", minutes=1)
    with pytest.raises(cases.AdvisoryError):
        cases.add_message(
            db.session, case, author=sides["b"]["coordinator"], body="Obca instytucja", files=[], instance_path=current_app.instance_path
        )
    with pytest.raises(cases.AdvisoryError):
        cases.assign(db.session, case, advisor_id=coordinator.id, actor=coordinator)


def test_a_case_can_be_assigned_only_to_an_advisor(client, login, sides, advisor, make_user):
    trainer = make_user("trainer")
    login(advisor)
    case = sides["a"]["case"]
    client.post(f"/advisory/{case.id}/assign", data={"assign-advisor": str(trainer.id)})
    assert db.session.get(AdvisoryCase, case.id).assigned_to_id == advisor.id  # the meeting gave it to the advisor
    colleague = make_user("issuer", full_name="Robert Doradczy")
    client.post(f"/advisory/{case.id}/assign", data={"assign-advisor": str(colleague.id)})
    assert db.session.get(AdvisoryCase, case.id).assigned_to_id == colleague.id


def test_without_a_confirmed_institution_nobody_asks(client, login, make_user):
    from elearn.accounts.models import User

    loner = make_user("learner")
    db.session.get(User, loner.id).institution_id = None
    db.session.commit()
    login(loner)
    page = client.get("/advisory/new").get_data(as_text=True)
    assert "potwierdzony pracownik" in page
    client.post(
        "/advisory/new",
        data={
            "subject": "Pytanie bez instytucji",
            "topic": "inne",
            "description": "x" * 30,
            "preferred_form": "email",
            "urgency": "zwykla",
        },
    )
    assert db.session.scalar(select(AdvisoryCase).where(AdvisoryCase.subject == "Pytanie bez instytucji")) is None


def test_files_of_a_case_are_checked_by_content(client, login, sides):
    login(sides["a"]["asker"])
    case = sides["a"]["case"]
    client.post(
        f"/advisory/{case.id}/reply",
        data={"body": "Dołączam skrypt.", "files": [(io.BytesIO(b"<script>alert(1)</script>"), "skrypt.html")]},
        content_type="multipart/form-data",
    )
    assert db.session.get(AdvisoryCase, case.id).messages == []
