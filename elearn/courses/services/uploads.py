"""Images and attachments for lessons: allowlisted types checked by content, random names, size limit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.audit import audit
from ...core.files import check_upload, store_upload
from ..models import Attachment


def upload_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_path(attachment: Attachment) -> Path:
    return upload_dir() / attachment.stored_name


def _clean_filename(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f\"<>|:*?/]", "", name).strip(" .")
    return name[:200] or "plik"


@dataclass
class Saved:
    attachment: Attachment
    snippet: str


def save_upload(session: Session, *, filename: str, data: bytes, course_id: int | None, user_id: int | None) -> Saved:
    """Check the file (UploadRejected says why not), store it under a random name and record it."""
    name = _clean_filename(filename)
    checked = check_upload(data, types_key="UPLOAD_TYPES", limit_key="UPLOAD_MAX_BYTES", filename=name)
    stored = store_upload(upload_dir(), data, "jpg" if checked.kind == "jpeg" else checked.kind)
    attachment = Attachment(
        course_id=course_id, filename=name, stored_name=stored, mime=checked.mimetype, size=len(data), uploaded_by_id=user_id
    )
    session.add(attachment)
    session.flush()
    audit(session, "courses.upload", actor_id=user_id, target=attachment, filename=name, size=len(data))
    return Saved(attachment, markdown_snippet(attachment))


def markdown_snippet(attachment: Attachment) -> str:
    url = f"/uploads/{attachment.stored_name}"
    label = attachment.filename.replace("[", "(").replace("]", ")")
    if attachment.is_image:
        return f"![{label.rsplit('.', 1)[0]}]({url})"
    return f"[{label}]({url})"


def course_files(session: Session, course_id: int) -> list[Attachment]:
    """A course's uploaded files, newest first."""
    query = select(Attachment).where(Attachment.course_id == course_id).order_by(Attachment.uploaded_at.desc())
    return list(session.scalars(query))
