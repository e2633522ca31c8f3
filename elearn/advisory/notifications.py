"""The advisory domain's notification kinds (registered on import; services import this)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications import IMMEDIATE, NotificationKind, register_kind
from ..core.roles import ADMIN, ISSUER

OPENED, ASSIGNED, MESSAGE, MEETING, CLOSED = (
    "advisory.opened",
    "advisory.assigned",
    "advisory.message",
    "advisory.meeting",
    "advisory.closed",
)

for key, label, subject, body, roles, order in (
    (
        OPENED,
        _l("An institution asked ROPS for advice"),
        _l("New advisory case: %(subject)s"),
        _l("%(institution)s asks for advice (%(topic)s): „%(subject)s”."),
        (ISSUER, ADMIN),
        70,
    ),
    (
        ASSIGNED,
        _l("An advisory case was assigned to me"),
        _l("Assigned to you: %(subject)s"),
        _l("The advisory case „%(subject)s” of %(institution)s is now yours."),
        (ISSUER, ADMIN),
        71,
    ),
    (
        MESSAGE,
        _l("A new message in an advisory case"),
        _l("New message: %(subject)s"),
        _l("%(author)s wrote in the advisory case „%(subject)s”."),
        (),
        72,
    ),
    (
        MEETING,
        _l("An advisory meeting was scheduled"),
        _l("Advisory meeting: %(subject)s"),
        _l("A meeting on „%(subject)s” is set for %(starts)s (%(form)s). The calendar file is on the case page."),
        (),
        73,
    ),
    (
        CLOSED,
        _l("An advisory case was closed"),
        _l("Case closed: %(subject)s"),
        _l("The advisory case „%(subject)s” was closed. The outcome is on the case page."),
        (),
        74,
    ),
):
    register_kind(NotificationKind(key=key, label=label, subject=subject, body=body, delivery=IMMEDIATE, roles=roles, order=order))
