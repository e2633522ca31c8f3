"""The one notification service: every domain calls `notify`; e-mail leaves only after the caller commits.

`notify` adds a row and flushes. When the caller's transaction commits, immediate e-mails are handed to the job
runner (never sent inside the request); digest kinds wait for `flask notifications send-due`, which also creates
the reminders of registered due providers. Sending claims a row by moving its e-mail state, so a notification is
mailed once however many workers or scheduler runs see it.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g, has_request_context
from flask_babel import force_locale, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import jobs
from ..formatting import render_param
from ..mail import send_mail
from ..timeutil import utcnow
from ..urls import public_base_url
from .models import EMAIL_DIGEST, EMAIL_NONE, EMAIL_QUEUED, EMAIL_SENDING, EMAIL_SENT, Notification, NotificationPreference
from .registry import DIGEST, NotificationKind, due_providers, get_kind, kinds

log = logging.getLogger(__name__)

_PENDING = "elearn.notifications.pending_mail"
# Set by the scheduler, which delivers what it creates itself instead of handing it to background threads.
_deliver_later: ContextVar[bool] = ContextVar("notifications_deliver_later", default=False)


class NotificationNotFound(LookupError):
    """No such notification for this person (another person's is treated as missing: 404)."""


# --- recipients: core cannot import accounts, so accounts tells it how to find a person -------------------------


@dataclass(frozen=True)
class Recipient:
    email: str
    full_name: str
    locale: str | None
    can_receive: bool  # False for deactivated or erased accounts


RecipientResolver = Callable[[Session, int], Recipient | None]
_resolver: list[RecipientResolver] = []


def register_recipient_resolver(resolver: RecipientResolver) -> None:
    """accounts registers how a user id becomes an address, a name and a language."""
    _resolver[:] = [resolver]


def _recipient(session: Session, user_id: int) -> Recipient | None:
    if not _resolver:
        raise RuntimeError("no recipient resolver registered (elearn.accounts.notifications is not loaded)")
    return _resolver[0](session, user_id)


# --- creating -----------------------------------------------------------------------------------------------------


def path_for(endpoint: str, **values) -> str:
    """A URL path for an endpoint, also outside a request (CLI, jobs), to store as a notification's target."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _clean_url(url: str | None) -> str | None:
    if url is None:
        return None
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        raise ValueError(f"a notification links to a path on this site, not {url!r}")
    return url


def _kind(key: str) -> NotificationKind:
    kind = get_kind(key)
    if kind is None:
        raise KeyError(f"notification kind {key!r} is not registered")
    return kind


def notify(
    session: Session,
    recipient_id: int,
    kind: str,
    params: dict | None = None,
    url: str | None = None,
    *,
    dedupe_key: str | None = None,
    email: bool = True,
) -> Notification | None:
    """Tell a person something; returns None when a notification with this dedupe_key already exists.

    email=False keeps it in the app only (e.g. the issuer unticked "e-mail" for a bulk issue); otherwise the
    person's preference for the kind decides, and the e-mail is queued once the caller's transaction commits.
    """
    definition = _kind(kind)
    values = json.loads(json.dumps(params or {}, default=str))
    if dedupe_key is not None:
        existing = session.scalar(
            select(Notification.id).where(Notification.recipient_id == recipient_id, Notification.dedupe_key == dedupe_key)
        )
        if existing is not None:
            return None
    status = EMAIL_NONE
    if email and wants_email(session, recipient_id, kind):
        status = EMAIL_DIGEST if definition.delivery == DIGEST else EMAIL_QUEUED
    notification = Notification(
        recipient_id=recipient_id,
        kind=kind,
        params=values,
        url=_clean_url(url),
        dedupe_key=dedupe_key,
        created_at=utcnow(),
        email_status=status,
    )
    if dedupe_key is not None:
        try:
            with session.begin_nested():  # a concurrent scheduler run may have created it a moment ago
                session.add(notification)
        except IntegrityError:
            return None
    else:
        session.add(notification)
    session.flush()
    if status == EMAIL_QUEUED:
        session.info.setdefault(_PENDING, []).append(notification.id)
    return notification


@event.listens_for(Session, "after_commit")
def _queue_mail_after_commit(session: Session) -> None:
    ids = session.info.pop(_PENDING, None)
    if not ids or _deliver_later.get():
        return
    # A fresh app context gives the job its own database session: this one cannot run SQL inside the commit.
    with current_app.app_context():
        for notification_id in ids:
            jobs.enqueue("elearn.core.notifications.services.deliver_email", notification_id)


@event.listens_for(Session, "after_rollback")
def _forget_mail_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


# --- preferences --------------------------------------------------------------------------------------------------


def wants_email(session: Session, user_id: int, kind: str) -> bool:
    choice = session.get(NotificationPreference, (user_id, kind))
    return choice.email if choice is not None else _kind(kind).email_default


def email_preferences(session: Session, user_id: int, roles: set[str] | None = None) -> list[tuple[NotificationKind, bool]]:
    """The kinds meant for these roles (all when None) with the person's choice (their own or the kind's default)."""
    chosen = {p.kind: p.email for p in session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user_id))}
    shown = [kind for kind in kinds() if roles is None or not kind.roles or set(kind.roles) & roles]
    return [(kind, chosen.get(kind.key, kind.email_default)) for kind in shown]


def set_email_preferences(session: Session, user_id: int, choices: dict[str, bool]) -> None:
    """Store the person's choices for registered kinds (unknown keys are ignored)."""
    for key, wanted in choices.items():
        if get_kind(key) is None:
            continue
        row = session.get(NotificationPreference, (user_id, key))
        if row is None:
            session.add(NotificationPreference(user_id=user_id, kind=key, email=bool(wanted)))
        else:
            row.email = bool(wanted)
    session.flush()


