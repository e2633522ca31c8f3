"""XSS vectors through posts, quotes, messages and attachment names are neutralised; posting is rate limited."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import select

from elearn.discussion.models import Message, Thread
from elearn.extensions import db

from .helpers import text_of

VECTORS = (
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "[kliknij](javascript:alert(1))",
    '<a href="javascript:alert(1)">link</a>',
    "<iframe src=https://zly.example></iframe>",
    '<svg onload=alert(1)><p style="x" onclick="alert(1)">tekst</p>',
    "![obraz](javascript:alert(1))",
    '<div id="csrf_token" class="flash flash-success">Podrobiony komunikat</div>',
)
FORBIDDEN = ("<script", "onerror", "javascript:", "<iframe", "onload", "onclick", "<svg", 'id="csrf_token"', 'flash-success">Podrobiony')


def _clean(html: str) -> bool:
    main = html[html.find("<main") : html.find("</main>")]  # the layout's own script tag is outside <main>
    return not any(bad in main for bad in FORBIDDEN)


def test_posts_quotes_and_previews_neutralise_script(client, login, make_user, side):
    body = "\n\n".join(VECTORS)
    login(side.learner)
    client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": "Bezpieczny tytuł", "body": body})
    thread = db.session.scalar(select(Thread).where(Thread.title == "Bezpieczny tytuł"))
    first = thread.posts[0]
    assert first.body == body  # kept as written (the author edits it and exports it), rendered safely
    login(side.trainer)
    client.post(f"/discussion/threads/{thread.id}", data={"body": body, "quote": str(first.id)})
    for url in (
        f"/discussion/threads/{thread.id}",
        f"/discussion/threads/{thread.id}?quote={first.id}",
        f"/discussion/posts/{first.id}/hide",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "Podrobiony komunikat" in html and "tekst" in html
        assert _clean(html), url
    history = client.get(f"/discussion/posts/{first.id}/history").get_data(as_text=True)
    main = history[history.find("<main") : history.find("</main>")]
    assert "&lt;script&gt;" in main  # the raw text is shown escaped to moderators
    assert not any(tag in main for tag in ("<script", "<img", "<iframe", "<svg", '<a href="javascript'))


def test_titles_refuse_markup_and_attachment_names_are_escaped(client, login, side):
    login(side.learner)
    refused = client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": "<b>krzyk</b>", "body": "x"})
    assert "Znaki < i > są tu niedozwolone" in refused.get_data(as_text=True)  # a translated message, not user text
    client.post(
        f"/discussion/courses/{side.course.slug}/new",
        data={"title": "Załącznik", "body": "plik", "files": [(BytesIO(b"%PDF-1.4 x"), "<img src=x onerror=alert(1)>.pdf")]},
        content_type="multipart/form-data",
    )
    thread = db.session.scalar(select(Thread).where(Thread.title == "Załącznik"))
    html = client.get(f"/discussion/threads/{thread.id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in html and "<img src=x" not in html


def test_messages_neutralise_script(client, login, make_user, side):
    colleague = make_user("learner")
    login(side.learner)
    client.post(f"/messages/to/{colleague.id}", data={"body": "\n\n".join(VECTORS)})
    conversation_id = db.session.scalar(select(Message.conversation_id).where(Message.sender_id == side.learner.id))
    login(colleague)
    html = client.get(f"/messages/{conversation_id}").get_data(as_text=True)
    assert "Podrobiony komunikat" in html and _clean(html)


@pytest.fixture
def rate_limited(app):
    """The discussion's posting limit switched on (the testing configuration turns rate limits off)."""
    saved = app.config["RATELIMIT_ENABLED"], app.config["RATELIMIT_STORAGE_URI"], app.config["RATELIMIT_DISCUSSION_POST"]
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", RATELIMIT_DISCUSSION_POST="3 per minute")
    app.extensions["elearn_throttle"] = None
    yield
    app.config["RATELIMIT_ENABLED"], app.config["RATELIMIT_STORAGE_URI"], app.config["RATELIMIT_DISCUSSION_POST"] = saved
    app.extensions["elearn_throttle"] = None


def test_posting_is_rate_limited_per_person(client, login, make_user, side, rate_limited):
    login(side.learner)
    client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": "Szybki wątek", "body": "1"})
    thread = db.session.scalar(select(Thread).where(Thread.title == "Szybki wątek"))
    for n in (2, 3):
        client.post(f"/discussion/threads/{thread.id}", data={"body": str(n)})
    refused = client.post(f"/discussion/threads/{thread.id}", data={"body": "4"})
    assert "Piszesz bardzo szybko" in text_of(refused)
    assert [p.body for p in db.session.get(Thread, thread.id).posts] == ["1", "2", "3"]
    login(side.trainer)  # another person is not slowed down
    assert client.post(f"/discussion/threads/{thread.id}", data={"body": "Trener odpowiada"}).status_code == 302


def test_a_forged_quote_or_too_many_files_is_refused_cleanly(client, login, make_user, side):
    other = make_user("learner")
    login(other)
    client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": "Cudzy kurs", "body": "x"})
    assert db.session.scalar(select(Thread).where(Thread.title == "Cudzy kurs")) is None  # not enrolled: nothing written
    login(side.learner)
    client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": "Pliki", "body": "Cztery pliki"})
    thread = db.session.scalar(select(Thread).where(Thread.title == "Pliki"))
    assert client.get(f"/discussion/threads/{thread.id}?quote=abc").status_code == 200
    assert client.post(f"/discussion/threads/{thread.id}", data={"body": "Cytat", "quote": "12abc"}).status_code == 302
    assert db.session.get(Thread, thread.id).posts[-1].quoted_post_id is None
    files = [(BytesIO(b"%PDF-1.4 " + bytes([n])), f"plik{n}.pdf") for n in range(4)]
    refused = client.post(f"/discussion/threads/{thread.id}", data={"body": "Za dużo", "files": files}, content_type="multipart/form-data")
    assert 'id="files-error"' in refused.get_data(as_text=True) and "najwyżej 3 pliki" in text_of(refused)
