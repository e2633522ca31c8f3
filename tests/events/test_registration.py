"""Registration through the pages: places, waiting list, promotion, deadlines, nominations, staff changes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.core.notifications import Notification
from elearn.core.timeutil import utcnow
from elearn.directory.models import Institution
from elearn.events.models import REGISTERED, WAITLISTED, WITHDRAWN, Registration
from elearn.extensions import db

from .helpers import make_event


def status(event, user):
    row = db.session.scalar(select(Registration).where(Registration.event_id == event.id, Registration.user_id == user.id))
    return row.status if row else None


def kinds_for(user):
    return [n.kind for n in db.session.scalars(select(Notification).where(Notification.recipient_id == user.id).order_by(Notification.id))]


def register(client, login, user, event):
    login(user)
    return client.post(f"/events/{event.id}/register", data={}, follow_redirects=True)


def test_waiting_list_promotes_on_cancellation(client, make_user, login):
    event = make_event(capacity=2)
    a, b, c = make_user("learner"), make_user("learner"), make_user("learner")
    for user in (a, b, c):
        response = register(client, login, user, event)
        assert response.status_code == 200
    assert "lista rezerwowa" in response.get_data(as_text=True) or "liście rezerwowej" in response.get_data(as_text=True)
    assert [status(event, u) for u in (a, b, c)] == [REGISTERED, REGISTERED, WAITLISTED]
    assert kinds_for(c) == ["events.waitlisted"]

    login(a)
    page = client.post(f"/events/{event.id}/withdraw", data={}, follow_redirects=True).get_data(as_text=True)
    assert "anulowane" in page
    assert status(event, a) == WITHDRAWN
    assert status(event, c) == REGISTERED
    assert kinds_for(c) == ["events.waitlisted", "events.promoted"]
    assert kinds_for(a) == ["events.registered"]


def test_cannot_register_twice_or_outside_the_window(client, make_user, login):
    event = make_event()
    user = make_user("learner")
    register(client, login, user, event)
    page = register(client, login, user, event).get_data(as_text=True)
    assert "już zapisan" in page
    closed = make_event(registration_closes_at=utcnow() - timedelta(hours=1))
    page = register(client, login, make_user("learner"), closed).get_data(as_text=True)
    assert "nie jest otwarty" in page or "nie są otwarte" in page
    assert db.session.scalar(select(Registration).where(Registration.event_id == closed.id)) is None


def test_after_the_deadline_only_staff_cancel(client, make_user, login):
    event = make_event(cancellation_deadline=utcnow() - timedelta(hours=1))
    user = make_user("learner")
    register(client, login, user, event)
    page = client.post(f"/events/{event.id}/withdraw", data={}, follow_redirects=True).get_data(as_text=True)
    assert "Termin rezygnacji minął" in page
    assert status(event, user) == REGISTERED
    staff = make_user("issuer")
    login(staff)
    registration = db.session.scalar(select(Registration).where(Registration.user_id == user.id))
    client.post(f"/events/{event.id}/participants/{registration.id}/remove", data={})
    assert status(event, user) == WITHDRAWN


def test_coordinator_nominates_own_workers_within_the_limit(client, make_user, login, institution):
    event = make_event(per_institution_limit=2)
    coordinator = make_user("coordinator")
    workers = [make_user("learner") for _ in range(3)]
    other = db.session.scalar(select(Institution).where(Institution.id != institution.id))
    stranger = make_user("learner", institution_id=other.id)
    login(coordinator)
    page = client.get(f"/events/{event.id}/nominate").get_data(as_text=True)
    assert workers[0].full_name in page and stranger.full_name not in page
    for worker in workers[:2]:
        client.post(f"/events/{event.id}/nominate", data={"user_id": worker.id})
    page = client.post(f"/events/{event.id}/nominate", data={"user_id": workers[2].id}).get_data(as_text=True)
    assert "wykorzystała wszystkie" in page
    assert client.post(f"/events/{event.id}/nominate", data={"user_id": stranger.id}).status_code == 200
    assert status(event, stranger) is None
    assert [status(event, w) for w in workers] == [REGISTERED, REGISTERED, None]
    registration = db.session.scalar(select(Registration).where(Registration.user_id == workers[0].id))
    assert registration.nominated_by_id == coordinator.id


def test_staff_add_and_see_list_with_contacts_and_export(client, make_user, login):
    event = make_event(capacity=1)
    first, second = make_user("learner"), make_user("learner", full_name="=HYPERLINK(1)")
    login(make_user("issuer"))
    for person in (first, second):
        client.post(f"/events/{event.id}/participants/add", data={"email": person.email})
    assert (status(event, first), status(event, second)) == (REGISTERED, WAITLISTED)
    page = client.get(f"/events/{event.id}/participants").get_data(as_text=True)
    assert first.email in page and first.institution.name in page
    csv = client.get(f"/events/{event.id}/participants.csv").get_data().decode("utf-8-sig")
    assert first.email in csv and "'=HYPERLINK(1)" in csv


def test_trainer_of_another_event_cannot_see_participants(client, make_user, login):
    trainer, other = make_user("trainer"), make_user("trainer")
    event = make_event(trainer_ids=[trainer.id])
    login(other)
    assert client.get(f"/events/{event.id}/participants").status_code == 403
    assert client.get(f"/events/{event.id}/attendance-list.pdf").status_code == 403
    login(trainer)
    assert client.get(f"/events/{event.id}/participants").status_code == 200


def test_cancelled_event_notifies_participants(client, make_user, login):
    event = make_event()
    user = make_user("learner")
    register(client, login, user, event)
    login(make_user("issuer"))
    client.post(
        f"/events/{event.id}/cancel",
        data={
            "confirmed": "1",
        },
    )
    assert kinds_for(user)[-1] == "events.cancelled"
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "odwołane" in page
