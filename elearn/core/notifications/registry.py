"""The registry of notification kinds and of the scheduler's reminder providers.

How a domain registers a kind (at import of a module the app loads, e.g. the domain's `notifications.py`
imported from its views or listeners)::

    from flask_babel import lazy_gettext as _l
    from elearn.core.notifications import DIGEST, NotificationKind, register_kind

    register_kind(NotificationKind(
        key="assignments.submission_reviewed",          # "<domain>.<event>", at most 60 characters
        label=_l("My submission was reviewed"),          # shown on the preferences page
        subject=_l("Your submission „%(title)s” was reviewed"),
        body=_l("%(trainer)s reviewed your submission: %(decision)s."),
        email_default=True,                              # e-mail unless the person turns it off
        delivery=IMMEDIATE,                              # or DIGEST: collected into one daily e-mail
        roles=(),                                        # preferences page shows it to these roles (empty: all)
    ))

Subject and body are message ids with %(name)s placeholders filled from the notification's params when it is
shown or mailed, in the reader's language; a missing parameter renders as "…" rather than failing. `attachments`
(optional) is called as attachments(session, params) -> [(filename, mimetype, bytes)] for the e-mail only.

A due provider is a callable(session, now) that yields `Reminder`s; `flask notifications send-due` runs every
provider and creates each reminder once per (recipient, dedupe_key)::

    def assignments_due_soon(session, now):
        for submission in ...:
            yield Reminder(submission.learner_id, "assignments.due_soon", {"title": ...},
                           url=path_for("assignments.detail", id=...), dedupe_key=f"due:{submission.id}")

    register_due_provider("assignments.due_soon", assignments_due_soon)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

IMMEDIATE, DIGEST = "immediate", "digest"


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: Any  # lazy string
    subject: Any  # lazy string with %(name)s placeholders
    body: Any  # lazy string with %(name)s placeholders
    email_default: bool = True
    delivery: str = IMMEDIATE
    attachments: Callable[[Session, dict], list[tuple[str, str, bytes]]] | None = field(default=None, compare=False)
    order: int = 50
    roles: tuple[str, ...] = ()  # who sees the kind on the preferences page; empty: everyone

    def __post_init__(self) -> None:
        if self.delivery not in (IMMEDIATE, DIGEST):
            raise ValueError(f"delivery must be {IMMEDIATE!r} or {DIGEST!r}, not {self.delivery!r}")
        if not self.key or len(self.key) > 60:
            raise ValueError(f"a notification kind key has 1–60 characters: {self.key!r}")


@dataclass(frozen=True)
class Reminder:
    """What a due provider asks the scheduler to create (once per recipient and dedupe_key)."""

    recipient_id: int
    kind: str
    params: dict
    url: str | None
    dedupe_key: str


DueProvider = Callable[[Session, datetime], Iterable[Reminder]]

_kinds: dict[str, NotificationKind] = {}
_due_providers: dict[str, DueProvider] = {}


def register_kind(kind: NotificationKind) -> NotificationKind:
    """Add a kind; registering the same key again replaces it (module reloads in tests)."""
    _kinds[kind.key] = kind
    return kind


def get_kind(key: str) -> NotificationKind | None:
    return _kinds.get(key)


def kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.key))


def register_due_provider(name: str, provider: DueProvider) -> None:
    _due_providers[name] = provider


def due_providers() -> dict[str, DueProvider]:
    return dict(_due_providers)
