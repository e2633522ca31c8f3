"""Bulk issuance as a resumable background job (elearn.core.jobs).

People are issued in batches, each batch in one short transaction (numbers, rows, PDF hashes and the job's
progress together): a crash rolls back the open batch and its numbers with it, and a person who already holds a
valid certificate is skipped, so re-running a job resumes where it stopped without duplicates or burnt numbers.
Each PDF is rendered once, from its frozen snapshot, in a process pool spread over the cores
(CERTIFICATE_RENDER_PROCESSES); while the pool renders one batch, this process reads the next batch's snapshots.
The ZIP at the end is built from the PDFs stored at issue.

A run holds the job by a lease (`runner`, `heartbeat_at`): it claims the job in one conditional UPDATE and beats
the heartbeat in every batch's transaction. A worker killed mid-job (kill -9, a lost machine) stops beating; after
CERTIFICATE_BULK_STALLED_AFTER seconds the job counts as stalled and the issuer (or a new worker) resumes it. A
second run started while the first is alive claims nothing and returns, and a run that finds its lease taken over
stops before committing, so two workers never issue the same job at once.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import secrets
import zipfile
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, lazyload

from ..accounts.models import User
from ..competencies.services import levels_for_users
from ..core.audit import audit
from ..core.timeutil import to_local, utcnow
from ..courses.models import Course, Enrolment
from ..extensions import db
from . import numbering, roles, services
from .models import FAILED, FINISHED, QUEUED, RUNNING, VALID, BulkJob, Certificate, CertificateRequest
from .pdf import register_fonts
from .snapshot import CertificateSnapshot

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


class LeaseLost(Exception):
    """Another run took this job over (ours was thought dead): stop without committing."""


def stalled_after() -> timedelta:
    return timedelta(seconds=float(current_app.config.get("CERTIFICATE_BULK_STALLED_AFTER", 600)))


def is_stalled(job: BulkJob, now: datetime | None = None) -> bool:
    """Running, but its worker has not committed a batch for longer than CERTIFICATE_BULK_STALLED_AFTER."""
    if job.state != RUNNING:
        return False
    return job.heartbeat_at is None or job.heartbeat_at < (now or utcnow()) - stalled_after()


def resumable(job: BulkJob) -> bool:
    return job.state in (FAILED, QUEUED) or is_stalled(job)


def _claim(session: Session, job_id: int) -> str | None:
    """Take the job's lease if it is free (queued, failed or stalled); None when another run holds it."""
    token = secrets.token_hex(16)
    now = utcnow()
    free = or_(
        BulkJob.state.in_((QUEUED, FAILED)),
        and_(BulkJob.state == RUNNING, or_(BulkJob.heartbeat_at.is_(None), BulkJob.heartbeat_at < now - stalled_after())),
    )
    claimed = session.execute(
        update(BulkJob).where(BulkJob.id == job_id, free).values(state=RUNNING, runner=token, heartbeat_at=now, error=None, failed=0)
    )
    return token if claimed.rowcount == 1 else None


