"""Images and attachments for lessons: allowlisted types checked by content, random names, size limit."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ...core.audit import audit
from ...core.errors import DomainError
from ...core.files import TYPES, content_matches
from ..models import Attachment


class UploadRejected(DomainError):
    """The reason, as a lazily translated message shown next to the file field."""


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
    name = _clean_filename(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in TYPES:
        allowed = ", ".join(sorted(set(TYPES) - {"jpeg"}))
        raise UploadRejected(_l("Files of this type cannot be uploaded. Allowed: %(types)s.", types=allowed))
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if len(data) > limit:
        raise UploadRejected(_l("The file is too large (limit %(limit)s MB).", limit=round(limit / 1024 / 1024, 1)))
    if not data:
        raise UploadRejected(_l("The file is empty."))
    if not content_matches(extension, data):
        raise UploadRejected(_l("The file content does not match its extension .%(ext)s.", ext=extension))
    stored = f"{secrets.token_urlsafe(18)}.{'jpg' if extension == 'jpeg' else extension}"
    (upload_dir() / stored).write_bytes(data)
    attachment = Attachment(
        course_id=course_id, filename=name, stored_name=stored, mime=TYPES[extension], size=len(data), uploaded_by_id=user_id
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
