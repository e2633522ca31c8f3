"""Moderation: a reported post hidden with a reason, locked threads, edit history for moderators, the audit log,
and who moderates where (a trainer their courses, ROPS staff the forums)."""

from __future__ import annotations

from sqlalchemy import select

from elearn.core.models import AuditEntry
from elearn.courses.models import Enrolment
from elearn.discussion.models import OPEN, RESOLVED, Post, Report, Thread
from elearn.extensions import db

from .helpers import notifications_of, text_of

REASON = "podaje adres i sytuację rodziny bez jej zgody"


def _thread_with_reply(client, login, side, peer):
    login(side.learner)
    client.post(
        f"/discussion/courses/{side.course.slug}/new", data={"title": "Trudna rodzina", "body": "Jak pracować z rodziną w kryzysie?"}
    )
    thread = db.session.scalar(select(Thread).where(Thread.title == "Trudna rodzina"))
    login(peer)
    client.post(f"/discussion/threads/{thread.id}", data={"body": "Rodzina Nowaków z ul. Polnej 5 ma ten sam problem."})
    return thread, db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.author_id == peer.id))


def _actions(prefix: str = "discussion.") -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.startswith(prefix)).order_by(AuditEntry.id)))


def test_a_moderator_hides_a_reported_post_with_a_reason(client, login, make_user, side):
    peer = make_user("learner", full_name="Piotr Gadatliwy")
    db.session.add(Enrolment(user_id=peer.id, course_id=side.course.id))
    db.session.commit()
    thread, post = _thread_with_reply(client, login, side, peer)

    login(side.learner)
    assert client.post(f"/discussion/posts/{post.id}/report", data={"reason": REASON}).status_code == 302
    again = client.post(f"/discussion/posts/{post.id}/report", data={"reason": REASON})
    assert "już przez Ciebie zgłoszony" in text_of(again)
    assert [n.params["title"] for n in notifications_of(side.trainer.id, "discussion.reported")] == ["Trudna rodzina"]

    login(side.trainer)
    queue = text_of(client.get("/discussion/reports"))
    assert "Trudna rodzina" in queue and REASON in queue and "Piotr Gadatliwy" in queue
    assert "1 zgłoszony wpis czeka na Twoją decyzję" in text_of(client.get("/dashboard"))
    hidden = client.post(f"/discussion/posts/{post.id}/hide", data={"reason": "Dane osobowe rodziny"})
    assert hidden.status_code == 302
    assert db.session.scalar(select(Report.status).where(Report.post_id == post.id)) == RESOLVED
    assert "Żadne zgłoszenie nie czeka" in text_of(client.get("/discussion/reports"))

    login(side.learner)
    page = text_of(client.get(f"/discussion/threads/{thread.id}"))
    assert "ukryty przez moderatora: Dane osobowe rodziny" in page
    assert "ul. Polnej" not in page
    login(peer)
    own = text_of(client.get(f"/discussion/threads/{thread.id}"))
    assert "ul. Polnej" in own and "ukryty przez moderatora: Dane osobowe rodziny" in own
    assert [n.params["reason"] for n in notifications_of(peer.id, "discussion.hidden")] == ["Dane osobowe rodziny"]
    assert _actions() == ["discussion.report", "discussion.hide"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "discussion.hide"))
    assert (entry.actor_id, entry.target_id, entry.details["reason"]) == (side.trainer.id, str(post.id), "Dane osobowe rodziny")


def test_a_dismissed_report_leaves_the_post_and_is_audited(client, login, make_user, side):
    peer = make_user("learner")
    db.session.add(Enrolment(user_id=peer.id, course_id=side.course.id))
    db.session.commit()
    thread, post = _thread_with_reply(client, login, side, peer)
    login(side.learner)
    client.post(f"/discussion/posts/{post.id}/report", data={"reason": "nie podoba mi się"})
    report = db.session.scalar(select(Report).where(Report.post_id == post.id))
    assert report.status == OPEN
    login(side.trainer)
    assert client.post(f"/discussion/reports/{report.id}/dismiss").status_code == 302
    assert "ul. Polnej" in text_of(client.get(f"/discussion/threads/{thread.id}"))
    assert _actions() == ["discussion.report", "discussion.dismiss_report"]


