"""The discussion domain's notification kinds (registered on import; services import this module)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications import DIGEST, IMMEDIATE, NotificationKind, register_kind
from ..core.roles import ADMIN, ISSUER, TRAINER

REPLY, ANSWERED, MESSAGE = "discussion.reply", "discussion.answered", "discussion.message"
REPORTED, HIDDEN = "discussion.reported", "discussion.hidden"

register_kind(
    NotificationKind(
        key=REPLY,
        label=_l("A new reply in a discussion I follow"),
        subject=_l("New reply: %(title)s"),
        body=_l("%(author)s replied in „%(title)s”: %(excerpt)s"),
        delivery=IMMEDIATE,
        order=60,
    )
)
register_kind(
    NotificationKind(
        key=ANSWERED,
        label=_l("A trainer marked the answer to my question"),
        subject=_l("Your question has an answer: %(title)s"),
        body=_l("%(trainer)s marked the answer to your question „%(title)s”."),
        delivery=IMMEDIATE,
        order=61,
    )
)
register_kind(
    NotificationKind(
        key=MESSAGE,
        label=_l("A direct message to me"),
        subject=_l("New message from %(sender)s"),
        body=_l("%(sender)s wrote to you: %(excerpt)s"),
        delivery=IMMEDIATE,
        order=62,
    )
)
register_kind(
    NotificationKind(
        key=HIDDEN,
        label=_l("A moderator hid my post"),
        subject=_l("Your post was hidden: %(title)s"),
        body=_l("A moderator hid your post in „%(title)s”. Reason: %(reason)s"),
        delivery=IMMEDIATE,
        order=63,
    )
)
register_kind(
    NotificationKind(
        key=REPORTED,
        label=_l("A post was reported in a discussion I moderate"),
        subject=_l("Reported post: %(title)s"),
        body=_l("Someone reported a post in „%(title)s”. Open the moderation queue to decide."),
        delivery=DIGEST,
        order=64,
        roles=(TRAINER, ISSUER, ADMIN),
    )
)
