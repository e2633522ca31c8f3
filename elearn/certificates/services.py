"""Issuing, rejecting, revoking and re-issuing certificates; eligibility; learner requests; verification.

Services take a session and flush; the view, CLI command or job that called them commits once, so a
certificate's number, row and PDF hash are written together or not at all.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, joinedload, object_session

from ..accounts.models import ISSUER, User, UserRole
from ..competencies.services import competence_names, levels_for_codes, levels_for_users, scale_names
from ..core.audit import audit
from ..core.errors import DomainError
from ..core.files import check_upload
from ..core.notifications import notify, path_for
from ..core.timeutil import to_local, utcnow
from ..core.urls import external_url, public_base_url
from ..courses.models import Course, Enrolment
from ..courses.services.catalogue import Programme, course_programme
from . import notifications as kinds
from . import numbering
from .badges import RECIPIENT_NAME, Issuance, build_badge, build_role_badge, email_identifier, name_identifier, new_salt
from .models import (
    ISSUED,
    KIND_COURSE,
    REJECTED,
    REQUESTED,
    REVOKED,
    VALID,
    Certificate,
    CertificateRequest,
    CertificateReview,
    IssuerProfile,
)
from .pdf import render_certificate, sha256
from .role_pdf import render_role_certificate
from .snapshot import AttainedCompetence, CertificateSnapshot, RoleSnapshot, Topic, load_snapshot

DEFAULT_PROFILE = {
    "name": "Regionalny Ośrodek Polityki Społecznej w Toruniu",
    "address": "ul. Słowackiego 114\n87-100 Toruń",
    "signatory_name": "Osoba upoważniona przez Dyrektora",
    "signatory_function": "Dyrektor Regionalnego Ośrodka Polityki Społecznej w Toruniu",
    "place_of_issue": "Toruń",
    "number_prefix": "ROPS-KP",
    "show_birth_date": True,
    "show_birth_place": True,
}


class NotEligible(DomainError):
    """The person cannot get this certificate now, or the certificate cannot change state; the message says why."""


# --- settings ------------------------------------------------------------------------------------------------


BRANDING_FIELDS = (
    "name",
    "address",
    "signatory_name",
    "signatory_function",
    "place_of_issue",
    "number_prefix",
    "show_birth_date",
    "show_birth_place",
)


def issuer_profile(session: Session) -> IssuerProfile:
    """The issuer's profile; the ROPS defaults, unsaved, until setup or an admin stores it, so reading never writes."""
    return session.get(IssuerProfile, 1) or IssuerProfile(id=1, **DEFAULT_PROFILE)


def ensure_issuer_profile(session: Session) -> bool:
    """Setup step: store the default profile unless there is one; True when it was created. Flushes."""
    if session.get(IssuerProfile, 1) is not None:
        return False
    session.add(IssuerProfile(id=1, **DEFAULT_PROFILE))
    session.flush()
    return True


def update_branding(
    session: Session, *, values: dict, logo: bytes | None = None, remove_logo: bool = False, actor_id: int
) -> IssuerProfile:
    """An admin changes the issuer's branding (for certificates issued from now on): the logo is checked by the one
    core upload path (UploadRejected names the problem), then everything is stored, flushed and audited."""
    profile = session.get(IssuerProfile, 1)
    if profile is None:
        profile = IssuerProfile(id=1, **DEFAULT_PROFILE)
        session.add(profile)
    logo_file = profile.logo_file
    if logo is not None:
        checked = check_upload(logo, types_key="LOGO_TYPES", limit_key="LOGO_MAX_BYTES", wrong_type=_l("Upload a PNG or JPEG image."))
        logo_file = store_logo(logo, checked.kind)
    if remove_logo:
        logo_file = None
    for name in BRANDING_FIELDS:
        setattr(profile, name, values[name])
    profile.logo_file = logo_file
    session.flush()
    audit(session, "certificates.branding", actor_id=actor_id, target=profile, prefix=profile.number_prefix)
    return profile


def branding_dir() -> Path:
    return Path(current_app.instance_path) / "uploads" / "branding"


