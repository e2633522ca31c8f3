"""The certificate register (ewidencja zaświadczeń): issuer branding, requests, certificates, numbering, bulk jobs.

Nothing in the register is ever deleted and an issued certificate's number, code and snapshot never change:
the ORM refuses both (see the guards at the bottom), and the database enforces uniqueness.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event, inspect, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import check_in
from ..core.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..courses.models import Course

REQUESTED, ISSUED, REJECTED = "requested", "issued", "rejected"
REQUEST_STATES = (REQUESTED, ISSUED, REJECTED)
VALID, REVOKED = "valid", "revoked"
CERTIFICATE_STATUSES = (VALID, REVOKED)
QUEUED, RUNNING, FINISHED, FAILED = "queued", "running", "finished", "failed"
JOB_STATES = (QUEUED, RUNNING, FINISHED, FAILED)
# What a certificate certifies: completing a course, or holding a role of the standard (its competence profile).
KIND_COURSE, KIND_ROLE = "course", "role"
KINDS = (KIND_COURSE, KIND_ROLE)
KEPT = "kept"
REVIEW_DECISIONS = (KEPT, REVOKED)


class IssuerProfile(db.Model):
    """The organiser's branding and certificate settings: a single row (id = 1) edited by an admin."""

    __tablename__ = "certificate_issuer_profile"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")  # one address line per text line
    logo_file: Mapped[str | None] = mapped_column(String(100))  # content-addressed file under uploads/branding/
    signatory_name: Mapped[str] = mapped_column(String(150))
    signatory_function: Mapped[str] = mapped_column(String(200))
    place_of_issue: Mapped[str] = mapped_column(String(100))
    number_prefix: Mapped[str] = mapped_column(String(20))
    show_birth_date: Mapped[bool] = mapped_column(default=True)
    show_birth_place: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in (self.address or "").splitlines() if line.strip()]

    @property
    def needs_birth_data(self) -> bool:
        return self.show_birth_date or self.show_birth_place


class CertificateRequest(db.Model):
    """A learner's request for a certificate; one row per person and course, or per person and role (a rejected
    one may be renewed)."""

    __tablename__ = "certificate_requests"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        UniqueConstraint("user_id", "role_code"),
        CheckConstraint(check_in("state", REQUEST_STATES), name="state_known"),
        CheckConstraint(
            "(kind = 'course' AND course_id IS NOT NULL AND role_code IS NULL)"
            " OR (kind = 'role' AND course_id IS NULL AND role_code IS NOT NULL)",
            name="kind_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default=KIND_COURSE, server_default=KIND_COURSE)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    role_code: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(12), default=REQUESTED)
    reason: Mapped[str | None] = mapped_column(Text)
    birth_date: Mapped[date | None] = mapped_column(info={"personal": True})
    birth_place: Mapped[str | None] = mapped_column(String(100), info={"personal": True})
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course | None] = relationship()


