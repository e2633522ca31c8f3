"""How the core notification service reaches a person: address, name, language, and whether they still can."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..core.notifications import NotificationKind, Recipient, register_kind
from ..core.roles import ADMIN
from .models import User
from .services.proposals import PROPOSAL_ACCEPTED, PROPOSAL_DECLINED, PROPOSED


def recipient(session: Session, user_id: int) -> Recipient | None:
    user = session.get(User, user_id)
    if user is None:
        return None
    return Recipient(email=user.email, full_name=user.full_name, locale=user.locale, can_receive=user.is_active)


register_kind(
    NotificationKind(
        key=PROPOSED,
        label=_l("Someone proposed an institution missing from the list"),
        subject=_l("Institution proposed: %(name)s"),
        body=_l("%(person)s proposed adding the institution „%(name)s”. Accept or decline the proposal."),
        roles=(ADMIN,),
        order=90,
    )
)
register_kind(
    NotificationKind(
        key=PROPOSAL_ACCEPTED,
        label=_l("My proposed institution was added"),
        subject=_l("Your proposed institution was added"),
        body=_l("„%(name)s” is now on the list of institutions. Your request to join it awaits confirmation."),
        order=91,
    )
)
register_kind(
    NotificationKind(
        key=PROPOSAL_DECLINED,
        label=_l("My proposed institution was declined"),
        subject=_l("Your proposed institution was not added"),
        body=_l("The proposal to add „%(name)s” was declined. Check the list again, or choose the institution closest to yours."),
        order=92,
    )
)