def store_logo(data: bytes, extension: str) -> str:
    """Logos are stored under their content hash and never overwritten, so issued PDFs keep rendering identically."""
    name = f"{hashlib.sha256(data).hexdigest()[:32]}.{extension}"
    directory = branding_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if not path.exists():
        path.write_bytes(data)
    return name


def recipient_identity(user: User) -> dict[str, str]:
    """The Open Badge holder identity frozen into a new snapshot: the e-mail's salted SHA-256 and the salt."""
    salt = new_salt()
    return {"recipient_hash": email_identifier(user.email, salt)["identityHash"], "recipient_salt": salt}


SUBJECT_NAMESPACE = uuid.UUID("0b5e3c1e-5d0a-4f2e-9a63-3f4f7c2b8d41")  # credentialSubject.id = uuid5(this, code)


def verification_url(code: str) -> str:
    """The address printed in the QR code and e-mails: always on PUBLIC_BASE_URL."""
    return external_url("certificates.verify", code=code)


# --- eligibility ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueEntry:
    enrolment: Enrolment
    user: User
    course: Course
    hours: int
    competences: list[tuple[str, str, int]]  # code, name, level
    request: CertificateRequest | None


def _valid_certificate_exists():
    return exists().where(
        and_(Certificate.user_id == Enrolment.user_id, Certificate.course_id == Enrolment.course_id, Certificate.status == VALID)
    )


def eligible_enrolments_query(
    *, course_id: int | None = None, period_from: date | None = None, period_to: date | None = None, include_rejected: bool = False
):
    """THE eligibility rule: a completed enrolment of an active account with no valid certificate for that course.

    The issuer's queue leaves out people whose request was rejected (until they ask again).
    """
    query = (
        select(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.completed_at.is_not(None), User.erased_at.is_(None), User.active.is_(True), ~_valid_certificate_exists())
    )
    if not include_rejected:
        rejected = exists().where(
            and_(
                CertificateRequest.user_id == Enrolment.user_id,
                CertificateRequest.course_id == Enrolment.course_id,
                CertificateRequest.state == REJECTED,
            )
        )
        query = query.where(~rejected)
    if course_id:
        query = query.where(Enrolment.course_id == course_id)
    if period_from:
        query = query.where(Enrolment.completed_at >= datetime.combine(period_from, datetime.min.time()))
    if period_to:
        query = query.where(Enrolment.completed_at < datetime.combine(period_to, datetime.max.time()))
    return query.order_by(Enrolment.completed_at, Enrolment.id)


def check_eligibility(session: Session, user: User, course: Course) -> Enrolment:
    """The enrolment a certificate would certify, or NotEligible with the reason."""
    enrolment = session.scalar(select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))
    refusal = eligibility_refusal(user, course, enrolment, lambda: valid_certificate(session, user.id, course.id))
    if refusal is not None:
        raise refusal
    return enrolment


def eligibility_refusal(user: User, course: Course, enrolment: Enrolment | None, existing) -> NotEligible | None:
    """Why this person cannot receive the course's certificate (None when they can), from rows already read;
    `existing()` returns their valid certificate for the course, if any (read only when it matters)."""
    if user.erased_at is not None or not user.active:
        return NotEligible(_l("The account %(email)s is inactive or deleted.", email=user.email))
    if enrolment is None or enrolment.completed_at is None:
        return NotEligible(
            _l(
                "%(name)s has not completed the course “%(course)s”, so cannot receive a certificate.",
                name=user.full_name,
                course=course.title,
            )
        )
    held = existing()
    if held is not None:
        return NotEligible(
            _l(
                "%(name)s already holds valid certificate no. %(number)s for the course “%(course)s”.",
                name=user.full_name,
                number=held.number,
                course=course.title,
            )
        )
    return None


def valid_certificate(session: Session, user_id: int, course_id: int) -> Certificate | None:
    return session.scalar(
        select(Certificate).where(Certificate.user_id == user_id, Certificate.course_id == course_id, Certificate.status == VALID)
    )


def _programme(session: Session, enrolment: Enrolment) -> Programme | None:
    """The programme of the course version the person completed (the latest published one if not recorded)."""
    return course_programme(session, enrolment.course_id, enrolment.completed_version or None)


