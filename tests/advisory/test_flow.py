"""The whole path a person notices: a coordinator asks ROPS, an advisor answers, meets and closes with time spent."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from elearn.advisory.models import ANSWERED, ASSIGNED, CLOSED, NEW, AdvisoryCase
from elearn.core.models import AuditEntry
from elearn.core.notifications import Notification
from elearn.core.timeutil import to_local, utcnow
from elearn.extensions import db

from .helpers import open_case


def _notified(user_id: int, kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.recipient_id == user_id, Notification.kind == kind)))


def test_a_coordinator_opens_a_case_an_advisor_answers_and_closes_with_time_spent(client, login, coordinator, advisor):
    login(coordinator)
    response = client.post(
        "/advisory/new",
        data={
            "subject": "Diagnoza do strategii rozwiązywania problemów społecznych",
            "topic": "srps",
            "description": "Rada gminy przyjęła harmonogram prac nad **SRPS**. Jakie dane zebrać do diagnozy?",
            "preferred_form": "telefon",
            "contact_phone": "56 611 22 33",
            "urgency": "pilna",
            "files": [(io.BytesIO(b"%PDF-1.4 harmonogram"), "harmonogram.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    case = db.session.scalar(select(AdvisoryCase).order_by(AdvisoryCase.id.desc()))
    assert (case.status, case.requester_id, case.institution_id) == (NEW, coordinator.id, coordinator.institution_id)
    assert [a.name for a in case.attachments] == ["harmonogram.pdf"]
    assert _notified(advisor.id, "advisory.opened")
    page = client.get(f"/advisory/{case.id}").get_data(as_text=True)
    assert "<strong>SRPS</strong>" in page and "56 611 22 33" in page

    login(advisor)
    queue = client.get("/advisory/queue").get_data(as_text=True)
    assert "Diagnoza do strategii" in queue
    assert client.post(f"/advisory/{case.id}/take", data={}).status_code == 302
    assert db.session.get(AdvisoryCase, case.id).status == ASSIGNED
    client.post(f"/advisory/{case.id}/reply", data={"body": "Proszę zacząć od danych GUS i sprawozdań MRPiPS-03."})
    assert db.session.get(AdvisoryCase, case.id).status == ANSWERED
    assert _notified(coordinator.id, "advisory.message")
    day = to_local(utcnow() + timedelta(days=7)).date().isoformat()
    client.post(
        f"/advisory/{case.id}/meeting",
        data={"meeting-day": day, "meeting-start": "10:00", "meeting-end": "11:30", "meeting-form": "online", "meeting-location": "Teams"},
    )
    meeting = db.session.get(AdvisoryCase, case.id).meetings[0]
    assert int((meeting.ends_at - meeting.starts_at).total_seconds()) == 90 * 60
    assert _notified(coordinator.id, "advisory.meeting")
    client.post(f"/advisory/{case.id}/close", data={"close-outcome": "Uzgodniono zakres diagnozy i źródła danych.", "close-minutes": "135"})
    closed = db.session.get(AdvisoryCase, case.id)
    assert (closed.status, closed.minutes_spent, closed.closed_by_id) == (CLOSED, 135, advisor.id)
    actions = set(
        db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "AdvisoryCase", AuditEntry.target_id == str(case.id)))
    )
    assert {"advisory.open", "advisory.assign", "advisory.message", "advisory.meeting", "advisory.close"} <= actions

    login(coordinator)
    history = client.get("/advisory/").get_data(as_text=True)
    assert ("Diagnoza do strategii" in history and "zamknięta" in history) or "closed" in history
    page = client.get(f"/advisory/{case.id}").get_data(as_text=True)
    assert "Uzgodniono zakres diagnozy" in page and "135" in page
    ics = client.get(f"/advisory/meetings/{meeting.id}.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.data and b"Diagnoza do strategii" in ics.data
    assert client.get(f"/advisory/files/{case.attachments[0].id}").data == b"%PDF-1.4 harmonogram"


def test_an_institution_reply_brings_the_case_back_and_reopening_works(client, login, coordinator, advisor):
    case = open_case(coordinator)
    login(advisor)
    client.post(f"/advisory/{case.id}/reply", data={"body": "Proszę przesłać projekt uchwały."})
    assert db.session.get(AdvisoryCase, case.id).assigned_to_id == advisor.id  # answering takes the case
    login(coordinator)
    client.post(f"/advisory/{case.id}/reply", data={"body": "Przesyłam w załączniku."})
    assert db.session.get(AdvisoryCase, case.id).status == ASSIGNED
    assert _notified(advisor.id, "advisory.message")
    login(advisor)
    client.post(f"/advisory/{case.id}/close", data={"close-outcome": "Projekt uchwały poprawiony.", "close-minutes": "40"})
    client.post(f"/advisory/{case.id}/reopen", data={})
    assert db.session.get(AdvisoryCase, case.id).status == ASSIGNED
    login(coordinator)
    assert client.post(f"/advisory/{case.id}/reopen", data={}).status_code == 403


def test_closing_needs_an_outcome_and_minutes(client, login, coordinator, advisor):
    case = open_case(coordinator)
    login(advisor)
    response = client.post(f"/advisory/{case.id}/close", data={"close-outcome": "", "close-minutes": "-5"}, follow_redirects=True)
    assert db.session.get(AdvisoryCase, case.id).status == NEW
    assert "Opisz rozstrzygnięcie." in response.get_data(as_text=True)


def test_a_rejected_attachment_opens_nothing(client, login, coordinator):
    login(coordinator)
    response = client.post(
        "/advisory/new",
        data={
            "subject": "Pytanie o CUS",
            "topic": "cus",
            "description": "Czy gmina wiejska może utworzyć centrum usług społecznych z sąsiednią gminą?",
            "preferred_form": "email",
            "urgency": "zwykla",
            "files": [(io.BytesIO(b"MZ not a pdf"), "uchwala.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert db.session.scalar(select(AdvisoryCase).where(AdvisoryCase.subject == "Pytanie o CUS")) is None


def test_a_phone_preference_needs_a_number(client, login, coordinator):
    login(coordinator)
    data = {
        "subject": "Telefon w sprawie LPDI",
        "topic": "lpdi",
        "description": "Prosimy o rozmowę o harmonogramie lokalnego planu deinstytucjonalizacji.",
        "preferred_form": "telefon",
        "urgency": "zwykla",
    }
    assert client.post("/advisory/new", data=data).status_code == 200
    assert db.session.scalar(select(AdvisoryCase).where(AdvisoryCase.subject == "Telefon w sprawie LPDI")) is None


def test_the_advisors_dashboard_counts_new_and_own_cases(client, login, coordinator, advisor):
    open_case(coordinator, subject="Pierwsza sprawa")
    taken = open_case(coordinator, subject="Druga sprawa")
    login(advisor)
    client.post(f"/advisory/{taken.id}/take", data={})
    text = client.get("/dashboard").get_data(as_text=True)
    assert "1 nowa sprawa czeka na doradcę." in text and "1 otwarta sprawa jest Twoja." in text
