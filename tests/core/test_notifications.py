"""The notification service: rows, e-mail after commit and by preference, language, digests, the scheduler,
the bell, the list and mark-as-read, preferences, and RODO."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from elearn.certificates import notifications as certificate_kinds
from elearn.core.notifications import DIGEST, Notification, NotificationKind, Reminder, notify, registry, send_due
from elearn.core.notifications.models import NotificationPreference
from elearn.extensions import db

DIGEST_KIND = "tests.new_submission"
REMINDER_KIND = "tests.due_soon"


def outbox(app) -> set[Path]:
    return set(Path(app.config["MAIL_OUTBOX"]).glob("*.eml")) if Path(app.config["MAIL_OUTBOX"]).exists() else set()


def read_mail(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def mails_to(app, before: set[Path], address: str) -> list[email.message.EmailMessage]:
    return [m for m in (read_mail(p) for p in sorted(outbox(app) - before)) if m["To"] == address]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def test_kinds(monkeypatch):
    """A digest kind and a reminder kind as a domain would register them, removed after the test."""
    kinds = {
        DIGEST_KIND: NotificationKind(
            DIGEST_KIND, "New submission", "New submission from %(person)s", "%(person)s sent „%(title)s”.", delivery=DIGEST
        ),
        REMINDER_KIND: NotificationKind(REMINDER_KIND, "Due soon", "„%(title)s” is due tomorrow", "Submit „%(title)s” by tomorrow."),
    }
    for key, kind in kinds.items():
        monkeypatch.setitem(registry._kinds, key, kind)
    return kinds


def issued(user, number="ROPS-KP/2026/000001"):
    return notify(db.session, user.id, certificate_kinds.ISSUED, {"number": number, "course": "Animator"}, "/certificates/mine")


def test_notify_adds_a_row_and_mails_only_after_commit(app, make_user):
    user = make_user(email="powiadomiona@example.org")
    before = outbox(app)
    notification = issued(user)
    assert notification.id is not None and notification.email_status == "queued"
    assert mails_to(app, before, user.email) == []  # nothing leaves inside the transaction
    db.session.commit()
    mails = mails_to(app, before, user.email)
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Wydano zaświadczenie nr ROPS-KP/2026/000001"
    assert "http://localhost/certificates/mine" in text_of(mails[0])
    assert db.session.get(Notification, notification.id).email_status == "sent"


def test_no_mail_when_the_transaction_rolls_back(app, make_user):
    user = make_user(email="wycofana@example.org")
    before = outbox(app)
    issued(user)
    db.session.rollback()  # the action failed after notifying
    user.job_title = "asystent rodziny"
    db.session.commit()  # a later, unrelated commit must not send the forgotten e-mail
    assert mails_to(app, before, user.email) == []


def test_preference_off_keeps_it_in_the_app_only(app, make_user):
    user = make_user(email="bez-maili@example.org")
    db.session.add(NotificationPreference(user_id=user.id, kind=certificate_kinds.ISSUED, email=False))
    db.session.commit()
    before = outbox(app)
    notification = issued(user)
    db.session.commit()
    assert notification.email_status == "none"
    assert mails_to(app, before, user.email) == []
    assert db.session.scalar(select(func.count()).where(Notification.recipient_id == user.id)) == 1


def test_email_is_rendered_in_the_recipients_language(app, make_user):
    polish = make_user(email="polka@example.org")
    english = make_user(email="english@example.org")
    english.locale = "en"
    db.session.commit()
    before = outbox(app)
    issued(polish)
    issued(english)
    db.session.commit()
    assert mails_to(app, before, polish.email)[0]["Subject"] == "Wydano zaświadczenie nr ROPS-KP/2026/000001"
    english_mail = mails_to(app, before, english.email)[0]
    assert english_mail["Subject"] == "Certificate ROPS-KP/2026/000001 has been issued"
    assert "Your certificate no. ROPS-KP/2026/000001" in text_of(english_mail)


def test_unknown_kind_and_foreign_urls_are_refused(make_user):
    user = make_user()
    with pytest.raises(KeyError):
        notify(db.session, user.id, "no.such.kind", {})
    with pytest.raises(ValueError, match="path on this site"):
        notify(db.session, user.id, certificate_kinds.ISSUED, {}, "https://evil.example/")


def test_digest_groups_several_notifications_into_one_mail(app, make_user, test_kinds):
    trainer = make_user("trainer", email="trener-digest@example.org")
    other = make_user("trainer", email="drugi-trener@example.org")
    for n in range(3):
        notify(db.session, trainer.id, DIGEST_KIND, {"person": f"Osoba {n}", "title": f"Zadanie {n}"}, "/dashboard")
    notify(db.session, other.id, DIGEST_KIND, {"person": "Ktoś", "title": "Inne"})
    before = outbox(app)
    db.session.commit()
    assert mails_to(app, before, trainer.email) == []  # digest kinds wait for the scheduler
    result = send_due(db.session)
    db.session.commit()
    assert result.digests == 2
    mails = mails_to(app, before, trainer.email)
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Podsumowanie dnia: 3 nowe powiadomienia"
    body = text_of(mails[0])
    assert all(f"Osoba {n} sent „Zadanie {n}”." in body for n in range(3))
    assert len(mails_to(app, before, other.email)) == 1
    again = send_due(db.session)
    assert again.digests == 0 and len(outbox(app) - before) == 2


def test_send_due_creates_each_reminder_once_and_mails_it_once(app, make_user, test_kinds, monkeypatch):
    learner = make_user(email="przypomnienie@example.org")

    def due_soon(session, now):
        yield Reminder(learner.id, REMINDER_KIND, {"title": "Mapa zasobów"}, "/dashboard", dedupe_key="assignment:7:due")

    monkeypatch.setitem(registry._due_providers, "tests.due_soon", due_soon)
    before = outbox(app)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["notifications", "send-due"])
    assert first.exit_code == 0, first.output
    assert "reminders created: 1; e-mails sent: 1" in first.output
    second = runner.invoke(args=["notifications", "send-due"])
    assert "reminders created: 0; e-mails sent: 0; digests sent: 0" in second.output
    assert db.session.scalar(select(func.count()).where(Notification.recipient_id == learner.id)) == 1
    mails = mails_to(app, before, learner.email)
    assert [m["Subject"] for m in mails] == ["„Mapa zasobów” is due tomorrow"]


def test_a_second_worker_does_not_mail_a_notification_again(app, make_user):
    from elearn.core.notifications.services import deliver_email

    user = make_user(email="raz@example.org")
    notification = issued(user)
    db.session.commit()
    before = outbox(app)
    assert deliver_email(notification.id) is False  # already sent after commit
    assert mails_to(app, before, user.email) == []


def test_preferences_page_turns_email_off_per_kind(client, login_as):
    user = login_as("learner")
    page = client.get("/notifications/preferences")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Wyślij mi e-mail, gdy" in html and "wydano mi zaświadczenie" in html
    assert "ktoś prosi o zaświadczenie" not in html  # a kind meant for issuers only
    field = "kind_certificates__issued"
    assert f'id="{field}"' in html and "checked" in html
    kept = {f"kind_{key.replace('.', '__')}": "y" for key in (certificate_kinds.REJECTED, certificate_kinds.REVOKED)}
    response = client.post("/notifications/preferences", data=kept)
    assert response.status_code == 302
    rows = {p.kind: p.email for p in db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    assert rows[certificate_kinds.ISSUED] is False and rows[certificate_kinds.REJECTED] is True
    assert f'id="{field}" name="{field}" type="checkbox" value="y">' in client.get("/notifications/preferences").get_data(as_text=True)


def test_bell_shows_the_unread_count_with_one_query_per_page(app, client, login_as):
    user = login_as("learner")
    assert "Powiadomienia (0" in client.get("/dashboard").get_data(as_text=True)
    issued(user)
    issued(user, "ROPS-KP/2026/000002")
    db.session.commit()
    statements = []

    def record(conn, cursor, statement, *args):
        if "notifications" in statement:
            statements.append(statement)

    engine = db.engines[None]
    event.listen(engine, "before_cursor_execute", record)
    try:
        html = client.get("/dashboard").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert 'Powiadomienia (2<span class="visually-hidden"> nieprzeczytane</span>)' in html
    assert len(statements) == 1


def test_anonymous_pages_have_no_bell(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert "/notifications" not in html


def test_list_marks_unread_in_text_and_mark_read_is_limited_to_the_owner(client, login, make_user):
    owner = make_user(email="wlasciciel@example.org")
    stranger = make_user(email="obcy@example.org")
    mine = issued(owner)
    other = issued(owner, "ROPS-KP/2026/000009")
    db.session.commit()
    login(stranger)
    assert client.post(f"/notifications/{mine.id}/read").status_code == 404
    assert "ROPS-KP/2026/000001" not in client.get("/notifications").get_data(as_text=True)
    client.post("/notifications/read-all")
    assert db.session.get(Notification, mine.id).read_at is None
    login(owner)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Masz 2 nieprzeczytane powiadomienia." in html
    assert html.count('<span class="badge badge-warn">nieprzeczytane</span>') == 2
    assert html.index("ROPS-KP/2026/000009") < html.index("ROPS-KP/2026/000001")  # newest first
    assert client.post(f"/notifications/{mine.id}/read").status_code == 302
    assert db.session.get(Notification, mine.id).read_at is not None
    assert db.session.get(Notification, other.id).read_at is None
    client.post("/notifications/read-all")
    assert db.session.get(Notification, other.id).read_at is not None
    assert "Masz 0 nieprzeczytanych powiadomień." in client.get("/notifications").get_data(as_text=True)


def test_list_is_paginated(client, login_as):
    user = login_as("learner")
    for n in range(23):
        issued(user, f"ROPS-KP/2026/{n:06d}")
    db.session.commit()
    first = client.get("/notifications").get_data(as_text=True)
    assert "ROPS-KP/2026/000022" in first and "ROPS-KP/2026/000002" not in first
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert "ROPS-KP/2026/000002" in second and "Strona 2 z 2" in second


def test_rodo_export_contains_notifications_and_erase_removes_them(client, login, make_user):
    from elearn.accounts.services import erase_account

    user = make_user(email="rodo-powiadomienia@example.org")
    issued(user)
    db.session.add(NotificationPreference(user_id=user.id, kind=certificate_kinds.REVOKED, email=False))
    db.session.commit()
    login(user)
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert data["notifications"][0]["subject"] == "Wydano zaświadczenie nr ROPS-KP/2026/000001"
    assert data["notification_email_preferences"] == {certificate_kinds.REVOKED: False}
    erase_account(db.session, user, actor_id=None)
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(Notification.recipient_id == user.id)) == 0
    assert db.session.scalar(select(func.count()).where(NotificationPreference.user_id == user.id)) == 0


def test_issuers_see_their_own_kinds_among_the_preferences(client, login_as):
    login_as("issuer")
    assert "ktoś prosi o zaświadczenie (w codziennym podsumowaniu)" in client.get("/notifications/preferences").get_data(as_text=True)
