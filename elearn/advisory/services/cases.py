"""Advisory cases: opening, the thread, assignment, closing and reopening. Every state change is audited.

Statuses: `new` (nobody has it yet) → `assigned` (an advisor has it) → `answered` (the advisor replied and waits
for the institution) → `closed` (with an outcome and the minutes spent). An institution's reply brings an answered
case back to its advisor (`assigned`, or `new` when unassigned); reopening a closed case does the same.
Services flush; the caller commits.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import case as sql_case
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ...accounts.models import User
from ...core.audit import audit
from ...core.files import CheckedUpload, check_upload
from ...core.notifications import notify, path_for
from ...core.timeutil import utcnow
from .. import notifications as kinds
from ..errors import AdvisoryError
from ..models import (
    ANSWERED,
    ASSIGNED,
    CLOSED,
    FORMS,
    NEW,
    OPEN_STATUSES,
    TOPICS,
    URGENCIES,
    AdvisoryAttachment,
    AdvisoryCase,
    AdvisoryMessage,
)
from .access import advisors, is_advisor, may_open, speaks_for

MAX_FILES = 5
PAGE_SIZE = 25


def upload_dir(instance_path: str) -> Path:
    return Path(instance_path) / "uploads" / "advisory"


def _checked(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes, CheckedUpload]]:
    """Every file checked before anything is written: a rejected file leaves no row and no file behind."""
    files = [(name, data) for name, data in files if name or data]
    if len(files) > MAX_FILES:
        raise AdvisoryError(_l("At most %(count)s files at once.", count=MAX_FILES))
    return [
        (name, data, check_upload(data, types_key="ADVISORY_FILE_TYPES", limit_key="ADVISORY_FILE_MAX_BYTES", filename=name))
        for name, data in files
    ]


def _store(case: AdvisoryCase, checked, *, uploader_id: int, message: AdvisoryMessage | None, instance_path: str) -> None:
    if not checked:
        return
    folder = upload_dir(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data, upload in checked:
        stored = f"{secrets.token_hex(16)}.{upload.kind}"
        (folder / stored).write_bytes(data)
        case.attachments.append(
            AdvisoryAttachment(
                uploader_id=uploader_id,
                message_id=message.id if message else None,
                name=Path(name).name[:255],
                path=stored,
                mimetype=upload.mimetype,
                size=len(data),
            )
        )


def case_params(case: AdvisoryCase, **extra) -> dict:
    return {"subject": case.subject, "institution": case.institution.name, "topic": case.topic_label, **extra}


def case_url(case: AdvisoryCase) -> str:
    return path_for("advisory.detail", case_id=case.id)


def _advisor_side(session: Session, case: AdvisoryCase) -> list[int]:
    """Who on ROPS's side hears about the institution's moves: the case's advisor, or every advisor while unassigned."""
    if case.assigned_to_id is not None:
        return [case.assigned_to_id]
    return [a.id for a in advisors(session)]


def institution_side(case: AdvisoryCase) -> list[int]:
    """The requester and everyone who wrote for the institution in the thread."""
    ids = {m.author_id for m in case.messages if not m.from_advisor and m.author_id is not None}
    if case.requester_id is not None:
        ids.add(case.requester_id)
    return sorted(ids)


def _tell(session: Session, user_ids, kind: str, case: AdvisoryCase, *, skip: int | None = None, **params) -> None:
    for user_id in user_ids:
        if user_id != skip:
            notify(session, user_id, kind, case_params(case, **params), url=case_url(case))


