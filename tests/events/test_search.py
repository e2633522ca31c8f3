"""Training events in the platform search: a scheduled event is found by any form of its words, grouped under
"Szkolenia" with a link to its page; changing it reindexes it; a cancelled event is never a result."""

from __future__ import annotations

from elearn.core import search
from elearn.events.services import events as scheduling
from elearn.events.services.search_documents import EVENT, event_document
from elearn.extensions import db
from tests.events.helpers import make_event


def _page(client, **params) -> str:
    response = client.get("/search", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _event_keys(query: str, **kw) -> set[str]:
    return {key for _kind, key, _course in search.search_ids(db.session, query, kinds_=(EVENT,), **kw)}


def test_a_scheduled_event_is_found_by_another_form_of_its_words(client, login_as):
    event = make_event(title="Warsztat mediacji sąsiedzkich", description="Ćwiczymy **rozmowy** stron sporu o podwórko.")
    login_as("learner")
    page = _page(client, q="mediacja sąsiedzka")
    assert 'id="group-event"' in page
    assert f'<a href="/events/{event.id}">Warsztat <mark>mediacji</mark> <mark>sąsiedzkich</mark></a>' in page
    assert "Warsztat · " in page  # the event's type and date as context
    assert str(event.id) in _event_keys("podworka")  # the description, typed without Polish letters


def test_changes_reindex_and_cancelling_removes_the_event(make_user):
    organiser = make_user("issuer")
    event = make_event(title="Superwizja grupowa animatorów")
    assert str(event.id) in _event_keys("superwizji")
    data = {**{key: getattr(event, key) for key in scheduling.EDITABLE}, "title": "Spotkanie partnerstwa lokalnego"}
    scheduling.update_event(db.session, event, data, scheduling.session_times(event), [t.id for t in event.trainers], actor_id=organiser.id)
    db.session.commit()
    assert str(event.id) not in _event_keys("superwizji")
    assert str(event.id) in _event_keys("partnerstwo")
    scheduling.cancel_event(db.session, event, actor_id=organiser.id)
    db.session.commit()
    assert str(event.id) not in _event_keys("partnerstwo")


def test_a_cancelled_event_left_in_the_index_is_never_shown(client, login_as, make_user):
    organiser = make_user("issuer")
    event = make_event(title="Konsultacje funduszu sołeckiego")
    scheduling.cancel_event(db.session, event, actor_id=organiser.id)
    search.index_document(db.session, event_document(event))  # as if a failed update had left it behind
    db.session.commit()
    login_as("learner")
    assert f'href="/events/{event.id}"' not in _page(client, q="fundusz sołecki")


def test_the_role_filter_finds_an_event_for_that_role(client, login_as):
    event = make_event(title="Warsztat dla mediatorów: dialog obywatelski", target_roles=["mediator"])
    login_as("learner")
    assert f'href="/events/{event.id}"' in _page(client, q="dialog obywatelski", role="mediator")
    assert f'href="/events/{event.id}"' not in _page(client, q="dialog obywatelski", role="animator")


def test_reindex_rebuilds_the_events(app):
    event = make_event(title="Wizyta studyjna w centrum aktywności lokalnej")
    search.remove_documents(db.session, EVENT)
    db.session.commit()
    assert _event_keys("wizyta studyjna") == set()
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--kind", EVENT])
    assert result.exit_code == 0, result.output
    assert str(event.id) in _event_keys("wizyta studyjna")
