"""Images and attachments for lessons: allowlisted types checked by content, random names, size limit."""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ...core.audit import audit
from ..models import Attachment

# extension -> (MIME type, content check)
TYPES: dict[str, str] = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "txt": "text/plain; charset=utf-8",
}


class UploadRejected(Exception):
    """The reason, as a lazily translated message shown next to the file field."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def _zip_names(data: bytes) -> tuple[set[str], bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
            return names, mimetype
    except (zipfile.BadZipFile, KeyError, RuntimeError, ValueError):
        return set(), b""


def content_matches(extension: str, data: bytes) -> bool:
    """True when the bytes really are a file of that type (magic bytes or container structure)."""
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if extension == "gif":
        return data[:6] in (b"GIF87a", b"GIF89a")
    if extension == "webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension in ("docx", "xlsx", "odt", "ods"):
        if not data.startswith(b"PK\x03\x04"):
            return False
        names, mimetype = _zip_names(data)
        return {
            "docx": "word/document.xml" in names,
            "xlsx": "xl/workbook.xml" in names,
            "odt": mimetype == b"application/vnd.oasis.opendocument.text",
            "ods": mimetype == b"application/vnd.oasis.opendocument.spreadsheet",
        }[extension]
    if extension == "txt":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


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
