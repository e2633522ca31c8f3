"""Organisers create and change events through the form; participants hear about changes; the day-before reminder."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from elearn.core.notifications import Notification, send_due
from elearn.core.timeutil import utcnow
from elearn.directory.models import TerritorialUnit
from elearn.events.models import Event, Registration
from elearn.extensions import db

from .helpers import make_event


def form_data(trainer, **overrides):
    day = date.today() + timedelta(days=30)
    lubicz = db.session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == "0415042"))
    data = {
        "title": "Superwizja grupowa dla asystentów rodziny",
        "type": "superwizja",
        "description": "Spotkanie **superwizyjne**.",
        "programme": "- studium przypadku",
        "sessions-0-day": day.isoformat(),
        "sessions-0-start": "09:00",
        "sessions-0-end": "14:00",
        "sessions-1-day": (day + timedelta(days=1)).isoformat(),
        "sessions-1-start": "10:00",
        "sessions-1-end": "12:15",
        "place_name": "Dom Kultury",
        "street": "ul. Toruńska 21",
        "postal_code": "87-162",
        "city": "Lubicz Dolny",
        "gmina_id": str(lubicz.id),
        "capacity": "12",
        "registration_opens": date.today().isoformat(),
        "registration_closes": (day - timedelta(days=2)).isoformat(),
        "cancellation_deadline": (day - timedelta(days=3)).isoformat(),
        "target_roles": ["animator"],
        "target_institution_types": ["OPS"],
        "trainers": [str(trainer.id)],
        "module_id": "0",
        "competence_codes": "WSP.1.1, WSP.2.1",
        "assessment_level": "2",
        "completion_percent": "80",
    }
    data.update(overrides)
    return data


def test_organiser_creates_a_two_day_event(client, make_user, login):
    trainer = make_user("trainer")
    login(make_user("issuer"))
    assert client.get("/events/new").status_code == 200
    response = client.post("/events/new", data=form_data(trainer), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Wydarzenie zostało zapisane" in page
    event = db.session.scalar(select(Event).where(Event.title.like("Superwizja%")))
    assert [s.minutes for s in event.sessions] == [300, 135]
    assert event.clock_hours == 7.25 and event.academic_hours == 9.67
    assert event.trainers == [trainer] and event.competence_codes == ["WSP.1.1", "WSP.2.1"]
    assert "<strong>superwizyjne</strong>" in page and "Lubicz" in page


def test_bad_event_input_gives_polish_errors_and_no_row(client, make_user, login):
    trainer = make_user("trainer")
    login(make_user("issuer"))
    bad = form_data(trainer, **{"sessions-0-end": "08:00", "competence_codes": "XYZ.9", "city": "", "capacity": "0"})
    page = client.post("/events/new", data=bad).get_data(as_text=True)
    assert "Od 1 do 10000" in page
    bad["capacity"] = "5"
    page = client.post("/events/new", data=bad).get_data(as_text=True)
    assert "Zajęcia muszą kończyć się później" in page and "Nieznane kody kompetencji: XYZ.9" in page and "Podaj miejsce" in page
    assert db.session.scalar(select(Event).where(Event.title.like("Superwizja%"))) is None
    assert client.post("/events/new", data=form_data(trainer, trainers=["999999"])).status_code == 200


def test_changing_the_time_tells_participants_and_a_learner_cannot_edit(client, make_user, login):
    trainer = make_user("trainer")
    event = make_event(trainer_ids=[trainer.id])
    learner = login(make_user("learner"))
    client.post(f"/events/{event.id}/register", data={})
    assert client.get(f"/events/{event.id}/edit").status_code == 403
    login(make_user("issuer"))
    assert "Warsztat: praca z rodziną" in client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    client.post(f"/events/{event.id}/edit", data=form_data(trainer, title=event.title))
    kinds = list(db.session.scalars(select(Notification.kind).where(Notification.recipient_id == learner.id)))
    assert kinds == ["events.registered", "events.changed"]


def test_reminder_the_day_before_is_sent_once(app, client, make_user, login):
    event = make_event(days_ahead=1, registration_closes_at=utcnow() + timedelta(hours=6), cancellation_deadline=utcnow())
    learner = login(make_user("learner"))
    client.post(f"/events/{event.id}/register", data={})
    soon = event.starts_at - timedelta(hours=20)
    send_due(db.session, now=soon)
    send_due(db.session, now=soon + timedelta(hours=1))
    reminders = list(
        db.session.scalars(select(Notification).where(Notification.recipient_id == learner.id, Notification.kind == "events.reminder"))
    )
    assert len(reminders) == 1
    assert send_due(db.session, now=event.starts_at - timedelta(hours=30)) is not None  # too early: nothing new
    assert len(list(db.session.scalars(select(Notification).where(Notification.kind == "events.reminder")))) == 1


def test_more_places_promote_the_waiting_list(client, make_user, login):
    trainer = make_user("trainer")
    event = make_event(capacity=1, trainer_ids=[trainer.id])
    first, second = make_user("learner"), make_user("learner")
    for person in (first, second):
        login(person)
        client.post(f"/events/{event.id}/register", data={})
    login(make_user("issuer"))
    data = form_data(trainer, title=event.title, capacity="2")
    client.post(f"/events/{event.id}/edit", data=data)
    kinds = list(db.session.scalars(select(Notification.kind).where(Notification.recipient_id == second.id).order_by(Notification.id)))
    assert kinds[0] == "events.waitlisted" and "events.promoted" in kinds
    statuses = db.session.scalars(select(Registration.status).where(Registration.event_id == event.id)).all()
    assert sorted(statuses) == ["registered", "registered"]