def _evidenced(programme: Programme | None, levels: dict[str, int], names: dict[str, str]) -> list[tuple[str, str, int]]:
    codes = programme.competences if programme else {}
    return [(code, names.get(code, code), levels[code]) for code in sorted(codes) if levels.get(code, 0) > 0]


def evidenced_competences(session: Session, user_id: int, programme: Programme | None) -> list[tuple[str, str, int]]:
    """(code, name, level) for the competences the course's modules address, at the person's current level (> 0)."""
    codes = list(programme.competences) if programme else []
    return _evidenced(programme, levels_for_codes(session, user_id, codes), competence_names(session, codes))


def issuer_queue_query(*, course_id: int | None = None, period_from: date | None = None, period_to: date | None = None):
    """Eligible enrolments, oldest completion first, with course, person and institution in the same query (for
    pagination: the page's rows become entries with queue_entries)."""
    return eligible_enrolments_query(course_id=course_id, period_from=period_from, period_to=period_to).options(
        joinedload(Enrolment.course), joinedload(Enrolment.user).joinedload(User.institution)
    )


def issuer_queue(
    session: Session, *, course_id: int | None = None, period_from: date | None = None, period_to: date | None = None, limit: int = 500
) -> list[QueueEntry]:
    query = issuer_queue_query(course_id=course_id, period_from=period_from, period_to=period_to).limit(limit)
    return queue_entries(session, list(session.scalars(query)))


def issuer_overview(session: Session, *, rows: int) -> dict:
    """What the issuer's dashboard shows: the number waiting, the oldest few, the latest register entries."""
    waiting = session.scalar(select(func.count()).select_from(eligible_enrolments_query().order_by(None).subquery()))
    recent = session.scalars(select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc()).limit(rows))
    return {"waiting": waiting or 0, "oldest": issuer_queue(session, limit=rows), "recent": list(recent)}


def queue_entries(session: Session, enrolments: list[Enrolment]) -> list[QueueEntry]:
    """Queue rows for these enrolments, in a fixed number of queries whatever their number."""
    if not enrolments:
        return []
    requests = {
        (r.user_id, r.course_id): r
        for r in session.scalars(select(CertificateRequest).where(CertificateRequest.user_id.in_({e.user_id for e in enrolments})))
    }
    programmes: dict[tuple[int, int | None], Programme | None] = {}
    for enrolment in enrolments:
        key = (enrolment.course_id, enrolment.completed_version)
        if key not in programmes:
            programmes[key] = _programme(session, enrolment)
    codes = sorted({code for p in programmes.values() if p for code in p.competences})
    levels = levels_for_users(session, [e.user_id for e in enrolments], codes)
    names = competence_names(session, codes)
    entries = []
    for enrolment in enrolments:
        programme = programmes[(enrolment.course_id, enrolment.completed_version)]
        entries.append(
            QueueEntry(
                enrolment=enrolment,
                user=enrolment.user,
                course=enrolment.course,
                hours=programme.hours if programme else enrolment.course.hours,
                competences=_evidenced(programme, levels[enrolment.user_id], names),
                request=requests.get((enrolment.user_id, enrolment.course_id)),
            )
        )
    return entries


# --- learner requests -----------------------------------------------------------------------------------------


def request_certificate(
    session: Session, user: User, course: Course, *, birth_date: date | None = None, birth_place: str | None = None
) -> CertificateRequest:
    """Ask for a certificate for a completed course; birth data is kept only if the issuer's certificate shows it."""
    check_eligibility(session, user, course)
    profile = issuer_profile(session)
    request = _request_row(session, user, course)
    request.state = REQUESTED
    request.reason = None
    request.decided_at = None
    request.decided_by_id = None
    request.requested_at = utcnow()
    request.birth_date = birth_date if profile.show_birth_date else None
    request.birth_place = (birth_place or None) if profile.show_birth_place else None
    session.flush()
    issuers = session.scalars(
        select(User.id).join(UserRole).where(UserRole.role == ISSUER, User.active.is_(True), User.erased_at.is_(None), User.id != user.id)
    )
    for issuer_id in issuers:
        notify(session, issuer_id, kinds.REQUESTED, {"person": user.full_name, "course": course.title}, path_for("certificates.queue"))
    return request


