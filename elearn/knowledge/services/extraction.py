"""Text of uploaded documents for search: PDF (pypdf), DOCX (python-docx), ODT (odfpy), XLSX (openpyxl).

Extraction runs as a job (core.jobs) after the upload is committed: a scanned or large file never slows the upload,
and a file that cannot be read leaves its version marked "failed" instead of refusing the upload.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...core import jobs

log = logging.getLogger(__name__)

MAX_TEXT = 500_000  # characters kept per version: far beyond any statute, bounded for the index
_PENDING = "knowledge.extract"


def upload_dir(instance_path: str) -> Path:
    return Path(instance_path) / "uploads" / "knowledge"


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _odt(data: bytes) -> str:
    from odf import teletype, text
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    return "\n".join(teletype.extractText(node) for kind in (text.H, text.P) for node in document.getElementsByType(kind))


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return "\n".join(
            str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row if isinstance(value, str)
        )
    finally:
        book.close()


EXTRACTORS = {"pdf": _pdf, "docx": _docx, "odt": _odt, "xlsx": _xlsx}


def extract_text(file_type: str, data: bytes) -> str:
    """The document's words, whitespace collapsed; raises whatever the library raises on a broken file."""
    raw = EXTRACTORS[file_type](data)
    return " ".join(raw.split())[:MAX_TEXT]


def queue_after_commit(session: Session, version_id: int) -> None:
    """Extract this version's text once the upload is committed (the job reads the row in its own session)."""
    session.info.setdefault(_PENDING, []).append(version_id)


@event.listens_for(Session, "after_commit")
def _start_after_commit(session: Session) -> None:
    ids = session.info.pop(_PENDING, None)
    if not ids:
        return
    with current_app.app_context():  # a fresh session: this one cannot run SQL inside its commit
        for version_id in ids:
            jobs.enqueue("elearn.knowledge.services.extraction.extract_version", version_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def extract_version(version_id: int) -> str | None:
    """The job: read the stored file, keep its text, refresh the resource in the search index; commits."""
    from ...extensions import db
    from ..models import DONE, EMPTY, FAILED, PUBLISHED, Version
    from .search_documents import index_resource

    session = db.session
    version = session.get(Version, version_id)
    if version is None:
        return None
    path = upload_dir(current_app.instance_path) / version.stored_name
    try:
        found = extract_text(version.file_type, path.read_bytes())
    except Exception:  # a damaged or unusual file: keep it downloadable, say the text could not be read
        log.warning("Text extraction failed for knowledge version %s", version_id, exc_info=True)
        version.text, version.extraction = "", FAILED
    else:
        version.text, version.extraction = found, DONE if found else EMPTY
    session.flush()
    if version.resource.status == PUBLISHED:
        index_resource(session, version.resource)
    session.commit()
    return version.extraction
