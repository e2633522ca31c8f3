"""The register (ewidencja) of issued certificates: search and export to CSV and XLSX."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..core.exports import csv_bytes, xlsx_bytes
from .models import CERTIFICATE_STATUSES, REVOKED, VALID, Certificate
from .pdf import format_hours
from .snapshot import RoleSnapshot, load_snapshot

EXPORT_HEADERS = (
    "Numer",
    "Imię i nazwisko",
    "Kurs",
    "Wersja kursu",
    "Okres od",
    "Okres do",
    "Liczba godzin",
    "Data wydania",
    "Status",
    "Data unieważnienia",
    "Wydane w miejsce",
    "SHA-256 PDF",
)
SHEET_TITLE = "Rejestr zaświadczeń"
STATUS_PL = {VALID: "ważne", REVOKED: "unieważnione"}


def register_query(*, q: str | None = None, status: str | None = None, course_id: int | None = None):
    query = select(Certificate).order_by(Certificate.year.desc(), Certificate.issuer_prefix, Certificate.seq.desc())
    if q:
        like = f"%{q.strip()}%"
        query = query.where(or_(Certificate.number.ilike(like), Certificate.holder_name.ilike(like), Certificate.course_title.ilike(like)))
    if status in CERTIFICATE_STATUSES:
        query = query.where(Certificate.status == status)
    if course_id:
        query = query.where(Certificate.course_id == course_id)
    return query


def export_rows(session: Session, query) -> Iterable[list]:
    previous = {c.id: c.number for c in session.scalars(select(Certificate).where(Certificate.reissue_of_id.is_(None)))}
    for certificate in session.scalars(query.execution_options(yield_per=500)):
        snapshot = load_snapshot(certificate.snapshot)
        reissue_of = ""
        if certificate.reissue_of_id:
            reissue_of = previous.get(certificate.reissue_of_id) or session.get(Certificate, certificate.reissue_of_id).number
        if isinstance(snapshot, RoleSnapshot):  # a role certificate: the framework version, valid until (no period)
            version, period_from, period_to = f"model {snapshot.framework_version}", "", ""
            if snapshot.valid_until:
                period_to = snapshot.valid_until.isoformat()
        else:
            version, period_from, period_to = str(snapshot.course_version), snapshot.period_from.isoformat(), snapshot.period_to.isoformat()
        yield [
            certificate.number,
            certificate.holder_name,
            certificate.course_title,
            version,
            period_from,
            period_to,
            format_hours(snapshot.hours),
            snapshot.issue_date.isoformat(),
            STATUS_PL[certificate.status],
            certificate.revoked_at.date().isoformat() if certificate.revoked_at else "",
            reissue_of,
            certificate.pdf_sha256,
        ]


def export_csv(session: Session, query) -> bytes:
    """UTF-8 with a BOM and semicolons, as Polish Excel opens it."""
    return csv_bytes(EXPORT_HEADERS, export_rows(session, query))


def export_xlsx(session: Session, query) -> bytes:
    return xlsx_bytes(SHEET_TITLE, EXPORT_HEADERS, export_rows(session, query))
