"""The one check of what an uploaded file really is: by its bytes, never by its name."""

from __future__ import annotations

import io
import zipfile

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