def _request_row(session: Session, user: User, course: Course) -> CertificateRequest:
    """The one request row per person and course (created on first use): asking again or refusing updates it."""
    request = session.scalar(
        select(CertificateRequest).where(CertificateRequest.user_id == user.id, CertificateRequest.course_id == course.id)
    )
    if request is None:
        request = CertificateRequest(user_id=user.id, course_id=course.id)
        session.add(request)
    return request


def requests_of(session: Session, user_id: int, *, kind: str = KIND_COURSE) -> list[CertificateRequest]:
    return list(
        session.scalars(
            select(CertificateRequest)
            .where(CertificateRequest.user_id == user_id, CertificateRequest.kind == kind)
            .options(joinedload(CertificateRequest.course))
            .order_by(CertificateRequest.requested_at.desc())
        )
    )


def reject(session: Session, user: User, course: Course, *, reason: str, actor_id: int) -> CertificateRequest:
    """Refuse a certificate with a reason the learner sees; works whether or not they had asked."""
    request = _request_row(session, user, course)
    request.state = REJECTED
    request.reason = reason
    request.decided_by_id = actor_id
    request.decided_at = utcnow()
    request.birth_date = None  # not needed once refused
    request.birth_place = None
    session.flush()
    audit(session, "certificates.reject", actor_id=actor_id, target=request, user_id=user.id, course=course.slug, reason=reason)
    notify(session, user.id, kinds.REJECTED, {"course": course.title, "reason": reason}, path_for("certificates.mine"))
    return request


# --- issuing --------------------------------------------------------------------------------------------------


@dataclass
class IssueContext:
    """Reads that do not change from one certificate to the next (issuer profile, scale names, programmes and
    competence names), kept for one issuing call or one bulk job instead of queried per certificate."""

    profile: IssuerProfile | None = None
    scale: dict[int, str] | None = None
    programmes: dict[tuple[int, int | None], Programme | None] = field(default_factory=dict)
    names: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict)

    def issuer(self, session: Session) -> IssuerProfile:
        if self.profile is None:
            self.profile = issuer_profile(session)
        return self.profile

    def programme(self, session: Session, enrolment: Enrolment) -> Programme | None:
        key = (enrolment.course_id, enrolment.completed_version or None)
        if key not in self.programmes:
            self.programmes[key] = _programme(session, enrolment)
        return self.programmes[key]

    def competence_names(self, session: Session, codes: list[str]) -> dict[str, str]:
        key = tuple(codes)
        if key not in self.names:
            self.names[key] = competence_names(session, codes)
        return self.names[key]


_UNREAD = object()


def build_snapshot(
    session: Session,
    enrolment: Enrolment,
    *,
    issue_date: date,
    context: IssueContext | None = None,
    request=_UNREAD,
    levels: dict[str, int] | None = None,
) -> CertificateSnapshot:
    """Everything the certificate will say, read now and frozen (number and URL are added once allocated). A bulk
    job passes the person's request (or None) and levels it read for the whole batch; otherwise they are read here."""
    context = context or IssueContext()
    profile = context.issuer(session)
    user: User = session.get(User, enrolment.user_id)
    course: Course = session.get(Course, enrolment.course_id)
    programme = context.programme(session, enrolment)
    if request is _UNREAD:
        request = session.scalar(
            select(CertificateRequest).where(CertificateRequest.user_id == user.id, CertificateRequest.course_id == course.id)
        )
    if context.scale is None:
        context.scale = scale_names(session)
    scale = context.scale
    codes = list(programme.competences) if programme else []
    if levels is None:
        levels = levels_for_codes(session, user.id, codes)
    evidenced = _evidenced(programme, levels, context.competence_names(session, codes))
    competences = tuple(
        AttainedCompetence(code=code, name=name, level=level, level_name=scale.get(level, str(level))) for code, name, level in evidenced
    )
    return CertificateSnapshot(
        holder_name=user.full_name.strip(),
        course_title=(programme.title if programme else course.title).strip(),
        course_version=programme.version_number if programme else course.content_version,
        course_slug=course.slug,
        hours=float(programme.hours if programme else course.hours),
        period_from=to_local(enrolment.enrolled_at).date(),
        period_to=to_local(enrolment.completed_at).date(),
        organiser=profile.name,
        issuer_name=profile.name,
        issuer_address=tuple(profile.address_lines),
        signatory_name=profile.signatory_name,
        signatory_function=profile.signatory_function,
        place_of_issue=profile.place_of_issue,
        issue_date=issue_date,
        birth_date=request.birth_date if request and profile.show_birth_date else None,
        birth_place=request.birth_place if request and profile.show_birth_place else None,
        logo_file=profile.logo_file,
        topics=tuple(Topic(title=m.title, hours=float(m.hours)) for m in programme.modules) if programme else (),
        competences=competences,
    )


