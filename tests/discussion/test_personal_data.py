"""RODO: a person's posts, reports and messages are in their export; after erasure their posts stay as placeholders
signed "Użytkownik usunięty" so others' replies keep their context, a thread nobody else wrote in disappears, and the
other side of a conversation keeps their own messages."""

from __future__ import annotations

import json

from sqlalchemy import select

from elearn.discussion.models import Message, Thread
from elearn.extensions import db
from tests.conftest import PASSWORD

from .helpers import text_of


def test_export_and_erasure_of_posts_and_messages(client, login, make_user, side):
    colleague = make_user("learner", full_name="Ewa Zostaje")
    login(side.learner)
    client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": "Pytanie Anny o mapę", "body": "Anna pyta o mapę zasobów."})
    client.post(f"/discussion/courses/{side.course.slug}/new", data={"title": "Samotny wątek Anny", "body": "Nikt nie odpisał."})
    asked = db.session.scalar(select(Thread).where(Thread.title == "Pytanie Anny o mapę"))
    client.post(f"/messages/to/{colleague.id}", data={"body": "Anna pisze do Ewy."})
    login(side.trainer)
    client.post(f"/discussion/threads/{asked.id}", data={"body": "Trener odpowiada Annie.", "quote": str(asked.posts[0].id)})
    login(colleague)
    conversation_id = db.session.scalar(select(Message.conversation_id).where(Message.body == "Anna pisze do Ewy."))
    client.post(f"/messages/{conversation_id}", data={"body": "Ewa odpisuje."})

    login(side.learner)
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert [t["title"] for t in data["discussion_threads"]] == ["Pytanie Anny o mapę", "Samotny wątek Anny"]
    assert [p["text"] for p in data["discussion_posts"]] == ["Anna pyta o mapę zasobów.", "Nikt nie odpisał."]
    assert data["direct_messages_sent"] == [
        {"to": "Ewa Zostaje", "text": "Anna pisze do Ewy.", "sent_at": data["direct_messages_sent"][0]["sent_at"]}
    ]
    assert client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"}).status_code == 302

    login(side.trainer)
    page = text_of(client.get(f"/discussion/threads/{asked.id}"))
    assert "Wątek usuniętego użytkownika" in page and "Użytkownik usunięty" in page
    assert "Anna pyta" not in page and "Anna Pytająca" not in page
    assert "Trener odpowiada Annie." in page and "Treść usunięto razem z kontem autora" in page
    assert db.session.scalar(select(Thread).where(Thread.title == "Samotny wątek Anny")) is None
    login(colleague)
    conversation = text_of(client.get(f"/messages/{conversation_id}"))
    assert "Ewa odpisuje." in conversation and "Anna pisze" not in conversation and "Rozmowa: Użytkownik usunięty" in conversation
    assert "Anna pyta" not in text_of(client.get("/search?q=mapa+zasobów"))
