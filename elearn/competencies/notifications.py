"""The competency domain's notification kinds (registered on import; services.requests imports this module)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications import DIGEST, IMMEDIATE, NotificationKind, register_kind
from ..core.roles import LEARNER, TRAINER

REQUEST_ASSESSED = "competencies.request_assessed"
REQUEST_DECLINED = "competencies.request_declined"
REQUEST_NEW = "competencies.request_new"

register_kind(
    NotificationKind(
        key=REQUEST_ASSESSED,
        label=_l("My assessment request was answered with an assessment"),
        subject=_l("Your assessment request for %(code)s was answered"),
        body=_l("%(trainer)s assessed your competence %(code)s %(competence)s at level %(level)s. Note: %(note)s"),
        delivery=IMMEDIATE,
        order=20,
        roles=(LEARNER,),
    )
)
register_kind(
    NotificationKind(
        key=REQUEST_DECLINED,
        label=_l("My assessment request was declined"),
        subject=_l("Your assessment request for %(code)s was answered"),
        body=_l("%(trainer)s declined your request for an assessment of %(code)s %(competence)s. Reason: %(reason)s"),
        delivery=IMMEDIATE,
        order=21,
        roles=(LEARNER,),
    )
)
register_kind(
    NotificationKind(
        key=REQUEST_NEW,
        label=_l("A learner asked for an assessment (in the daily summary)"),
        subject=_l("New assessment request: %(code)s"),
        body=_l("%(person)s asked for an assessment of %(code)s %(competence)s."),
        delivery=DIGEST,
        order=22,
        roles=(TRAINER,),
    )
)
