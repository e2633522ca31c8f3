"""The knowledge base's notification kinds: a proposer hears how staff decided (registered on import)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications import IMMEDIATE, NotificationKind, register_kind

ACCEPTED, REJECTED_KIND = "knowledge.accepted", "knowledge.rejected"

register_kind(
    NotificationKind(
        key=ACCEPTED,
        label=_l("A resource I proposed for the knowledge base was accepted"),
        subject=_l("Your proposal „%(title)s” is in the knowledge base"),
        body=_l("Thank you: „%(title)s”, which you proposed, has been accepted and published in the knowledge base."),
        delivery=IMMEDIATE,
        order=60,
    )
)
register_kind(
    NotificationKind(
        key=REJECTED_KIND,
        label=_l("A resource I proposed for the knowledge base was not accepted"),
        subject=_l("Your proposal „%(title)s” was not accepted"),
        body=_l("„%(title)s”, which you proposed for the knowledge base, was not accepted. Reason: %(reason)s"),
        delivery=IMMEDIATE,
        order=61,
    )
)