class CertificateSequence(db.Model):
    """Last number used per register prefix and year; its row is locked while a number is taken."""

    __tablename__ = "certificate_sequences"

    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    """An issued certificate: its register number and a frozen snapshot of everything it certifies."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("issuer_prefix", "year", "seq"),
        CheckConstraint(check_in("status", CERTIFICATE_STATUSES), name="status_known"),
        CheckConstraint("seq > 0", name="seq_positive"),
        # At most one valid certificate per person and course: bulk re-runs and double clicks cannot duplicate.
        Index(
            "uq_certificates_valid_user_course",
            "user_id",
            "course_id",
            unique=True,
            sqlite_where=text("status = 'valid'"),
            postgresql_where=text("status = 'valid'"),
        ),
        # …and at most one valid role certificate per person and role.
        Index(
            "uq_certificates_valid_user_role",
            "user_id",
            "role_code",
            unique=True,
            sqlite_where=text("status = 'valid' AND kind = 'role'"),
            postgresql_where=text("status = 'valid' AND kind = 'role'"),
        ),
        CheckConstraint(check_in("kind", KINDS), name="kind_known"),
        CheckConstraint("(kind = 'course' AND role_code IS NULL) OR (kind = 'role' AND role_code IS NOT NULL)", name="kind_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    issuer_prefix: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    seq: Mapped[int]
    verification_code: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default=KIND_COURSE, server_default=KIND_COURSE)
    role_code: Mapped[str | None] = mapped_column(String(40), index=True)
    valid_until: Mapped[date | None] = mapped_column(index=True)  # None: does not expire (copied from the snapshot)
    holder_name: Mapped[str] = mapped_column(String(150), index=True, info={"personal": True})
    course_title: Mapped[str] = mapped_column(String(300))
    snapshot: Mapped[dict] = mapped_column(JSON, info={"personal": True})  # holder name and birth data as printed
    status: Mapped[str] = mapped_column(String(10), default=VALID, index=True)
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reissue_of_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="RESTRICT"), index=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    reissue_of: Mapped[Certificate | None] = relationship(remote_side=[id], foreign_keys=[reissue_of_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<Certificate {self.number} {self.status}>"

    @property
    def is_role(self) -> bool:
        return self.kind == KIND_ROLE


class RoleCertificateSetting(db.Model):
    """The issuer's settings for one role certificate: how long it stays valid (None: it does not expire)."""

    __tablename__ = "certificate_role_settings"
    __table_args__ = (CheckConstraint("validity_months IS NULL OR validity_months BETWEEN 1 AND 240", name="validity_range"),)

    role_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    validity_months: Mapped[int | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CertificateReview(db.Model):
    """A role certificate the issuer must look at again because evidence it rested on was withdrawn."""

    __tablename__ = "certificate_reviews"
    __table_args__ = (
        UniqueConstraint("certificate_id", "evidence_id"),
        CheckConstraint(f"decision IS NULL OR {check_in('decision', REVIEW_DECISIONS)}", name="decision_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="RESTRICT"), index=True)
    evidence_id: Mapped[int]  # the withdrawn evidence (competencies domain), kept as a plain number
    competence_code: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    decision: Mapped[str | None] = mapped_column(String(10))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]

    certificate: Mapped[Certificate] = relationship()


class BulkJob(db.Model):
    """A background bulk issuance: who asked, for whom, how far it got, and where the ZIP of PDFs is."""

    __tablename__ = "certificate_bulk_jobs"
    __table_args__ = (
        CheckConstraint(check_in("state", JOB_STATES), name="state_known"),
        CheckConstraint("(course_id IS NULL) <> (role_code IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    role_code: Mapped[str | None] = mapped_column(String(40))  # a bulk issue of role certificates (course_id NULL)
    period_from: Mapped[date | None]
    period_to: Mapped[date | None]
    user_ids: Mapped[list] = mapped_column(JSON, default=list)  # the people to issue for, fixed when queued
    send_email: Mapped[bool] = mapped_column(default=False)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    error: Mapped[str | None] = mapped_column(Text)
    zip_path: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # The lease of the worker running the job: it beats heartbeat_at at every committed batch; a job whose
    # heartbeat is older than CERTIFICATE_BULK_STALLED_AFTER lost its worker and may be resumed by another.
    runner: Mapped[str | None] = mapped_column(String(32))
    heartbeat_at: Mapped[datetime | None]

    course: Mapped[Course | None] = relationship()

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * (self.done + self.failed) / self.total))


class RegisterIntegrityError(RuntimeError):
    """Raised when code tries to delete from the register or rewrite an issued certificate."""


IMMUTABLE_FIELDS = (
    "number", "issuer_prefix", "year", "seq", "verification_code", "snapshot", "pdf_sha256", "issued_at", "reissue_of_id",
    "kind", "role_code", "valid_until",
)  # fmt: skip


@event.listens_for(Certificate, "before_delete")
@event.listens_for(CertificateSequence, "before_delete")
def _refuse_delete(mapper, connection, target):  # noqa: ARG001 - SQLAlchemy event signature
    raise RegisterIntegrityError("Nothing is ever deleted from the certificate register.")


ERASABLE_SNAPSHOT_FIELDS = ("birth_date", "birth_place", "recipient_hash", "recipient_salt")  # cleared on account erasure


def _only_erasure(history) -> bool:
    """The one permitted change to a snapshot: birth data removed (RODO erasure); everything else stays as printed."""
    if not history.deleted or not history.added:
        return False
    old, new = history.deleted[0] or {}, history.added[0] or {}
    kept = set(old) | set(new)
    unchanged = all(old.get(k) == new.get(k) for k in kept - set(ERASABLE_SNAPSHOT_FIELDS))
    return unchanged and all(new.get(k) is None for k in ERASABLE_SNAPSHOT_FIELDS)


@event.listens_for(Certificate, "before_update")
def _refuse_rewrite(mapper, connection, target):  # noqa: ARG001 - SQLAlchemy event signature
    state = inspect(target)
    changed = [
        name
        for name in IMMUTABLE_FIELDS
        if state.attrs[name].history.deleted and not (name == "snapshot" and _only_erasure(state.attrs[name].history))
    ]
    if changed:
        raise RegisterIntegrityError(f"An issued certificate cannot be changed ({', '.join(changed)}); revoke and re-issue it.")
