"""The one mailer: SMTP when MAIL_SERVER is set, otherwise .eml files in instance/outbox/."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import getaddresses, make_msgid
from pathlib import Path

from flask import current_app

from .timeutil import utcnow

log = logging.getLogger(__name__)


def build_message(to: str, subject: str, body: str, attachments: list[tuple[str, str, bytes]] | None = None) -> EmailMessage:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="elearn.local")
    msg.set_content(body)
    for filename, mimetype, data in attachments or []:
        maintype, subtype = mimetype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def send_mail(to: str, subject: str, body: str, attachments: list[tuple[str, str, bytes]] | None = None) -> Path | None:
    """Send now; returns the outbox file when no SMTP server is configured."""
    msg = build_message(to, subject, body, attachments)
    cfg = current_app.config
    if cfg.get("MAIL_SERVER"):
        if cfg.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], context=ssl.create_default_context(), timeout=30)
        else:
            smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30)
        with smtp:
            if cfg.get("MAIL_USE_TLS") and not cfg.get("MAIL_USE_SSL"):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            smtp.send_message(msg)
        return None
    if cfg["ELEARN_ENV"] == "production":
        log.error("MAIL_SERVER is not set in production; the message to %s was written to the outbox only", to)
    outbox = outbox_dir()
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = outbox / f"{stamp}-{msg['Message-ID'].strip('<>').split('@')[0]}.eml"
    path.write_bytes(bytes(msg))
    return path


def discard_outbox_mail(address: str) -> int:
    """Delete development outbox files addressed to this person: after erasure nothing keeps their mail."""
    outbox = outbox_dir()
    if not outbox.is_dir():
        return 0
    wanted = address.strip().lower()
    removed = 0
    for path in outbox.glob("*.eml"):
        with path.open("rb") as handle:
            headers = BytesHeaderParser(policy=policy.default).parse(handle)
        if wanted in {addr.lower() for _name, addr in getaddresses(headers.get_all("To", []))}:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def outbox_dir() -> Path:
    return Path(current_app.config["MAIL_OUTBOX"] or Path(current_app.instance_path) / "outbox")


def queue_mail(to: str, subject: str, body: str) -> None:
    """Send through the job runner, so a request never waits for SMTP (and its timing does not reveal who got mail)."""
    from .jobs import enqueue

    enqueue("elearn.core.mail.send_mail", to, str(subject), str(body))