# --- reading ------------------------------------------------------------------------------------------------------


def notifications_query(user_id: int):
    """Newest first; the caller paginates."""
    return select(Notification).where(Notification.recipient_id == user_id).order_by(Notification.created_at.desc(), Notification.id.desc())


@functools.cache
def _unread_statement():
    """Built once per process (every page's header asks); the person is bound at execution."""
    return select(func.count(Notification.id)).where(Notification.recipient_id == bindparam("user_id"), Notification.read_at.is_(None))


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(_unread_statement(), {"user_id": user_id})


def unread_count_for_request(user_id: int) -> int:
    """The header's count: one query per request, and only when a page actually shows the header."""
    if "notifications_unread" not in g:
        from ...extensions import db

        g.notifications_unread = unread_count(db.session, user_id)
    return g.notifications_unread


def own_notification(session: Session, user_id: int, notification_id: int) -> Notification:
    notification = session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user_id:
        raise NotificationNotFound(notification_id)
    return notification


def mark_read(session: Session, user_id: int, notification_id: int) -> Notification:
    notification = own_notification(session, user_id, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()
    return notification


def mark_all_read(session: Session, user_id: int) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return result.rowcount or 0


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "…"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render(notification: Notification) -> Rendered:
    """Subject and body in the current locale (wrap in force_locale for someone else's language)."""
    kind = get_kind(notification.kind)
    if kind is None:
        return Rendered(str(_l("Notification")), "")
    params = _Params({key: render_param(value) for key, value in (notification.params or {}).items()})
    return Rendered(str(kind.subject) % params, str(kind.body) % params)


# --- e-mail -------------------------------------------------------------------------------------------------------


def absolute_url(path: str | None) -> str | None:
    if not path:
        return None
    return f"{public_base_url()}{path}"


def _locale_of(recipient: Recipient) -> str:
    languages = current_app.config["LANGUAGES"]
    return recipient.locale if recipient.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _render_text(template: str, **context) -> str:
    return current_app.jinja_env.get_template(template).render(**context)


def _claim(session: Session, ids: list[int], from_status: str) -> list[int]:
    """Move rows to 'sending' and commit; only rows still in from_status are ours to send."""
    if not ids:
        return []
    claimed = list(session.scalars(select(Notification.id).where(Notification.id.in_(ids), Notification.email_status == from_status)))
    if not claimed:
        return []
    result = session.execute(
        update(Notification)
        .where(Notification.id.in_(claimed), Notification.email_status == from_status)
        .values(email_status=EMAIL_SENDING)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if result.rowcount != len(claimed):  # another runner took some of them in between: leave all to it
        session.execute(
            update(Notification)
            .where(Notification.id.in_(claimed), Notification.email_status == EMAIL_SENDING)
            .values(email_status=from_status)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        return []
    return claimed


def _finish(session: Session, ids: list[int], status: str) -> None:
    session.execute(
        update(Notification)
        .where(Notification.id.in_(ids))
        .values(email_status=status, emailed_at=utcnow() if status == EMAIL_SENT else None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def deliver_email(notification_id: int) -> bool:
    """The job body (queued by path after commit): mail one immediate notification unless already mailed."""
    from ...extensions import db

    session = db.session
    if not _claim(session, [notification_id], EMAIL_QUEUED):
        return False
    notification = session.get(Notification, notification_id)
    recipient = _recipient(session, notification.recipient_id)
    if recipient is None or not recipient.can_receive:
        _finish(session, [notification_id], EMAIL_NONE)
        return False
    kind = get_kind(notification.kind)
    with force_locale(_locale_of(recipient)):
        rendered = render(notification)
        body = _render_text(
            "notifications/email.txt",
            recipient=recipient,
            body=rendered.body,
            link=absolute_url(notification.url),
            preferences_link=absolute_url(path_for("notifications.preferences")),
        )
    attachments = kind.attachments(session, notification.params) if kind and kind.attachments else None
    try:
        send_mail(recipient.email, rendered.subject, body, attachments=attachments)
    except OSError:
        log.exception("Could not e-mail notification %s; the scheduler will try again", notification_id)
        _finish(session, [notification_id], EMAIL_QUEUED)
        return False
    _finish(session, [notification_id], EMAIL_SENT)
    return True


def deliver_queued(session: Session) -> int:
    """Mail immediate notifications still waiting (created by the scheduler, or whose job was lost)."""
    ids = list(session.scalars(select(Notification.id).where(Notification.email_status == EMAIL_QUEUED).order_by(Notification.id)))
    session.commit()
    return sum(1 for notification_id in ids if deliver_email(notification_id))


def send_digests(session: Session) -> int:
    """One e-mail per person with every digest notification not yet mailed; returns the number of e-mails."""
    recipients = list(session.scalars(select(Notification.recipient_id).where(Notification.email_status == EMAIL_DIGEST).distinct()))
    sent = 0
    for recipient_id in recipients:
        ids = list(
            session.scalars(
                select(Notification.id).where(Notification.recipient_id == recipient_id, Notification.email_status == EMAIL_DIGEST)
            )
        )
        ids = _claim(session, ids, EMAIL_DIGEST)
        if not ids:
            continue
        recipient = _recipient(session, recipient_id)
        if recipient is None or not recipient.can_receive:
            _finish(session, ids, EMAIL_NONE)
            continue
        items = list(
            session.scalars(select(Notification).where(Notification.id.in_(ids)).order_by(Notification.created_at, Notification.id))
        )
        with force_locale(_locale_of(recipient)):
            entries = [(render(n), absolute_url(n.url)) for n in items]
            subject = ngettext("Daily summary: %(num)s new notification", "Daily summary: %(num)s new notifications", len(entries))
            body = _render_text(
                "notifications/digest.txt",
                recipient=recipient,
                entries=entries,
                list_link=absolute_url(path_for("notifications.index")),
                preferences_link=absolute_url(path_for("notifications.preferences")),
            )
        try:
            send_mail(recipient.email, subject, body)
        except OSError:
            log.exception("Could not e-mail the digest to user %s; the next run will try again", recipient_id)
            _finish(session, ids, EMAIL_DIGEST)
            continue
        _finish(session, ids, EMAIL_SENT)
        sent += 1
    return sent


@contextmanager
def _scheduler_delivers() -> Iterator[None]:
    token = _deliver_later.set(True)
    try:
        yield
    finally:
        _deliver_later.reset(token)


@dataclass(frozen=True)
class DueRun:
    created: int
    mailed: int
    digests: int


def send_due(session: Session, now: datetime | None = None, *, digests: bool = True) -> DueRun:
    """The scheduler: create due reminders (once each), mail what waits, then the daily digests. Safe to rerun."""
    now = now or utcnow()
    created = 0
    with _scheduler_delivers():
        for name, provider in due_providers().items():
            for reminder in provider(session, now):
                if notify(session, reminder.recipient_id, reminder.kind, reminder.params, reminder.url, dedupe_key=reminder.dedupe_key):
                    created += 1
            session.commit()
            log.info("Due provider %s done", name)
    mailed = deliver_queued(session)
    digest_count = send_digests(session) if digests else 0
    return DueRun(created=created, mailed=mailed, digests=digest_count)


def bell_context() -> dict:
    """Template context: a function the header calls, so the count is queried only where it is shown."""
    from flask_login import current_user

    def unread() -> int:
        if not has_request_context() or not getattr(current_user, "is_authenticated", False):
            return 0
        return unread_count_for_request(current_user.id)

    return {"unread_notifications": unread}
