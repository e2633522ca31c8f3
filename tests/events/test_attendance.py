"""Attendance list PDF, marking attendance per session, hours and completion, the assessment grid and evaluation."""

from __future__ import annotations

import io
import re
from datetime import date, time, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from elearn.competencies.models import CompetenceLevel, Evidence
from elearn.events.models import EvaluationAnswer, EvaluationReceipt, Registration
from elearn.events.services import attendance
from elearn.extensions import db

from .helpers import make_event


def past_event(trainer, **data):
    day = date.today() - timedelta(days=3)
    return make_event(
        trainer_ids=[trainer.id],
        sessions=[(day, time(9), time(15)), (day + timedelta(days=1), time(9), time(13))],
        competence_codes=["WSP.1.1", "WSP.1.2"],
        assessment_level=2,
        **data,
    )


def enrol(client, login, event, users):
    for user in users:
        login(user)
        client.post(f"/events/{event.id}/register", data={})
    return {
        u.id: db.session.scalar(select(Registration).where(Registration.user_id == u.id, Registration.event_id == event.id)) for u in users
    }


def test_attendance_list_pdf_names_institutions_and_signature_column(client, make_user, login):
    trainer = make_user("trainer")
    event = make_event(trainer_ids=[trainer.id])
    people = [make_user("learner", full_name="Zofia <b>Nowak</b>"), make_user("learner", full_name="Adam Kowal")]
    enrol(client, login, event, people)
    login(trainer)
    response = client.get(f"/events/{event.id}/attendance-list.pdf")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2  # one page per session
    text = reader.pages[0].extract_text()
    assert "Lista obecności" in text and "Podpis" in text and "Sesja 1 z 2" in text
    assert "Zofia <b>Nowak</b>" in text and "Adam Kowal" in text
    assert people[0].institution.name in " ".join(text.split())  # wrapped in its cell
    assert text.index("Adam Kowal") < text.index("Zofia")


def test_marking_attendance_gives_hours_and_completion(client, make_user, login):
    trainer = make_user("trainer")
    event = past_event(trainer)
    full, partial, absent = make_user("learner"), make_user("learner"), make_user("learner")
    regs = enrol(client, login, event, [full, partial, absent])
    first, second = event.sessions
    login(trainer)
    page = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert 'type="checkbox"' in page
    present = [f"{regs[full.id].id}:{first.id}", f"{regs[full.id].id}:{second.id}", f"{regs[partial.id].id}:{first.id}"]
    response = client.post(f"/events/{event.id}/attendance", data={"present": present}, follow_redirects=True)
    assert "Obecność została zapisana" in response.get_data(as_text=True)
    result = {o.registration.user_id: o for o in attendance.outcomes(db.session, event)}
    assert (result[full.id].minutes, result[full.id].completed) == (600, True)
    assert (result[partial.id].minutes, result[partial.id].completed) == (360, False)  # 60% < 80%
    assert (result[absent.id].minutes, result[absent.id].completed) == (0, False)
    login(partial)
    assert "Godziny obecności: 6<" in client.get(f"/events/{event.id}").get_data(as_text=True)
    login(trainer)
    assert client.post(f"/events/{event.id}/attendance", data={"present": [f"{regs[full.id].id}:999999"]}).status_code == 400
    page = client.post(f"/events/{event.id}/attendance", data={"present": [f"999999:{first.id}"]}, follow_redirects=True)
    assert "tylko zapisanym uczestnikom" in page.get_data(as_text=True)
    assert attendance.outcome_of(db.session, event, full.id).minutes == 600  # the refused form changed nothing


def test_assessment_grid_records_event_evidence_at_the_events_level(client, make_user, login):
    trainer = make_user("trainer")
    event = past_event(trainer)
    a, b = make_user("learner"), make_user("learner")
    enrol(client, login, event, [a, b])
    login(trainer)
    assert "WSP.1.1" in client.get(f"/events/{event.id}/assessment").get_data(as_text=True)
    client.post(f"/events/{event.id}/assessment", data={"mark": [f"{a.id}:WSP.1.1", f"{b.id}:WSP.1.2"]})
    client.post(f"/events/{event.id}/assessment", data={"mark": [f"{a.id}:WSP.1.1"]})  # again: nothing new
    rows = db.session.scalars(select(Evidence).where(Evidence.source == "event_assessment").order_by(Evidence.user_id)).all()
    assert [(e.user_id, e.competence_code, e.level, e.source_id) for e in rows] == [
        (a.id, "WSP.1.1", 2, str(event.id)),
        (b.id, "WSP.1.2", 2, str(event.id)),
    ]
    level = db.session.scalar(select(CompetenceLevel).where(CompetenceLevel.user_id == a.id, CompetenceLevel.code == "WSP.1.1"))
    assert level.level == 2
    stranger = make_user("learner")
    page = client.post(f"/events/{event.id}/assessment", data={"mark": [f"{stranger.id}:WSP.1.1"]}, follow_redirects=True)
    assert "Ocenić można tylko uczestników" in page.get_data(as_text=True)


def test_evaluation_is_anonymous_once_per_person_with_aggregate(client, make_user, login):
    trainer = make_user("trainer")
    event = past_event(trainer)
    a, b = make_user("learner"), make_user("learner")
    enrol(client, login, event, [a, b])
    answers = {"q_goals": "5", "q_useful": "4", "q_trainer": "5", "q_materials": "3", "q_organisation": "4"}
    login(a)
    client.post(f"/events/{event.id}/evaluation", data={**answers, "comment": "Bardzo dobre"})
    assert "Nie możesz wypełnić" in client.post(f"/events/{event.id}/evaluation", data=answers, follow_redirects=True).get_data(
        as_text=True
    )
    login(b)
    page = client.post(f"/events/{event.id}/evaluation", data={**answers, "q_goals": "7"}).get_data(as_text=True)
    assert "Nieprawidłowy wybór" in page
    client.post(f"/events/{event.id}/evaluation", data={**answers, "q_goals": "3"})
    assert db.session.scalar(select(db.func.count()).select_from(EvaluationAnswer)) == 2
    assert db.session.scalar(select(db.func.count()).select_from(EvaluationReceipt)) == 2
    assert "user_id" not in EvaluationAnswer.__table__.c
    login(trainer)
    page = client.get(f"/events/{event.id}/evaluation/results").get_data(as_text=True)
    assert "Liczba odpowiedzi: 2" in page and "<td>4</td>" in page and "Bardzo dobre" in page
    assert not re.search(r"(?<![\w.-])4\.0(?![\w.-])", page)  # a mean of 4 is "4"; a CSRF token may hold "4.0"
