"""A learner asks a question under a lesson, the course's trainer answers and marks the answer, and the learner is
notified of both; the lesson page leads to the lesson's discussion."""

from __future__ import annotations

from sqlalchemy import select

from elearn.discussion.models import Post, Thread
from elearn.extensions import db

from .helpers import notifications_of, text_of


def test_learner_asks_under_a_lesson_and_is_notified_of_the_trainers_answer(client, login, side):
    login(side.learner)
    lesson_page = client.get(f"/courses/{side.course.slug}/lessons/{side.lesson_key}")
    assert "Pytania do tej lekcji" in text_of(lesson_page)
    assert f'href="/discussion/courses/{side.course.slug}/lessons/{side.lesson_key}"' in lesson_page.get_data(as_text=True)

    asked = client.post(
        f"/discussion/courses/{side.course.slug}/new",
        data={"lesson": side.lesson_key, "title": "Czy zebranie wiejskie to już konsultacje?", "body": "Pytam, bo **nie wiem**."},
    )
    thread = db.session.scalar(select(Thread).where(Thread.title == "Czy zebranie wiejskie to już konsultacje?"))
    assert asked.status_code == 302 and asked.headers["Location"].endswith(f"/discussion/threads/{thread.id}")
    assert (thread.course_id, thread.lesson_key) == (side.course.id, side.lesson_key)
    lesson_discussion = text_of(client.get(f"/discussion/courses/{side.course.slug}/lessons/{side.lesson_key}"))
    assert "Czy zebranie wiejskie to już konsultacje?" in lesson_discussion

    login(side.trainer)
    replied = client.post(f"/discussion/threads/{thread.id}", data={"body": "Tak, jeśli wrócicie do mieszkańców z wynikami."})
    assert replied.status_code == 302
    answer = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.author_id == side.trainer.id))
    told = notifications_of(side.learner.id, "discussion.reply")
    assert len(told) == 1 and told[0].params["author"] == "Tomasz Trener"
    assert told[0].url.endswith(f"#post-{answer.id}")

    assert client.post(f"/discussion/posts/{answer.id}/answer", data={"answer": "1"}).status_code == 302
    assert [n.params["title"] for n in notifications_of(side.learner.id, "discussion.answered")] == [thread.title]

    login(side.learner)
    page = text_of(client.get(f"/discussion/threads/{thread.id}"))
    assert "z odpowiedzią" in page and "Odpowiedź" in page and "trener" in page
    bell = text_of(client.get("/notifications"))
    assert "Twoje pytanie ma odpowiedź" in bell and "Nowa odpowiedź" in bell


def test_quoting_shows_the_quoted_post_and_a_peer_is_notified_only_when_subscribed(client, login, make_user, side):
    from elearn.courses.models import Enrolment

    peer = make_user("learner", full_name="Ewa Uczestniczka")
    db.session.add(Enrolment(user_id=peer.id, course_id=side.course.id))
    db.session.commit()
    login(side.learner)
    client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": "Mapa zasobów", "body": "Od czego zacząć mapę zasobów?"})
    thread = db.session.scalar(select(Thread).where(Thread.title == "Mapa zasobów"))
    first = thread.posts[0]
    login(peer)
    form = client.get(f"/discussion/threads/{thread.id}?quote={first.id}")
    assert "Cytujesz: Anna Pytająca" in text_of(form)
    client.post(f"/discussion/threads/{thread.id}", data={"body": "Od spaceru po osiedlu.", "quote": str(first.id)})
    reply = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.author_id == peer.id))
    assert reply.quoted_post_id == first.id
    assert "Anna Pytająca napisał(a): Od czego zacząć mapę zasobów?" in text_of(client.get(f"/discussion/threads/{thread.id}"))
    assert len(notifications_of(side.learner.id, "discussion.reply")) == 1  # the author follows their thread

    client.post(f"/discussion/threads/{thread.id}/subscription", data={"subscribe": "0"})
    login(side.learner)
    client.post(f"/discussion/threads/{thread.id}", data={"body": "Dzięki!"})
    assert notifications_of(peer.id, "discussion.reply") == []  # unsubscribed


def test_attachments_go_through_the_upload_check_and_only_readers_download_them(client, login, make_user, side):
    from io import BytesIO

    login(side.learner)
    refused = client.post(
        f"/discussion/courses/{side.course.slug}/new",
        data={"title": "Plik", "body": "W załączniku", "files": [(BytesIO(b"MZ\x90\x00"), "program.pdf")]},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 200 and "nie odpowiada" in text_of(refused)
    client.post(
        f"/discussion/courses/{side.course.slug}/new",
        data={"title": "Ankieta", "body": "Wzór ankiety", "files": [(BytesIO(b"%PDF-1.4 ankieta"), "ankieta.pdf")]},
        content_type="multipart/form-data",
    )
    thread = db.session.scalar(select(Thread).where(Thread.title == "Ankieta"))
    attachment = thread.posts[0].attachments[0]
    download = client.get(f"/discussion/attachments/{attachment.id}")
    assert download.data == b"%PDF-1.4 ankieta" and "ankieta.pdf" in download.headers["Content-Disposition"]
    login(make_user("learner"))
    assert client.get(f"/discussion/attachments/{attachment.id}").status_code == 404
