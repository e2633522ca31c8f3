"""The one upload path: what an uploaded file really is (by its bytes, never by its name), whether it is allowed,
and whether it fits the size limit; the allowed types and limits are configuration (see elearn/config.py)."""

from __future__ import annotations

import contextlib
import io
import logging
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from .errors import DomainError

log = logging.getLogger(__name__)

# extension -> MIME type served for it
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

IMAGE_TYPES = frozenset({"png", "jpg", "jpeg", "webp", "gif"})


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


def detect_type(data: bytes, allowed: set[str] | frozenset[str]) -> str | None:
    """The first allowed extension whose content check the bytes pass, or None."""
    return next((ext for ext in sorted(allowed) if content_matches(ext, data)), None)


class UploadRejected(DomainError):
    """The uploaded file is not allowed: wrong type, empty, too large, or content that does not match its name."""


class StorageFailed(UploadRejected):
    """The server could not write the file (disk full, read-only or unwritable folder): nothing was recorded."""

    def __init__(self) -> None:
        super().__init__(_l("The file could not be saved on the server. Try again later; if it keeps happening, tell the administrator."))


def store_upload(folder: Path, data: bytes, extension: str) -> str:
    """Write checked bytes under a fresh random name in `folder`; returns the name. The one way uploads reach the disk.

    The bytes go to a temporary name first and are renamed into place, so a full disk never leaves half a file under
    a name a row could point at. Any OSError becomes StorageFailed (an UploadRejected: the form shows it), raised
    before the caller records a row, so the database never points at a file that is not there."""
    name = f"{secrets.token_hex(16)}.{extension}"
    partial = folder / f".{name}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        partial.replace(folder / name)
    except OSError as error:
        log.error("Could not store an upload in %s: %s", folder, error)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise StorageFailed from error
    return name


@dataclass(frozen=True)
class CheckedUpload:
    kind: str  # the allowed extension the content proved to be
    mimetype: str


def megabytes(limit: int) -> str:
    return f"{round(limit / 1024 / 1024, 1):g}"


def check_upload(data: bytes, *, types_key: str, limit_key: str, filename: str | None = None, wrong_type: Any = None) -> CheckedUpload:
    """Accept the bytes or raise UploadRejected with the reason. Allowed extensions and the byte limit are read from
    app.config[types_key] and app.config[limit_key]. With a filename its extension must be allowed and match the
    content; without one the content alone must be of an allowed type (wrong_type: the message when it is not)."""
    allowed = frozenset(current_app.config[types_key])
    limit = current_app.config[limit_key]
    listed = ", ".join(sorted(allowed - {"jpeg"}))
    extension = None
    if filename is not None:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if extension not in allowed:
            raise UploadRejected(_l("Files of this type cannot be uploaded. Allowed: %(types)s.", types=listed))
    if not data:
        raise UploadRejected(_l("The file is empty."))
    if len(data) > limit:
        raise UploadRejected(_l("The file is too large (limit %(limit)s MB).", limit=megabytes(limit)))
    if extension is not None:
        if not content_matches(extension, data):
            raise UploadRejected(_l("The file content does not match its extension .%(ext)s.", ext=extension))
        return CheckedUpload(extension, TYPES[extension])
    kind = detect_type(data, allowed)
    if kind is None:
        raise UploadRejected(wrong_type or _l("Files of this type cannot be uploaded. Allowed: %(types)s.", types=listed))
    return CheckedUpload(kind, TYPES[kind])
