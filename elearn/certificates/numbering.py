"""Gap-free register numbers: PREFIX/YYYY/000123, one sequence per issuer prefix and year.

The next number is taken inside the transaction that inserts the certificate, with the sequence row locked
(SELECT … FOR UPDATE on PostgreSQL; SQLite transactions already hold the write lock, see core.db). If the
issuance fails, the rollback returns the number too, so no number is ever burnt or used twice.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.db import insert_if_missing, lock_rows_for_update
from .models import CertificateSequence

PREFIX_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")
NUMBER_RE = re.compile(r"^(?P<prefix>[A-Z0-9][A-Z0-9-]{0,19})/(?P<year>\d{4})/(?P<seq>\d{6,})$")


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}/{year:04d}/{seq:06d}"


def parse_number(number: str) -> tuple[str, int, int] | None:
    match = NUMBER_RE.match(number.strip().upper())
    if not match:
        return None
    return match["prefix"], int(match["year"]), int(match["seq"])


def allocate_number(session: Session, prefix: str, year: int) -> int:
    """Take the next sequence number for (prefix, year); the caller's transaction must insert the certificate."""
    return allocate_numbers(session, prefix, year, 1)[0]


def allocate_numbers(session: Session, prefix: str, year: int, count: int) -> range:
    """Take the next `count` consecutive sequence numbers for (prefix, year) with one locked read and one update (a
    bulk job's batch); the caller's transaction must insert a certificate for every one of them."""
    if count < 1:
        return range(0)
    # Create the year's row if it is missing without racing another issuer doing the same.
    insert_if_missing(session, CertificateSequence, prefix=prefix, year=year, last_seq=0)
    query = select(CertificateSequence).where(CertificateSequence.prefix == prefix, CertificateSequence.year == year)
    sequence = session.scalars(lock_rows_for_update(query, session).execution_options(populate_existing=True)).one()
    first = sequence.last_seq + 1
    sequence.last_seq += count
    session.flush()
    return range(first, first + count)