def test_a_locked_thread_takes_no_replies_but_the_moderator_may_still_write(client, login, side):
    login(side.learner)
    client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": "Zamknięty temat", "body": "Pytanie"})
    thread = db.session.scalar(select(Thread).where(Thread.title == "Zamknięty temat"))
    login(side.trainer)
    assert client.post(f"/discussion/threads/{thread.id}/lock", data={"reason": "Temat wyczerpany"}).status_code == 302
    login(side.learner)
    page = client.get(f"/discussion/threads/{thread.id}")
    assert "Powód: Temat wyczerpany" in text_of(page) and "Twoja odpowiedź" not in text_of(page)
    refused = client.post(f"/discussion/threads/{thread.id}", data={"body": "A jednak jeszcze jedno"})
    assert "Wątek jest zamknięty" in text_of(refused)
    login(side.trainer)
    client.post(f"/discussion/threads/{thread.id}", data={"body": "Podsumowanie od trenera."})
    client.post(f"/discussion/threads/{thread.id}/unlock")
    assert [p.body for p in db.session.get(Thread, thread.id).posts] == ["Pytanie", "Podsumowanie od trenera."]
    assert _actions() == ["discussion.lock", "discussion.unlock"]


def test_edit_history_is_kept_and_shown_to_moderators_only(client, login, side):
    login(side.learner)
    client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": "Poprawiany", "body": "Pierwsza wersja z błędem"})
    post = db.session.scalar(select(Thread).where(Thread.title == "Poprawiany")).posts[0]
    client.post(f"/discussion/posts/{post.id}/edit", data={"body": "Druga wersja"})
    assert "Druga wersja" in text_of(client.get(f"/discussion/threads/{post.thread_id}"))
    assert client.get(f"/discussion/posts/{post.id}/history").status_code == 403  # learners are not moderators
    login(side.trainer)
    history = text_of(client.get(f"/discussion/posts/{post.id}/history"))
    assert "Obecna treść Druga wersja" in history and "Pierwsza wersja z błędem" in history
    assert client.get(f"/discussion/posts/{post.id}/edit").status_code == 403  # only the author edits


def test_trainers_moderate_only_their_courses_and_rops_staff_the_forums(app, client, login, make_user, side, forum):
    from elearn.discussion.services import posting

    other_trainer = make_user("trainer")
    login(side.learner)
    client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": "Kursowy", "body": "Treść"})
    course_post = db.session.scalar(select(Thread).where(Thread.title == "Kursowy")).posts[0]
    forum_thread = posting.start_thread(
        db.session, side.learner, posting.Place(forum=forum), title="Forumowy", body="Na forum", files=[], instance_path=app.instance_path
    )
    db.session.commit()
    forum_post = forum_thread.posts[0]

    login(other_trainer)
    assert client.get(f"/discussion/posts/{course_post.id}/hide").status_code == 404  # cannot even read that course
    assert client.get(f"/discussion/posts/{forum_post.id}/hide").status_code == 403
    login(side.trainer)
    assert client.get(f"/discussion/posts/{forum_post.id}/hide").status_code == 403
    assert client.get(f"/discussion/posts/{course_post.id}/hide").status_code == 200
    login(make_user("issuer"))
    assert client.post(f"/discussion/posts/{forum_post.id}/hide", data={"reason": "Reklama"}).status_code == 302
    assert client.get(f"/discussion/posts/{course_post.id}/hide").status_code == 404
    login(make_user("admin"))
    assert client.get(f"/discussion/posts/{course_post.id}/hide").status_code == 200


def test_rops_staff_create_forums_and_learners_cannot(client, login, make_user):
    login(make_user("learner"))
    assert client.get("/discussion/forums/new").status_code == 403
    login(make_user("issuer"))
    created = client.post("/discussion/forums/new", data={"title": "Ekonomia społeczna w powiecie", "description": "Spółdzielnie socjalne"})
    assert created.status_code == 302 and created.headers["Location"].endswith("/discussion/forums/ekonomia-spoleczna-w-powiecie")
    assert "Ekonomia społeczna w powiecie" in text_of(client.get("/discussion"))
    assert _actions() == ["discussion.forum_create"]
