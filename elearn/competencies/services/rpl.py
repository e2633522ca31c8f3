"""Recognition of prior learning: a learner's claim with a document, reviewed by a trainer.

Documents live under instance/uploads/rpl/ with a random name; the original name is only shown and used on download.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.files import UploadRejected, check_upload, megabytes, store_upload
from ..models import PENDING, PRIOR_LEARNING, Evidence
from .levels import record_evidence


class DocumentRejected(UploadRejected):
    """The uploaded file is too big, empty or not a PDF/PNG/JPEG (checked by content, not by name): one message."""

    def __init__(self, limit: int) -> None:
        super().__init__(_l("The document must be a PDF, PNG or JPG file of at most %(limit)s MB.", limit=megabytes(limit)))


def upload_dir(instance_path: str) -> Path:
    return Path(instance_path) / "uploads" / "rpl"


def submit_claim(
    session: Session, *, instance_path: str, user_id: int, code: str, level: int, note: str | None, filename: str, content: bytes
) -> Evidence:
    """Store the document and record a pending prior-learning claim (which confirms nothing until accepted)."""
    try:
        checked = check_upload(content, types_key="RPL_DOCUMENT_TYPES", limit_key="RPL_DOCUMENT_MAX_BYTES")
    except UploadRejected:
        raise DocumentRejected(current_app.config["RPL_DOCUMENT_MAX_BYTES"]) from None
    mimetype = checked.mimetype
    stored = store_upload(upload_dir(instance_path), content, checked.kind)
    display = Path(filename or "dokument").name[:200] or "dokument"
    return record_evidence(
        session,
        user_id=user_id,
        code=code,
        level=level,
        source=PRIOR_LEARNING,
        recorded_by=user_id,
        note=note or None,
        status=PENDING,
        document=(stored, display, mimetype),
        source_type="upload",
    )


def document_path(instance_path: str, evidence: Evidence) -> Path | None:
    if not evidence.document_path:
        return None
    root = upload_dir(instance_path).resolve()
    path = (root / evidence.document_path).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def pending_claims(session: Session, user_id: int | None = None) -> list[Evidence]:
    query = select(Evidence).where(Evidence.source == PRIOR_LEARNING, Evidence.status == PENDING).order_by(Evidence.recorded_at)
    if user_id is not None:
        query = query.where(Evidence.user_id == user_id)
    return list(session.scalars(query))


def claims_of(session: Session, user_id: int) -> list[Evidence]:
    """A learner's own prior-learning claims, newest first, whatever their status."""
    query = select(Evidence).where(Evidence.user_id == user_id, Evidence.source == PRIOR_LEARNING)
    return list(session.scalars(query.order_by(Evidence.recorded_at.desc())))