@dataclass(frozen=True)
class Allocated:
    """A certificate whose number and verification code are taken (in the current transaction) but not yet stored."""

    user_id: int
    course_id: int | None
    prefix: str
    year: int
    seq: int
    code: str
    snapshot: CertificateSnapshot


def allocate(
    session: Session, user: User, course: Course | None, snapshot: CertificateSnapshot, context: IssueContext, *, seq: int | None = None
) -> Allocated:
    """Take the next gap-free number (the caller's transaction must store the certificate) and a verification code;
    a bulk job passes `seq` from a block it took with numbering.allocate_numbers in the same transaction."""
    prefix, year = context.issuer(session).number_prefix, snapshot.issue_date.year
    if seq is None:
        seq = numbering.allocate_number(session, prefix, year)
    code = secrets.token_urlsafe(24)
    number = numbering.format_number(prefix, year, seq)
    snapshot = replace(snapshot, number=number, verification_url=verification_url(code), **recipient_identity(user))
    return Allocated(user.id, course.id if course else None, prefix, year, seq, code, snapshot)


def register_certificate(
    session: Session,
    user: User,
    snapshot: CertificateSnapshot,
    *,
    course_id: int | None,
    issued_by_id: int | None,
    reissue_of: Certificate | None = None,
    now: datetime | None = None,
    email_holder: bool = True,
) -> Certificate:
    """Enter a frozen snapshot a higher domain built (a training event's, kind EVENT) in the register: the same
    gap-free numbering, PDF rendered once and stored, hash, audit and notice as a course certificate."""
    course = session.get(Course, course_id) if course_id else None
    allocated = allocate(session, user, course, snapshot, IssueContext())
    pdf = render_certificate(allocated.snapshot, logo_dir=branding_dir())
    return record_certificate(
        session, allocated, pdf, issued_by_id=issued_by_id, reissue_of=reissue_of, now=now or utcnow(), email_holder=email_holder
    )


def issue_certificate(
    session: Session,
    user: User,
    course: Course,
    *,
    issued_by_id: int | None,
    reissue_of: Certificate | None = None,
    now: datetime | None = None,
    email_holder: bool = True,
    context: IssueContext | None = None,
) -> Certificate:
    """Issue one certificate: eligibility, snapshot, gap-free number, PDF (rendered once, stored) and row in the
    caller's transaction.

    The holder is notified in the app, and by e-mail with the PDF unless email_holder is False or they opted out.
    """
    context = context or IssueContext()
    enrolment = check_eligibility(session, user, course)
    now = now or utcnow()
    snapshot = build_snapshot(session, enrolment, issue_date=to_local(now).date(), context=context)
    allocated = allocate(session, user, course, snapshot, context)
    pdf = render_certificate(allocated.snapshot, logo_dir=branding_dir())
    return record_certificate(session, allocated, pdf, issued_by_id=issued_by_id, reissue_of=reissue_of, now=now, email_holder=email_holder)


def record_certificate(
    session: Session,
    allocated: Allocated,
    pdf: bytes,
    *,
    issued_by_id: int | None,
    reissue_of: Certificate | None = None,
    now: datetime,
    email_holder: bool = True,
) -> Certificate:
    """Store an allocated certificate with its rendered PDF: the register row (with the PDF's hash), the PDF file,
    the request's state, the audit entry and the holder's notification, all in the caller's transaction."""
    certificate = _certificate_row(allocated, pdf, issued_by_id=issued_by_id, reissue_of=reissue_of, now=now)
    session.add(certificate)
    session.flush()
    request = session.scalar(
        select(CertificateRequest).where(
            CertificateRequest.user_id == allocated.user_id, CertificateRequest.course_id == allocated.course_id
        )
    )
    _complete(
        session, certificate, allocated, pdf, request, issued_by_id=issued_by_id, reissue_of=reissue_of, now=now, email_holder=email_holder
    )
    return certificate


