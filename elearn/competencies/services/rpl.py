"""Recognition of prior learning: a learner's claim with a document, reviewed by a trainer.

Documents live under instance/uploads/rpl/ with a random name; the original name is only shown and used on download.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.errors import DomainError
from ...core.files import TYPES, detect_type
from ..models import PENDING, PRIOR_LEARNING, Evidence
from .levels import record_evidence

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
DOCUMENT_TYPES = frozenset({"pdf", "png", "jpg"})


class DocumentRejected(DomainError):
    """The uploaded file is too big, empty or not a PDF/PNG/JPEG (checked by content, not by name)."""

    def __init__(self) -> None:
        super().__init__(_l("The document must be a PDF, PNG or JPG file of at most 5 MB."))


def upload_dir(instance_path: str) -> Path:
    return Path(instance_path) / "uploads" / "rpl"


def sniff(content: bytes) -> tuple[str, str]:
    """(MIME type, file suffix) of an accepted document."""
    kind = detect_type(content, DOCUMENT_TYPES)
    if kind is None:
        raise DocumentRejected()
    return TYPES[kind], f".{kind}"


def submit_claim(
    session: Session, *, instance_path: str, user_id: int, code: str, level: int, note: str | None, filename: str, content: bytes
) -> Evidence:
    """Store the document and record a pending prior-learning claim (which confirms nothing until accepted)."""
    if not content:
        raise DocumentRejected()
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DocumentRejected()
    mimetype, extension = sniff(content)
    folder = upload_dir(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + extension
    (folder / stored).write_bytes(content)
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
