"""One audit function for every privileged action."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry

#: action -> label in words (lazy_gettext); each domain registers its actions in its blueprint.py
ACTION_LABELS: dict[str, Any] = {}
#: target type (model class name) -> (endpoint, keyword argument) of the page that shows such a record
TARGET_PAGES: dict[str, tuple[str, str]] = {}
#: target type -> its name in words (lazy_gettext)
TARGET_LABELS: dict[str, Any] = {}


#: detail key -> its name in words; the audit log shows a key nobody named as it is
DETAIL_LABELS: dict[str, Any] = {
    "adopted_on": _l("adopted on"),
    "advisor_from": _l("previous advisor"),
    "advisor_to": _l("new advisor"),
    "after": _l("after"),
    "answers": _l("answers"),
    "assignment": _l("assignment"),
    "attempt": _l("attempt"),
    "before": _l("before"),
    "by": _l("by"),
    "changes": _l("changes"),
    "code": _l("code"),
    "course": _l("course"),
    "created": _l("created"),
    "deadline": _l("deadline"),
    "decision": _l("decision"),
    "end": _l("end"),
    "fields": _l("fields"),
    "filename": _l("file name"),
    "files": _l("files"),
    "format": _l("format"),
    "gmina": _l("gmina"),
    "institution": _l("institution"),
    "institution_id": _l("institution (id)"),
    "kind": _l("kind"),
    "level": _l("level"),
    "minutes": _l("minutes"),
    "months": _l("months"),
    "moved": _l("moved"),
    "name": _l("name"),
    "number": _l("number"),
    "persons": _l("persons"),
    "present": _l("present"),
    "questions": _l("questions"),
    "reason": _l("reason"),
    "role": _l("role"),
    "roles": _l("roles"),
    "round": _l("round"),
    "sessions": _l("sessions"),
    "size": _l("size"),
    "source": _l("source"),
    "start": _l("start"),
    "starts_at": _l("starts at"),
    "status": _l("status"),
    "status_from": _l("previous status"),
    "status_to": _l("new status"),
    "title": _l("title"),
    "topic": _l("topic"),
    "total": _l("total"),
    "type": _l("type"),
    "unchanged": _l("unchanged"),
    "updated": _l("updated"),
    "user_id": _l("person (id)"),
    "version": _l("version"),
    "year": _l("year"),
}


def detail_label(key: str) -> Any:
    """A detail's key in words; keys no one named show as they are."""
    return DETAIL_LABELS.get(key, key)


def register_actions(labels: dict[str, Any]) -> None:
    ACTION_LABELS.update(labels)


def register_target_page(target_type: str, endpoint: str, argument: str, label: Any = None) -> None:
    TARGET_PAGES[target_type] = (endpoint, argument)
    if label is not None:
        TARGET_LABELS[target_type] = label


def target_label(target_type: str | None) -> Any:
    return TARGET_LABELS.get(target_type or "", target_type or "")


def action_label(action: str) -> Any:
    """The action in words; an action nobody registered shows its code."""
    return ACTION_LABELS.get(action, action)


def target_url(target_type: str | None, target_id: str | None) -> str | None:
    """The page of an audited record, when its domain registered one and the id is a number."""
    from flask import url_for
    from werkzeug.routing import BuildError

    page = TARGET_PAGES.get(target_type or "")
    if page is None or not (target_id or "").isdigit():
        return None
    try:
        return url_for(page[0], **{page[1]: int(target_id)})
    except BuildError:
        return None


def audit(
    session: Session,
    action: str,
    *,
    actor_id: int | None,
    target: Any = None,
    target_type: str | None = None,
    target_id: Any = None,
    **details: Any,
) -> AuditEntry:
    """Record who did what to which record; the caller's transaction commits it with the change itself."""
    if target is not None:
        target_type = target_type or type(target).__name__
        target_id = target_id if target_id is not None else getattr(target, "id", None)
    entry = AuditEntry(
        action=action,
        actor_id=actor_id,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details={k: v for k, v in details.items() if v is not None},
        ip=request.remote_addr if has_request_context() else None,
    )
    session.add(entry)
    return entry


def audit_query(*, action: str | None = None, target: str | None = None):
    """The audit log newest first, optionally only actions starting with `action` and entries about one record
    (`target` as "Type:id", e.g. "User:12")."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if target and ":" in target:
        target_type, _sep, target_id = target.partition(":")
        query = query.where(AuditEntry.target_type == target_type, AuditEntry.target_id == target_id)
    return query
