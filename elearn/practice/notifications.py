"""The practice domain's notification kinds and the "assignment due soon" reminder (registered on import)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications import DIGEST, IMMEDIATE, NotificationKind, register_due_provider, register_kind
from ..core.roles import ADMIN, TRAINER

REVIEWED, NEW_SUBMISSION, DUE_SOON = "practice.submission_reviewed", "practice.new_submission", "practice.due_soon"

register_kind(
    NotificationKind(
        key=REVIEWED,
        label=_l("My practical assignment was reviewed"),
        subject=_l("Your assignment „%(title)s” was reviewed"),
        body=_l("%(trainer)s reviewed your assignment „%(title)s”: %(decision)s."),
        delivery=IMMEDIATE,
        order=20,
    )
)
register_kind(
    NotificationKind(
        key=NEW_SUBMISSION,
        label=_l("A practical assignment awaits my review"),
        subject=_l("New practical assignments to review"),
        body=_l("%(learner)s submitted the assignment „%(title)s” in the course „%(course)s”."),
        delivery=DIGEST,
        roles=(TRAINER, ADMIN),
        order=21,
    )
)
register_kind(
    NotificationKind(
        key=DUE_SOON,
        label=_l("A practical assignment is due soon"),
        subject=_l("The assignment „%(title)s” is due on %(due)s"),
        body=_l("The assignment „%(title)s” in the course „%(course)s” is due on %(due)s. Submit it on the My assignments page."),
        delivery=IMMEDIATE,
        order=22,
    )
)


def _due_soon(session, now):
    from .services import due_reminders

    return due_reminders(session, now)


register_due_provider(DUE_SOON, _due_soon)