def record_certificates(
    session: Session, items: list[tuple[Allocated, bytes]], *, issued_by_id: int | None, now: datetime, email_holder: bool = True
) -> list[Certificate]:
    """record_certificate for a bulk job's batch of course certificates: the register rows inserted together and
    the holders' requests read in one query; each PDF, audit entry and notification as for one."""
    if not items:
        return []
    certificates = [_certificate_row(allocated, pdf, issued_by_id=issued_by_id, reissue_of=None, now=now) for allocated, pdf in items]
    session.add_all(certificates)
    session.flush()
    keys = {(allocated.user_id, allocated.course_id) for allocated, _pdf in items}
    requests = {
        (r.user_id, r.course_id): r
        for r in session.scalars(select(CertificateRequest).where(CertificateRequest.user_id.in_({user_id for user_id, _c in keys})))
        if (r.user_id, r.course_id) in keys
    }
    for certificate, (allocated, pdf) in zip(certificates, items, strict=True):
        request = requests.get((allocated.user_id, allocated.course_id))
        _complete(
            session, certificate, allocated, pdf, request, issued_by_id=issued_by_id, reissue_of=None, now=now, email_holder=email_holder
        )
    return certificates


def _certificate_row(
    allocated: Allocated, pdf: bytes, *, issued_by_id: int | None, reissue_of: Certificate | None, now: datetime
) -> Certificate:
    snapshot = allocated.snapshot
    return Certificate(
        number=snapshot.number,
        issuer_prefix=allocated.prefix,
        year=allocated.year,
        seq=allocated.seq,
        verification_code=allocated.code,
        user_id=allocated.user_id,
        course_id=allocated.course_id,
        holder_name=snapshot.holder_name,
        course_title=snapshot.course_title,
        snapshot=snapshot.to_json(),
        status=VALID,
        pdf_sha256=sha256(pdf),
        issued_by_id=issued_by_id,
        issued_at=now,
        reissue_of_id=reissue_of.id if reissue_of else None,
    )


def _complete(
    session: Session,
    certificate: Certificate,
    allocated: Allocated,
    pdf: bytes,
    request: CertificateRequest | None,
    *,
    issued_by_id: int | None,
    reissue_of: Certificate | None,
    now: datetime,
    email_holder: bool,
) -> None:
    """What follows a stored register row: the PDF file, the request's state, the audit entry, the notification."""
    snapshot = allocated.snapshot
    store_pdf(certificate, pdf)
    if request is not None:
        request.state = ISSUED
        request.reason = None
        request.decided_by_id = issued_by_id
        request.decided_at = now
        request.certificate_id = certificate.id
    action = "certificates.reissue" if reissue_of else "certificates.issue"
    audit(
        session,
        action,
        actor_id=issued_by_id,
        target=certificate,
        number=snapshot.number,
        user_id=allocated.user_id,
        course=snapshot.course_slug,
        kind=snapshot.kind,
        reissue_of=reissue_of.number if reissue_of else None,
    )
    notify(  # flushes the audit entry with the notification
        session,
        allocated.user_id,
        kinds.ISSUED,
        {"number": snapshot.number, "course": snapshot.course_title, "certificate_id": certificate.id},
        path_for("certificates.mine"),
        email=email_holder,
    )


# --- stored PDFs: rendered once at issue, kept under instance/certificates/pdf/ ---------------------------------


def pdf_dir() -> Path:
    return Path(current_app.instance_path) / "certificates" / "pdf"


def _pdf_path(certificate: Certificate) -> Path:
    return pdf_dir() / str(certificate.year) / f"{certificate.verification_code}.pdf"


