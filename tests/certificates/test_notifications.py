"""Certificate decisions reach the holder through the notification service; requests reach issuers in the digest."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from sqlalchemy import select

from elearn.core.notifications import Notification, send_due
from elearn.extensions import db

from .helpers import ANIMATOR, course, issue_via_queue


def notifications_of(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.recipient_id == user.id).order_by(Notification.id)))


def new_mails(app, before: set[Path]) -> list[email.message.EmailMessage]:
    paths = sorted(set(Path(app.config["MAIL_OUTBOX"]).glob("*.eml")) - before)
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in paths]


def outbox(app) -> set[Path]:
    return set(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))


def test_issue_notifies_the_holder_in_the_app_and_by_mail_with_the_pdf(app, client, login, issuer, graduate):
    before = outbox(app)
    certificate = issue_via_queue(client, login, issuer, graduate)
    [notification] = notifications_of(graduate)
    assert notification.kind == "certificates.issued" and notification.url == "/certificates/mine"
    [mail] = [m for m in new_mails(app, before) if m["To"] == graduate.email]
    assert mail["Subject"] == f"Wydano zaświadczenie nr {certificate.number}"
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    login(graduate)
    html = client.get("/notifications").get_data(as_text=True)
    assert f"Wydano zaświadczenie nr {certificate.number}" in html and "Animator społeczności lokalnej" in html


def test_reject_notifies_with_the_reason(client, login, issuer, graduate):
    login(issuer)
    reason = "Brak potwierdzenia obecności na zajęciach."
    client.post(f"/certificates/reject/{graduate.id}/{course().id}", data={"reason": reason})
    [notification] = notifications_of(graduate)
    assert notification.kind == "certificates.rejected"
    login(graduate)
    assert f"Powód: {reason}" in client.get("/notifications").get_data(as_text=True)


def test_revoke_notifies_the_holder(client, login, issuer, graduate):
    certificate = issue_via_queue(client, login, issuer, graduate)
    login(issuer)
    client.post(f"/certificates/{certificate.id}/revoke", data={"confirmed": "1", "reason": "Błąd w nazwisku"})
    kinds = [n.kind for n in notifications_of(graduate)]
    assert kinds == ["certificates.issued", "certificates.revoked"]
    login(graduate)
    assert f"Unieważniono zaświadczenie nr {certificate.number}" in client.get("/notifications").get_data(as_text=True)


def test_a_request_reaches_issuers_in_one_daily_digest(app, client, login, issuer, graduate, make_user):
    second = make_user("learner", full_name="Druga Absolwentka")
    from .helpers import complete

    complete(second.id)
    db.session.commit()
    before = outbox(app)
    for person in (graduate, second):
        login(person)
        client.post(f"/certificates/request/{ANIMATOR}", data={"birth_date": "1985-06-01", "birth_place": "Toruń"})
    assert [n.kind for n in notifications_of(issuer)] == ["certificates.requested"] * 2
    assert [m for m in new_mails(app, before) if m["To"] == issuer.email] == []
    send_due(db.session)
    [digest] = [m for m in new_mails(app, before) if m["To"] == issuer.email]
    body = digest.get_body(("plain",)).get_content()
    assert "Zażółć Gęślą-Jaźń prosi o zaświadczenie" in body and "Druga Absolwentka prosi o zaświadczenie" in body