def _beat(session: Session, job_id: int, token: str) -> None:
    """Renew the lease inside the batch's transaction; raises LeaseLost if another run holds it now."""
    renewed = session.execute(
        update(BulkJob).where(BulkJob.id == job_id, BulkJob.runner == token).values(heartbeat_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    if renewed.rowcount != 1:
        raise LeaseLost(job_id)


def run_bulk_job(job_id: int) -> None:
    """The job body (queued by path): issue what is missing, then write the ZIP. Safe to run again."""
    session = db.session
    job = session.get(BulkJob, job_id)
    if job is None or job.state == FINISHED:
        return
    token = _claim(session, job_id)
    if token is None:
        session.rollback()
        log.info("Bulk job %s is held by a live run: nothing to do", job_id)
        return
    job = session.get(BulkJob, job_id)
    session.refresh(job)
    job.done = _issued_count(session, job)
    session.commit()
    try:
        if job.role_code:
            _run_role_job(session, job_id, job, token)
        else:
            _run_course_job(session, job_id, job, token)
        job = session.get(BulkJob, job_id)
        _beat(session, job_id, token)
    except LeaseLost:
        session.rollback()
        log.warning("Bulk job %s was taken over by another run; this one stops", job_id)
        return
    job.zip_path = str(_write_zip(session, job).relative_to(current_app.instance_path))
    job.state = FINISHED
    job.finished_at = utcnow()
    session.commit()


def _run_role_job(session: Session, job_id: int, job: BulkJob, token: str) -> None:
    """Role certificates, one transaction each: eligibility is read from the levels at the moment of issue."""
    for user_id in job.user_ids:
        if _already_holds(session, job, user_id):
            continue
        user = session.get(User, user_id)
        try:
            if user is None:
                raise services.NotEligible(_l("There is no person with the identifier %(id)s.", id=user_id))
            roles.issue_role_certificate(session, user, job.role_code, issued_by_id=job.requested_by_id, email_holder=job.send_email)
            job.done += 1
            _beat(session, job_id, token)
            session.commit()  # the holder's e-mail (with the PDF) is queued once this commits
        except services.NotEligible as refusal:
            session.rollback()
            job = session.get(BulkJob, job_id)
            job.failed += 1
            log.info("Bulk job %s skipped user %s: %s", job_id, user_id, refusal.english())
            session.commit()
        except LeaseLost:
            raise
        except Exception as error:
            session.rollback()
            job = session.get(BulkJob, job_id)
            job.state = FAILED
            job.error = f"{type(error).__name__}: {error}"[:500]
            session.commit()
            raise


def _run_course_job(session: Session, job_id: int, job: BulkJob, token: str) -> None:
    """Course certificates in batches: numbers allocated in short transactions, PDFs rendered in a process pool."""
    course = session.get(Course, job.course_id)
    holders = _holders(session, job.course_id, job.user_ids)
    pending = [user_id for user_id in job.user_ids if user_id not in holders]
    batch_size = max(1, int(current_app.config.get("CERTIFICATE_BULK_BATCH", 32)))
    batches = [pending[i : i + batch_size] for i in range(0, len(pending), batch_size)]
    context = services.IssueContext()
    try:
        with _render_pool(len(pending)) as pool:
            prepared = _prepare(session, job, course, batches[0], context) if batches else []
            for index in range(len(batches)):
                # Someone may have issued one of these by hand since they were read: skip them, do not collide.
                issued_meanwhile = _holders(session, course.id, [user.id for user, _snapshot in prepared])
                prepared = [(user, snapshot) for user, snapshot in prepared if user.id not in issued_meanwhile]
                allocated = _allocate(session, course, prepared, context)
                logo_dir = services.branding_dir()
                renders = [_submit(pool, a.snapshot, logo_dir) for a in allocated]
                # Read the next batch while the pool renders this one (same transaction: reads only).
                following = _prepare(session, job, course, batches[index + 1], context) if index + 1 < len(batches) else []
                items = [(item, render.result()) for item, render in zip(allocated, renders, strict=True)]
                services.record_certificates(session, items, issued_by_id=job.requested_by_id, now=utcnow(), email_holder=job.send_email)
                job.done += len(allocated)
                _beat(session, job_id, token)
                session.commit()  # the holders' e-mails (with the stored PDFs) are queued once this commits
                prepared = following
    except LeaseLost:
        raise
    except Exception as error:
        session.rollback()
        job = session.get(BulkJob, job_id)
        job.state = FAILED
        job.error = f"{type(error).__name__}: {error}"[:500]
        session.commit()
        raise


def _already_holds(session: Session, job: BulkJob, user_id: int) -> bool:
    return roles.valid_role_certificate(session, user_id, job.role_code) is not None


def _job_target(job: BulkJob):
    return Certificate.role_code == job.role_code if job.role_code else Certificate.course_id == job.course_id


def _holders(session: Session, course_id: int, user_ids: list[int]) -> set[int]:
    """Who among user_ids already holds a valid certificate for the course (one query)."""
    if not user_ids:
        return set()
    query = select(Certificate.user_id).where(
        Certificate.course_id == course_id, Certificate.status == VALID, Certificate.user_id.in_(user_ids)
    )
    return set(session.scalars(query))


def _prepare(
    session: Session, job: BulkJob, course: Course, user_ids: list[int], context: services.IssueContext
) -> list[tuple[User, CertificateSnapshot]]:
    """Eligibility and frozen snapshot (number-less) for each person of a batch, from a handful of queries for the
    whole batch (people, enrolments, certificates held, requests, levels); refusals are counted and logged."""
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)).options(lazyload(User.role_rows)))}
    enrolments = {
        e.user_id: e for e in session.scalars(select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id.in_(user_ids)))
    }
    held = {
        c.user_id: c
        for c in session.scalars(
            select(Certificate).where(Certificate.course_id == course.id, Certificate.status == VALID, Certificate.user_id.in_(user_ids))
        )
    }
    requests = {
        r.user_id: r
        for r in session.scalars(
            select(CertificateRequest).where(CertificateRequest.course_id == course.id, CertificateRequest.user_id.in_(user_ids))
        )
    }
    eligible = []
    for user_id in user_ids:
        user = users.get(user_id)
        if user is None:
            refusal = services.NotEligible(_l("There is no person with the identifier %(id)s.", id=user_id))
        else:
            refusal = services.eligibility_refusal(user, course, enrolments.get(user_id), lambda uid=user_id: held.get(uid))
        if refusal is not None:
            job.failed += 1
            log.info("Bulk job %s skipped user %s: %s", job.id, user_id, refusal.english())
            continue
        eligible.append((user, enrolments[user_id]))
    programmes = [context.programme(session, enrolment) for _user, enrolment in eligible]
    codes = sorted({code for programme in programmes if programme for code in programme.competences})
    levels = levels_for_users(session, [user.id for user, _e in eligible], codes)
    issue_date = to_local(utcnow()).date()
    return [
        (user, services.build_snapshot(
            session, enrolment, issue_date=issue_date, context=context, request=requests.get(user.id), levels=levels[user.id]
        ))
        for user, enrolment in eligible
    ]  # fmt: skip