def open_case(
    session: Session,
    *,
    user: User,
    subject: str,
    topic: str,
    description: str,
    preferred_form: str,
    urgency: str,
    contact_phone: str | None,
    files: list[tuple[str, bytes]],
    instance_path: str,
) -> AdvisoryCase:
    """A worker asks ROPS on behalf of their institution."""
    if not may_open(user):
        raise AdvisoryError(_l("Only a confirmed worker of an institution can ask for advice."))
    if topic not in TOPICS or preferred_form not in FORMS or urgency not in URGENCIES:
        raise AdvisoryError(_l("Choose a topic, a form and an urgency from the lists."))
    if preferred_form == "telefon" and not contact_phone:
        raise AdvisoryError(_l("Give a phone number to be called back on."))
    checked = _checked(files)
    now = utcnow()
    case = AdvisoryCase(
        institution_id=user.institution_id,
        requester_id=user.id,
        subject=subject.strip(),
        topic=topic,
        description=description.strip(),
        preferred_form=preferred_form,
        urgency=urgency,
        contact_phone=contact_phone or None,
        status=NEW,
        opened_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    _store(case, checked, uploader_id=user.id, message=None, instance_path=instance_path)
    session.flush()
    audit(session, "advisory.open", actor_id=user.id, target=case, institution_id=case.institution_id, topic=topic)
    _tell(session, [a.id for a in advisors(session)], kinds.OPENED, case, skip=user.id)
    return case


def add_message(
    session: Session, case: AdvisoryCase, *, author: User, body: str, files: list[tuple[str, bytes]], instance_path: str
) -> AdvisoryMessage:
    """A message in the thread, from an advisor or from the institution's side; moves the status accordingly."""
    if not case.is_open:
        raise AdvisoryError(_l("The case is closed; reopen it to write."))
    advisor = is_advisor(author) and not speaks_for(author, case)
    if not advisor and not speaks_for(author, case):
        raise AdvisoryError(_l("You cannot write in this case."))
    if not body.strip():
        raise AdvisoryError(_l("Write a message."))
    checked = _checked(files)
    message = AdvisoryMessage(case=case, author_id=author.id, from_advisor=advisor, body=body.strip(), created_at=utcnow())
    session.add(message)
    session.flush()
    _store(case, checked, uploader_id=author.id, message=message, instance_path=instance_path)
    before = case.status
    if advisor:
        if case.assigned_to_id is None:
            case.assigned_to_id = author.id
        case.status = ANSWERED
        recipients = institution_side(case)
    else:
        case.status = ASSIGNED if case.assigned_to_id is not None else NEW
        recipients = _advisor_side(session, case)
    case.updated_at = utcnow()
    session.flush()
    audit(session, "advisory.message", actor_id=author.id, target=case, message_id=message.id, status_from=before, status_to=case.status)
    _tell(session, recipients, kinds.MESSAGE, case, skip=author.id, author=author.full_name)
    return message


def assign(session: Session, case: AdvisoryCase, *, advisor_id: int, actor: User) -> None:
    if not is_advisor(actor):
        raise AdvisoryError(_l("Only ROPS advisors assign cases."))
    if not case.is_open:
        raise AdvisoryError(_l("The case is closed; reopen it first."))
    if advisor_id not in {a.id for a in advisors(session)}:
        raise AdvisoryError(_l("Choose an advisor from the list."))
    before = case.assigned_to_id
    case.assigned_to_id = advisor_id
    if case.status == NEW:
        case.status = ASSIGNED
    case.updated_at = utcnow()
    session.flush()
    audit(session, "advisory.assign", actor_id=actor.id, target=case, advisor_from=before, advisor_to=advisor_id)
    if advisor_id != actor.id:
        notify(session, advisor_id, kinds.ASSIGNED, case_params(case), url=case_url(case))


def close(session: Session, case: AdvisoryCase, *, actor: User, outcome: str, minutes: int) -> None:
    """Close with the outcome (what was advised) and the advisors' total time on the case in minutes."""
    if not is_advisor(actor):
        raise AdvisoryError(_l("Only ROPS advisors close cases."))
    if not case.is_open:
        raise AdvisoryError(_l("The case is already closed."))
    if not outcome.strip():
        raise AdvisoryError(_l("Describe the outcome."))
    if not 0 <= minutes <= 100000:
        raise AdvisoryError(_l("Give the time spent in minutes."))
    before = case.status
    case.status, case.outcome, case.minutes_spent = CLOSED, outcome.strip(), minutes
    case.closed_at, case.closed_by_id = utcnow(), actor.id
    if case.assigned_to_id is None:
        case.assigned_to_id = actor.id
    case.updated_at = case.closed_at
    session.flush()
    audit(session, "advisory.close", actor_id=actor.id, target=case, status_from=before, minutes=minutes)
    _tell(session, institution_side(case), kinds.CLOSED, case, skip=actor.id)


def reopen(session: Session, case: AdvisoryCase, *, actor: User) -> None:
    """Back to work: the outcome and minutes stay until the case is closed again (closing replaces them)."""
    if not is_advisor(actor):
        raise AdvisoryError(_l("Only ROPS advisors reopen cases."))
    if case.is_open:
        raise AdvisoryError(_l("The case is open."))
    case.status = ASSIGNED if case.assigned_to_id is not None else NEW
    case.closed_at = case.closed_by_id = None
    case.updated_at = utcnow()
    session.flush()
    audit(session, "advisory.reopen", actor_id=actor.id, target=case, status_to=case.status)


URGENCY_ORDER = sql_case({"bardzo_pilna": 0, "pilna": 1}, value=AdvisoryCase.urgency, else_=2)
OPEN = "open"  # the queue's default status filter: every status but closed


def queue(*, status: str = OPEN, topic: str = "", urgency: str = "", assignee: str = "", me: int | None = None, text: str = ""):
    """The advisors' queue: most urgent first, then oldest. assignee: "" any, "me", "none", or an advisor's id."""
    stmt = select(AdvisoryCase).order_by(URGENCY_ORDER, AdvisoryCase.opened_at, AdvisoryCase.id)
    if status == OPEN:
        stmt = stmt.where(AdvisoryCase.status.in_(OPEN_STATUSES))
    elif status:
        stmt = stmt.where(AdvisoryCase.status == status)
    if topic:
        stmt = stmt.where(AdvisoryCase.topic == topic)
    if urgency:
        stmt = stmt.where(AdvisoryCase.urgency == urgency)
    if assignee == "me":
        stmt = stmt.where(AdvisoryCase.assigned_to_id == me)
    elif assignee == "none":
        stmt = stmt.where(AdvisoryCase.assigned_to_id.is_(None))
    elif assignee.isdigit():
        stmt = stmt.where(AdvisoryCase.assigned_to_id == int(assignee))
    if text.strip():
        stmt = stmt.where(search_terms(text))
    return stmt


def attachment_for(session: Session, user, attachment_id: int) -> AdvisoryAttachment | None:
    from .access import may_view

    row = session.get(AdvisoryAttachment, attachment_id)
    return row if row is not None and may_view(user, row.case) else None


def people_named(case: AdvisoryCase) -> list[str]:
    """Everyone whose name may appear in the case's text: requester, advisors, authors in the thread."""
    users = [case.requester, case.assigned_to, *(m.author for m in case.messages)]
    return sorted({u.full_name for u in users if u is not None and u.full_name})


def search_terms(text: str):
    """A condition matching cases whose subject or description contains the text (the queue's search box)."""
    like = f"%{text.strip()}%"
    return or_(AdvisoryCase.subject.ilike(like), AdvisoryCase.description.ilike(like))


def advisor_counts(session: Session, advisor_id: int) -> dict[str, int]:
    """For the dashboard: open cases nobody has yet, and open cases assigned to this advisor."""
    open_ = AdvisoryCase.status.in_(OPEN_STATUSES)
    unassigned = session.scalar(select(func.count()).select_from(AdvisoryCase).where(open_, AdvisoryCase.assigned_to_id.is_(None))) or 0
    mine = session.scalar(select(func.count()).select_from(AdvisoryCase).where(open_, AdvisoryCase.assigned_to_id == advisor_id)) or 0
    return {"unassigned": unassigned, "mine": mine}