def store_pdf(certificate: Certificate, pdf: bytes) -> None:
    """Keep the issued PDF (named by its unguessable verification code); a rolled-back issue leaves an unreferenced
    file, never a wrong one, since codes are never reused."""
    path = _pdf_path(certificate)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(pdf)
    partial.replace(path)


def stored_pdf(certificate: Certificate) -> bytes | None:
    """The PDF stored at issue, if present and still matching the register's hash."""
    try:
        data = _pdf_path(certificate).read_bytes()
    except OSError:
        return None
    return data if sha256(data) == certificate.pdf_sha256 else None


def revoke(session: Session, certificate: Certificate, *, reason: str, actor_id: int | None) -> Certificate:
    if certificate.status == REVOKED:
        raise NotEligible(_l("Certificate no. %(number)s is already revoked.", number=certificate.number))
    certificate.status = REVOKED
    certificate.revoked_at = utcnow()
    certificate.revoke_reason = reason
    certificate.revoked_by_id = actor_id
    session.flush()
    audit(session, "certificates.revoke", actor_id=actor_id, target=certificate, number=certificate.number, reason=reason)
    for review in session.scalars(select(CertificateReview).where(CertificateReview.certificate_id == certificate.id)):
        if review.decision is None:  # revoking answers every open review of the certificate
            review.decision, review.decided_by_id, review.decided_at = REVOKED, actor_id, certificate.revoked_at
    session.flush()
    if certificate.user_id is not None:
        if certificate.is_role:
            params = {"number": certificate.number, "role": certificate.course_title, "reason": reason}
            notify(session, certificate.user_id, kinds.ROLE_REVOKED, params, path_for("certificates.mine"))
        else:
            params = {"number": certificate.number, "course": certificate.course_title, "reason": reason}
            notify(session, certificate.user_id, kinds.REVOKED, params, path_for("certificates.mine"))
    return certificate


def reissue(session: Session, certificate: Certificate, *, actor_id: int | None) -> Certificate:
    """A new certificate with a new number that references the revoked one (e.g. after a corrected name)."""
    if certificate.status != REVOKED:
        raise NotEligible(_l("Certificate no. %(number)s is valid; revoke it before issuing a new one.", number=certificate.number))
    user = session.get(User, certificate.user_id) if certificate.user_id else None
    course = session.get(Course, certificate.course_id) if certificate.course_id else None
    if user is None or course is None:
        raise NotEligible(_l("The person or the course of this certificate no longer exists in the system."))
    return issue_certificate(session, user, course, issued_by_id=actor_id, reissue_of=certificate)


# --- reading --------------------------------------------------------------------------------------------------


