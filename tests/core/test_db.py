"""The helpers that hide SQLite/PostgreSQL differences and the CHECK-constraint spelling shared by every domain."""

from __future__ import annotations

from sqlalchemy import func, select

from elearn.certificates.models import CertificateSequence
from elearn.core.db import check_in, insert_if_missing
from elearn.extensions import db


def test_check_in_spells_the_constraint_the_migrations_created():
    assert check_in("role", ("learner", "admin")) == "role IN ('learner', 'admin')"


def test_insert_if_missing_creates_once_and_keeps_the_existing_row():
    insert_if_missing(db.session, CertificateSequence, prefix="TEST-DB", year=2031, last_seq=0)
    db.session.execute(CertificateSequence.__table__.update().where(CertificateSequence.prefix == "TEST-DB").values(last_seq=7))
    insert_if_missing(db.session, CertificateSequence, prefix="TEST-DB", year=2031, last_seq=0)
    rows = db.session.execute(select(CertificateSequence.last_seq).where(CertificateSequence.prefix == "TEST-DB")).scalars().all()
    assert rows == [7]
    assert db.session.scalar(select(func.count()).select_from(CertificateSequence).where(CertificateSequence.prefix == "TEST-DB")) == 1
