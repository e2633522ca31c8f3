"""One audit function for every privileged action."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry


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


def audit_query(*, action: str | None = None):
    """The audit log newest first, optionally only actions starting with `action`."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    return query