def _allocate(
    session: Session, course: Course, prepared: list[tuple[User, CertificateSnapshot]], context: services.IssueContext
) -> list[services.Allocated]:
    """Numbers for the whole batch in one locked update (consecutive, in the batch's transaction: gap-free)."""
    if not prepared:
        return []
    prefix = context.issuer(session).number_prefix
    by_year: dict[int, list[int]] = {}
    for index, (_user, snapshot) in enumerate(prepared):
        by_year.setdefault(snapshot.issue_date.year, []).append(index)
    seqs: dict[int, int] = {}
    for year, indexes in by_year.items():
        seqs.update(zip(indexes, numbering.allocate_numbers(session, prefix, year, len(indexes)), strict=True))
    return [services.allocate(session, user, course, snapshot, context, seq=seqs[i]) for i, (user, snapshot) in enumerate(prepared)]


class _InProcess:
    """An executor-like renderer for one core or small jobs: no pool start-up cost."""

    def submit(self, fn, *args):
        future: Future = Future()
        future.set_result(fn(*args))
        return future


def _submit(pool, snapshot: CertificateSnapshot, logo_dir: Path) -> Future:
    return pool.submit(_render, snapshot, logo_dir)


def _render(snapshot: CertificateSnapshot, logo_dir: Path) -> bytes:
    return services.render_certificate(snapshot, logo_dir=logo_dir)


def render_processes(pending: int) -> int:
    """How many processes render PDFs: CERTIFICATE_RENDER_PROCESSES (default: the number of cores); one for small jobs,
    where starting a pool costs more than it saves."""
    configured = current_app.config.get("CERTIFICATE_RENDER_PROCESSES") or os.cpu_count() or 1
    minimum = int(current_app.config.get("CERTIFICATE_POOL_MIN_JOB", 50))
    return 1 if pending < minimum else max(1, int(configured))


@contextmanager
def _render_pool(pending: int) -> Iterator[Executor | _InProcess]:
    processes = render_processes(pending)
    if processes <= 1:
        yield _InProcess()
        return
    # fork: the children inherit the imported modules (ReportLab, fonts) and only render; they never touch the database.
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"), initializer=register_fonts) as pool:
        yield pool


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
