"""Object-level permissions across courses and institutions: course discussions are for the course's learners and
trainers only (pages, threads, attachments, search), and direct messages only between people who share a course or
an institution, never to strangers or to someone who blocked you."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.courses.models import Enrolment
from elearn.directory.models import Institution
from elearn.discussion.models import Message, Thread
from elearn.extensions import db

from .helpers import notifications_of, text_of


@pytest.fixture
def elsewhere(institution):
    """Another institution than the default one of make_user."""
    return db.session.scalar(select(Institution).where(Institution.id != institution.id).order_by(Institution.id))


def _ask(client, login, side, title="Pytanie z kursu"):
    login(side.learner)
    client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": title, "body": "Treść pytania o organizowanie"})
    return db.session.scalar(select(Thread).where(Thread.title == title))


def test_an_outsider_cannot_read_or_write_a_course_discussion(client, login, make_user, side, elsewhere):
    thread = _ask(client, login, side)
    post = thread.posts[0]
    login(make_user("learner", institution_id=elsewhere.id))
    for url in (
        f"/discussion/courses/{side.course.slug}",
        f"/discussion/courses/{side.course.slug}/lessons/{side.lesson_key}",
        f"/discussion/courses/{side.course.slug}/new",
        f"/discussion/threads/{thread.id}",
        f"/discussion/posts/{post.id}/report",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/discussion/threads/{thread.id}", data={"body": "wtrącam się"}).status_code == 404
    assert client.post(f"/discussion/threads/{thread.id}/subscription", data={"subscribe": "1"}).status_code == 404
    assert len(db.session.get(Thread, thread.id).posts) == 1
    lesson_page = client.get(f"/courses/{side.course.slug}/lessons/{side.lesson_key}")
    assert "Pytania do tej lekcji" not in text_of(lesson_page)  # not enrolled: redirected to the course page


def test_search_shows_course_threads_only_to_those_who_may_read_them(app, client, login, make_user, side, forum):
    from elearn.discussion.services import posting

    _ask(client, login, side, title="Sołectwo Grabowiec i fundusz sołecki")
    posting.start_thread(
        db.session, side.learner, posting.Place(forum=forum), title="Fundusz sołecki w strategii", body="Jak go opisać?",
        files=[], instance_path=app.instance_path,
    )  # fmt: skip
    db.session.commit()
    assert "Sołectwo Grabowiec" in text_of(client.get("/search?q=fundusz+sołecki"))
    login(make_user("learner"))
    results = text_of(client.get("/search?q=fundusz+sołecki"))
    assert "Fundusz sołecki w strategii" in results
    assert "Sołectwo Grabowiec" not in results


def test_hidden_text_leaves_the_search_index(client, login, make_user, side):
    thread = _ask(client, login, side, title="Zwykły tytuł")
    login(side.learner)
    client.post(f"/discussion/threads/{thread.id}", data={"body": "Numer telefonu 600100200 pani Krystyny"})
    assert "Zwykły tytuł" in text_of(client.get("/search?q=Krystyny"))
    post = db.session.get(Thread, thread.id).posts[-1]
    login(side.trainer)
    client.post(f"/discussion/posts/{post.id}/hide", data={"reason": "Dane osobowe"})
    assert "Zwykły tytuł" not in text_of(client.get("/search?q=Krystyny"))


def test_messages_only_between_people_who_share_a_course_or_an_institution(client, login, make_user, side, elsewhere):
    stranger = make_user("learner", institution_id=elsewhere.id, full_name="Obca Osoba")
    colleague = make_user("learner", full_name="Koleżanka Zespół")  # the learner's institution
    classmate = make_user("learner", institution_id=elsewhere.id, full_name="Kursantka Daleka")
    db.session.add(Enrolment(user_id=classmate.id, course_id=side.course.id))
    db.session.commit()

    login(side.learner)
    people = text_of(client.get("/messages/people"))
    assert "Koleżanka Zespół" in people and "Kursantka Daleka" in people and "Tomasz Trener" in people
    assert "Obca Osoba" not in people
    assert client.get(f"/messages/to/{stranger.id}").status_code == 404
    assert client.post(f"/messages/to/{stranger.id}", data={"body": "Dzień dobry"}).status_code == 404
    for person in (colleague, classmate, side.trainer):
        assert client.post(f"/messages/to/{person.id}", data={"body": f"Dzień dobry, {person.full_name}"}).status_code == 302
    assert db.session.scalar(select(Message).where(Message.body == "Dzień dobry")) is None
    assert [n.params["sender"] for n in notifications_of(classmate.id, "discussion.message")] == ["Anna Pytająca"]

    login(stranger)
    assert "Anna Pytająca" not in text_of(client.get("/messages/people"))
    assert client.get(f"/messages/to/{side.learner.id}").status_code == 404


def test_a_blocked_person_cannot_write_and_unread_counts_follow_reading(client, login, make_user, side):
    colleague = make_user("learner", full_name="Natrętny Kolega")
    login(colleague)
    client.post(f"/messages/to/{side.learner.id}", data={"body": "Pierwsza wiadomość"})
    conversation_id = db.session.scalar(select(Message.conversation_id).where(Message.body == "Pierwsza wiadomość"))
    client.post(f"/messages/{conversation_id}", data={"body": "Druga wiadomość"})

    login(side.learner)
    listing = text_of(client.get("/messages"))
    assert "Masz 2 nieprzeczytane wiadomości" in listing and "Natrętny Kolega" in listing
    assert "Wiadomości (2 nieprzeczytane)" in text_of(client.get("/discussion"))
    client.post(f"/messages/{conversation_id}/read")
    assert "Brak nieprzeczytanych wiadomości" in text_of(client.get("/messages"))
    assert client.post(f"/messages/people/{colleague.id}/block").status_code == 302

    login(colleague)
    refused = client.post(f"/messages/{conversation_id}", data={"body": "Trzecia wiadomość"})
    assert "Ta osoba nie przyjmuje od Ciebie wiadomości" in text_of(refused)
    assert db.session.scalar(select(Message).where(Message.body == "Trzecia wiadomość")) is None
    login(side.learner)
    assert "Nie możesz teraz pisać" in text_of(client.get(f"/messages/{conversation_id}"))
    client.post(f"/messages/people/{colleague.id}/unblock")
    login(colleague)
    client.post(f"/messages/{conversation_id}", data={"body": "Przepraszam"})
    assert db.session.scalar(select(Message).where(Message.body == "Przepraszam")) is not None


def test_a_conversation_is_readable_only_by_its_two_people(client, login, make_user, side):
    colleague = make_user("learner")
    login(colleague)
    client.post(f"/messages/to/{side.learner.id}", data={"body": "Tylko dla Anny"})
    conversation_id = db.session.scalar(select(Message.conversation_id).where(Message.body == "Tylko dla Anny"))
    for intruder in (make_user("learner"), make_user("admin")):
        login(intruder)
        assert client.get(f"/messages/{conversation_id}").status_code == 404
        assert client.post(f"/messages/{conversation_id}/read").status_code == 404
