"""Bulk issuance as a resumable background job (elearn.core.jobs).

Each certificate is issued in its own short transaction (number, row, PDF hash and the job's progress together),
and a person who already holds a valid certificate for the course is skipped, so re-running a job after a crash
resumes where it stopped without duplicates or burnt numbers. The ZIP of PDFs is built at the end from the
frozen snapshots.
"""

from __future__ import annotations

import logging
import zipfile
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..core.audit import audit
from ..core.timeutil import utcnow
from ..courses.models import Course
from ..extensions import db
from . import roles, services
from .models import FAILED, FINISHED, QUEUED, RUNNING, VALID, BulkJob, Certificate

log = logging.getLogger(__name__)


def create_job(
    session: Session,
    course: Course,
    *,
    user_ids: list[int],
    period_from: date | None,
    period_to: date | None,
    send_email: bool,
    requested_by_id: int | None,
) -> BulkJob:
    job = BulkJob(
        course_id=course.id,
        user_ids=sorted(set(user_ids)),
        period_from=period_from,
        period_to=period_to,
        send_email=send_email,
        requested_by_id=requested_by_id,
        total=len(set(user_ids)),
        state=QUEUED,
    )
    session.add(job)
    session.flush()
    audit(session, "certificates.bulk", actor_id=requested_by_id, target=job, course=course.slug, total=job.total)
    return job


def create_role_job(session: Session, role_code: str, *, user_ids: list[int], send_email: bool, requested_by_id: int | None) -> BulkJob:
    """A bulk issue of one role's certificates to everyone who meets its profile (fixed when queued)."""
    job = BulkJob(
        course_id=None,
        role_code=role_code,
        user_ids=sorted(set(user_ids)),
        send_email=send_email,
        requested_by_id=requested_by_id,
        total=len(set(user_ids)),
        state=QUEUED,
    )
    session.add(job)
    session.flush()
    audit(session, "certificates.bulk", actor_id=requested_by_id, target=job, role=role_code, total=job.total)
    return job


def eligible_user_ids(session: Session, course: Course, period_from: date | None, period_to: date | None) -> list[int]:
    query = services.eligible_enrolments_query(course_id=course.id, period_from=period_from, period_to=period_to)
    return [e.user_id for e in session.scalars(query)]


def zip_dir() -> Path:
    return Path(current_app.instance_path) / "certificates" / "bulk"


def run_bulk_job(job_id: int) -> None:
    """The job body (queued by path): issue what is missing, then write the ZIP. Safe to run again."""
    session = db.session
    job = session.get(BulkJob, job_id)
    if job is None or job.state == FINISHED:
        return
    job.state = RUNNING
    job.error = None
    job.failed = 0
    job.done = _issued_count(session, job)
    session.commit()
    course = session.get(Course, job.course_id) if job.course_id else None
    for user_id in job.user_ids:
        if _already_holds(session, job, user_id):
            continue
        user = session.get(User, user_id)
        try:
            if user is None:
                raise services.NotEligible(_l("There is no person with the identifier %(id)s.", id=user_id))
            if job.role_code:
                roles.issue_role_certificate(session, user, job.role_code, issued_by_id=job.requested_by_id, email_holder=job.send_email)
            else:
                services.issue_certificate(session, user, course, issued_by_id=job.requested_by_id, email_holder=job.send_email)
            job.done += 1
            session.commit()  # the holder's e-mail (with the PDF) is queued once this commits
        except services.NotEligible as refusal:
            session.rollback()
            job = session.get(BulkJob, job_id)
            job.failed += 1
            log.info("Bulk job %s skipped user %s: %s", job_id, user_id, refusal.english())
            session.commit()
        except Exception as error:
            session.rollback()
            job = session.get(BulkJob, job_id)
            job.state = FAILED
            job.error = f"{type(error).__name__}: {error}"[:500]
            session.commit()
            raise
    job.zip_path = str(_write_zip(session, job).relative_to(current_app.instance_path))
    job.state = FINISHED
    job.finished_at = utcnow()
    session.commit()


def _already_holds(session: Session, job: BulkJob, user_id: int) -> bool:
    if job.role_code:
        return roles.valid_role_certificate(session, user_id, job.role_code) is not None
    return services.valid_certificate(session, user_id, job.course_id) is not None


def _job_target(job: BulkJob):
    return Certificate.role_code == job.role_code if job.role_code else Certificate.course_id == job.course_id


def _issued_count(session: Session, job: BulkJob) -> int:
    if not job.user_ids:
        return 0
    rows = session.scalars(
        select(Certificate.id).where(_job_target(job), Certificate.status == VALID, Certificate.user_id.in_(job.user_ids))
    )
    return len(list(rows))


def job_certificates(session: Session, job: BulkJob) -> list[Certificate]:
    if not job.user_ids:
        return []
    return list(
        session.scalars(
            select(Certificate)
            .where(_job_target(job), Certificate.status == VALID, Certificate.user_id.in_(job.user_ids))
            .order_by(Certificate.seq)
        )
    )


def _write_zip(session: Session, job: BulkJob) -> Path:
    directory = zip_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"zaswiadczenia-{job.id}.zip"
    partial = path.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in job_certificates(session, job):
            info = zipfile.ZipInfo(services.pdf_filename(certificate), date_time=certificate.issued_at.timetuple()[:6])
            archive.writestr(info, services.certificate_pdf(certificate))
    partial.replace(path)
    return path