def snapshot_of(certificate: Certificate) -> CertificateSnapshot | RoleSnapshot:
    return load_snapshot(certificate.snapshot)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The stored PDF while valid (re-rendered from the frozen snapshot if the file is missing: identical to what was
    hashed at issuance); once revoked, re-rendered stamped UNIEWAŻNIONE with the date on every page."""
    if certificate.status != REVOKED:
        stored = stored_pdf(certificate)
        if stored is not None:
            return stored
    revoked_on = to_local(certificate.revoked_at).date() if certificate.status == REVOKED and certificate.revoked_at else None
    snapshot = snapshot_of(certificate)
    if isinstance(snapshot, RoleSnapshot):
        return render_role_certificate(snapshot, logo_dir=branding_dir(), revoked_on=revoked_on)
    return render_certificate(snapshot, logo_dir=branding_dir(), revoked_on=revoked_on)


def original_pdf(certificate: Certificate) -> bytes:
    """The document as issued (its SHA-256 is the register's), for checking a holder's copy against the register."""
    stored = stored_pdf(certificate)
    if stored is not None:
        return stored
    snapshot = snapshot_of(certificate)
    if isinstance(snapshot, RoleSnapshot):
        return render_role_certificate(snapshot, logo_dir=branding_dir())
    return render_certificate(snapshot, logo_dir=branding_dir())


def badge_issuer(name: str | None = None) -> dict:
    """The issuer as credentials name it: the profile URL (served as JSON-LD) and the institution's name."""
    return {"id": external_url("certificates.badge_issuer"), "type": ["Profile"], "name": name or "", "url": public_base_url()}


def _identifiers(certificate: Certificate, snapshot: CertificateSnapshot | RoleSnapshot) -> tuple[dict, ...]:
    """How the holder is named in the badge: by default the salted hash of the e-mail frozen at issuance (older
    certificates: of the account's e-mail, salted with a value derived from the secret verification code); the
    plain name when the instance is configured so (OPEN_BADGES_RECIPIENT = "name"); nothing once erased."""
    if current_app.config.get("OPEN_BADGES_RECIPIENT") == RECIPIENT_NAME:
        return (name_identifier(snapshot.holder_name),)
    if snapshot.recipient_hash and snapshot.recipient_salt:
        identifier = email_identifier("", snapshot.recipient_salt)
        return ({**identifier, "identityHash": snapshot.recipient_hash},)
    holder = certificate.user
    if holder is None or holder.erased_at is not None:
        return ()
    return (email_identifier(holder.email, hashlib.sha256(certificate.verification_code.encode()).hexdigest()[:32]),)


def certificate_badge(certificate: Certificate) -> dict:
    """The certificate's Open Badges 3.0 credential (unsigned JSON-LD; signed_badge gives the VC-JWT)."""
    from ..competencies.services.case import item_url
    from ..competencies.services.framework import profile_framework_key
    from .status_list import entry

    snapshot = snapshot_of(certificate)
    framework_key = snapshot.framework_key if isinstance(snapshot, RoleSnapshot) else profile_framework_key(object_session(certificate))
    issuance = Issuance(
        credential_id=snapshot.verification_url or verification_url(certificate.verification_code),
        issuer=badge_issuer(snapshot.issuer_name),
        subject_id="urn:uuid:" + str(uuid.uuid5(SUBJECT_NAMESPACE, certificate.verification_code)),
        identifiers=_identifiers(certificate, snapshot),
        issued_at=certificate.issued_at,
        status=entry(certificate.id),
        alignment_url=lambda code: item_url(framework_key, code),
        base_url=public_base_url(),
    )
    if isinstance(snapshot, RoleSnapshot):
        return build_role_badge(snapshot, issuance)
    return build_badge(snapshot, issuance)


def signed_badge(certificate: Certificate) -> str:
    """The credential signed as a VC-JWT with the issuer's current key (signing.py)."""
    from .signing import sign

    return sign(certificate_badge(certificate))


def pdf_filename(certificate: Certificate) -> str:
    return "zaswiadczenie-" + certificate.number.replace("/", "-") + ".pdf"


def certificates_of(session: Session, user_id: int) -> list[Certificate]:
    return list(session.scalars(select(Certificate).where(Certificate.user_id == user_id).order_by(Certificate.issued_at.desc())))


_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")  # secrets.token_urlsafe alphabet


def by_code(session: Session, code: str) -> Certificate | None:
    if not code or not _CODE_RE.match(code):
        return None
    return session.scalar(select(Certificate).where(Certificate.verification_code == code))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def find_by_number_and_surname(session: Session, number: str, surname: str) -> Certificate | None:
    """The certificate only when the surname matches too, so the form never confirms that a number exists."""
    parsed = numbering.parse_number(number or "")
    if parsed is None or not (surname or "").strip():
        return None
    certificate = session.scalar(select(Certificate).where(Certificate.number == numbering.format_number(*parsed)))
    if certificate is None:
        return None
    holder_parts = [_fold(p) for p in certificate.holder_name.split()]
    wanted = _fold(surname)
    surnames = {holder_parts[-1], *holder_parts[-1].split("-")} if holder_parts else set()
    return certificate if wanted in surnames else None


def valid_certificates_text(session: Session, user_ids: list[int]) -> dict[int, str]:
    """Each person's valid certificates as short text ("number (title); …") for a coordinator's team table."""
    if not user_ids:
        return {}
    query = (
        select(Certificate)
        .where(Certificate.user_id.in_(user_ids), Certificate.status == VALID)
        .order_by(Certificate.issued_at, Certificate.id)
    )
    found: dict[int, list[str]] = {}
    for certificate in session.scalars(query):
        found.setdefault(certificate.user_id, []).append(f"{certificate.number} ({certificate.course_title})")
    return {user_id: "; ".join(items) for user_id, items in found.items()}
