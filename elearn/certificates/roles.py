"""Role certificates: the OSL specialty confirmed by a role's competence profile, through the same register.

Eligibility reads the one levels service (stored levels, which count only assessed, not withdrawn evidence): a
person is eligible for a role when every competence of the role's profile is at its required level. The snapshot
freezes the role, the framework version, each competence with its level, the evidence it rests on (kind and date)
and the indicators of that level, plus the courses (and, through the contribution providers, events) behind it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, joinedload

from ..accounts.models import ISSUER, User, UserRole
from ..competencies import services as competencies
from ..competencies.models import SOURCE_LABELS, Evidence
from ..core.audit import audit
from ..core.formatting import date_param
from ..core.notifications import Reminder, notify, path_for, register_due_provider
from ..core.timeutil import to_local, utcnow
from ..courses.models import Enrolment
from ..courses.services.catalogue import course_programme
from . import notifications as kinds
from . import numbering
from .models import (
    ISSUED,
    KEPT,
    KIND_ROLE,
    REJECTED,
    REQUESTED,
    REVOKED,
    VALID,
    Certificate,
    CertificateRequest,
    CertificateReview,
    RoleCertificateSetting,
)
from .pdf import sha256
from .role_pdf import render_role_certificate
from .services import NotEligible, branding_dir, issuer_profile, recipient_identity, verification_url
from .snapshot import ConfirmedCompetence, Contribution, RoleSnapshot

SPECIALTY = "pracownik socjalny – organizator społeczności lokalnej"
EXPIRY_NOTICE_DAYS = 60

# How each kind of evidence is named on the certificate (Polish only, as the PDF is).
EVIDENCE_NAMES_PL = {
    "trainer_assessment": "ocena trenera",
    "prior_learning": "uznanie wcześniejszego uczenia się",
    "assignment": "ocenione zadanie praktyczne",
    "event_assessment": "ocena podczas szkolenia stacjonarnego",
    "module_completed": "ukończony moduł kursu",
    "quiz_passed": "zaliczony test",
    "imported": "dane zaimportowane",
}


# --- progress and eligibility -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    code: str
    name: str
    required: int
    current: int

    @property
    def met(self) -> bool:
        return self.current >= self.required


@dataclass(frozen=True)
class RoleProgress:
    role_code: str
    role_name: str
    requirements: tuple[Requirement, ...]

    @property
    def total(self) -> int:
        return len(self.requirements)

    @property
    def met_count(self) -> int:
        return sum(1 for r in self.requirements if r.met)

    @property
    def missing(self) -> list[Requirement]:
        return [r for r in self.requirements if not r.met]

    @property
    def eligible(self) -> bool:
        return bool(self.requirements) and not self.missing

    @property
    def percent(self) -> int:
        return round(100 * self.met_count / self.total) if self.total else 0


def certifiable_roles(session: Session) -> list[tuple[str, str, dict[str, int]]]:
    """(code, name, required profile) of every role of the current framework that has a profile."""
    facts = competencies.framework_facts(session)
    return [(r.code, r.name, dict(r.profile)) for r in facts.profiled_roles] if facts else []


def role_name(session: Session, role_code: str) -> str | None:
    role = competencies.role_by_code(session, role_code)
    return role.name if role else None


def _progress(code: str, name: str, profile: dict[str, int], levels: dict[str, int], names: dict[str, str]) -> RoleProgress:
    return RoleProgress(code, name, tuple(Requirement(c, names.get(c, c), req, levels.get(c, 0)) for c, req in profile.items()))


def role_progress(session: Session, user_id: int) -> list[RoleProgress]:
    """How far a person is towards each role certificate, from their stored (assessed) levels."""
    roles = certifiable_roles(session)
    levels = competencies.current_levels(session, user_id)
    names = competencies.competence_names(session, {c for _code, _name, p in roles for c in p})
    return [_progress(code, name, profile, levels, names) for code, name, profile in roles]


def progress_for(session: Session, user_id: int, role_code: str) -> RoleProgress | None:
    return next((p for p in role_progress(session, user_id) if p.role_code == role_code), None)


def valid_role_certificate(session: Session, user_id: int, role_code: str) -> Certificate | None:
    return session.scalar(
        select(Certificate).where(Certificate.user_id == user_id, Certificate.role_code == role_code, Certificate.status == VALID)
    )


def check_role_eligibility(session: Session, user: User, role_code: str) -> RoleProgress:
    """The person's progress on the role when it meets the profile; NotEligible naming what is missing otherwise."""
    if user.erased_at is not None or not user.active:
        raise NotEligible(_l("The account %(email)s is inactive or deleted.", email=user.email))
    progress = progress_for(session, user.id, role_code)
    if progress is None:
        raise NotEligible(_l("There is no role certificate “%(role)s” in the current competency framework.", role=role_code))
    if not progress.eligible:
        missing = ", ".join(f"{r.code} {r.name}" for r in progress.missing)
        raise NotEligible(
            _l(
                "%(name)s does not yet meet the profile of the role “%(role)s”. Missing: %(missing)s.",
                name=user.full_name,
                role=progress.role_name,
                missing=missing,
            )
        )
    existing = valid_role_certificate(session, user.id, role_code)
    if existing is not None:
        raise NotEligible(
            _l(
                "%(name)s already holds valid certificate no. %(number)s for the role “%(role)s”.",
                name=user.full_name,
                number=existing.number,
                role=progress.role_name,
            )
        )
    return progress


@dataclass(frozen=True)
class RoleQueueEntry:
    user: User
    progress: RoleProgress
    request: CertificateRequest | None


ROLE_QUEUE_ROWS = 50  # role rows on the issuer's queue page; "issue all eligible for a role" takes every one


def _role_candidates(role_code: str, profile: dict[str, int]):
    """Active people meeting the role's profile without a valid certificate for it or a rejected request, by name."""
    held = exists().where(
        and_(Certificate.user_id == User.id, Certificate.kind == KIND_ROLE, Certificate.role_code == role_code, Certificate.status == VALID)
    )
    rejected = exists().where(
        and_(
            CertificateRequest.user_id == User.id,
            CertificateRequest.kind == KIND_ROLE,
            CertificateRequest.role_code == role_code,
            CertificateRequest.state == REJECTED,
        )
    )
    return (
        select(User)
        .where(User.active.is_(True), User.erased_at.is_(None), User.id.in_(competencies.meeting_profile(profile)), ~held, ~rejected)
        .order_by(User.full_name, User.id)
    )


def role_queue_count(session: Session) -> int:
    """How many (person, role) pairs wait for a role certificate, counted in the database (one query per role)."""
    return sum(
        session.scalar(select(func.count()).select_from(_role_candidates(code, profile).order_by(None).subquery())) or 0
        for code, _name, profile in certifiable_roles(session)
    )


def role_queue(session: Session, *, role_code: str | None = None, limit: int = 500) -> list[RoleQueueEntry]:
    """People who meet a role's profile and hold no valid certificate for it (rejected requests left out): the
    profile is checked in the database, so the cost follows `limit`, not the number of people with levels."""
    roles = [r for r in certifiable_roles(session) if role_code in (None, r[0])]
    found: list[tuple[User, str, str, dict[str, int]]] = []
    for code, name, profile in roles:
        query = _role_candidates(code, profile).options(joinedload(User.institution)).limit(limit)
        found += [(user, code, name, profile) for user in session.scalars(query).unique()]
    found.sort(key=lambda item: (item[0].full_name, item[0].id))
    found = found[:limit]
    if not found:
        return []
    codes = sorted({c for _code, _name, p in roles for c in p})
    user_ids = list({user.id for user, *_rest in found})
    levels = competencies.levels_for_users(session, user_ids, codes)
    names = competencies.competence_names(session, codes)
    requests = {
        (r.user_id, r.role_code): r
        for r in session.scalars(
            select(CertificateRequest).where(CertificateRequest.kind == KIND_ROLE, CertificateRequest.user_id.in_(user_ids))
        )
    }
    return [
        RoleQueueEntry(user, _progress(code, name, profile, levels[user.id], names), requests.get((user.id, code)))
        for user, code, name, profile in found
    ]


def eligible_role_user_ids(session: Session, role_code: str) -> list[int]:
    return [e.user.id for e in role_queue(session, role_code=role_code, limit=100_000)]


# --- requests -----------------------------------------------------------------------------------------------------


def _request_row(session: Session, user_id: int, role_code: str) -> CertificateRequest | None:
    return session.scalar(
        select(CertificateRequest).where(CertificateRequest.user_id == user_id, CertificateRequest.role_code == role_code)
    )


def request_role_certificate(
    session: Session, user: User, role_code: str, *, birth_date: date | None = None, birth_place: str | None = None
) -> CertificateRequest:
    """A learner who meets the profile asks for the role certificate; issuers hear of it in their daily summary."""
    progress = check_role_eligibility(session, user, role_code)
    profile = issuer_profile(session)
    request = _request_row(session, user.id, role_code)
    if request is None:
        request = CertificateRequest(user_id=user.id, kind=KIND_ROLE, role_code=role_code, course_id=None)
        session.add(request)
    request.state = REQUESTED
    request.reason = None
    request.decided_at = None
    request.decided_by_id = None
    request.requested_at = utcnow()
    request.birth_date = birth_date if profile.show_birth_date else None
    request.birth_place = (birth_place or None) if profile.show_birth_place else None
    session.flush()
    for issuer_id in _issuer_ids(session, exclude=user.id):
        notify(
            session, issuer_id, kinds.REQUESTED, {"person": user.full_name, "course": progress.role_name}, path_for("certificates.queue")
        )
    return request


def _issuer_ids(session: Session, *, exclude: int | None = None) -> list[int]:
    query = select(User.id).join(UserRole).where(UserRole.role == ISSUER, User.active.is_(True), User.erased_at.is_(None))
    if exclude is not None:
        query = query.where(User.id != exclude)
    return list(session.scalars(query))


def reject_role(session: Session, user: User, role_code: str, *, reason: str, actor_id: int) -> CertificateRequest:
    request = _request_row(session, user.id, role_code)
    if request is None:
        request = CertificateRequest(user_id=user.id, kind=KIND_ROLE, role_code=role_code, course_id=None)
        session.add(request)
    request.state = REJECTED
    request.reason = reason
    request.decided_by_id = actor_id
    request.decided_at = utcnow()
    request.birth_date = None
    request.birth_place = None
    session.flush()
    audit(session, "certificates.reject", actor_id=actor_id, target=request, user_id=user.id, role=role_code, reason=reason)
    name = role_name(session, role_code) or role_code
    notify(session, user.id, kinds.REJECTED, {"course": name, "reason": reason}, path_for("certificates.mine"))
    return request


# --- contributions (courses now; events register a provider) -------------------------------------------------------

#: provider(session, user_id, codes) -> contributions that addressed any of the codes. The events domain adds
#: its own (attended trainings with hours) with register_contribution_provider at app creation.
ContributionProvider = Callable[[Session, int, set[str]], Iterable[Contribution]]
_providers: dict[str, ContributionProvider] = {}


def register_contribution_provider(name: str, provider: ContributionProvider) -> None:
    _providers[name] = provider


def course_contributions(session: Session, user_id: int, codes: set[str]) -> list[Contribution]:
    """Completed courses whose modules address any competence of the profile, with the hours of that version."""
    found = []
    enrolments = session.scalars(
        select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.completed_at.is_not(None)).order_by(Enrolment.completed_at)
    )
    for enrolment in enrolments:
        programme = course_programme(session, enrolment.course_id, enrolment.completed_version or None)
        if programme and codes & set(programme.competences):
            found.append(Contribution("course", programme.title, float(programme.hours), to_local(enrolment.completed_at).date()))
    return found


register_contribution_provider("courses", course_contributions)


def contributions(session: Session, user_id: int, codes: set[str]) -> tuple[Contribution, ...]:
    items = [c for provider in _providers.values() for c in provider(session, user_id, codes)]
    return tuple(sorted(items, key=lambda c: (c.completed_on or date.min, c.kind, c.title)))


# --- validity -----------------------------------------------------------------------------------------------------


def validity_months(session: Session, role_code: str) -> int | None:
    setting = session.get(RoleCertificateSetting, role_code)
    return setting.validity_months if setting else None


def validity_settings(session: Session) -> dict[str, int | None]:
    return {s.role_code: s.validity_months for s in session.scalars(select(RoleCertificateSetting))}


def set_validity(session: Session, role_code: str, months: int | None, *, actor_id: int) -> RoleCertificateSetting:
    """The issuer sets how long a role certificate stays valid; it applies to certificates issued from now on."""
    setting = session.get(RoleCertificateSetting, role_code)
    if setting is None:
        setting = RoleCertificateSetting(role_code=role_code)
        session.add(setting)
    setting.validity_months = months
    setting.updated_by_id = actor_id
    session.flush()
    audit(session, "certificates.role_validity", actor_id=actor_id, role=role_code, months=months)
    return setting


def add_months(start: date, months: int) -> date:
    """The same day `months` later (the last day of the month when it has fewer days)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def expiring_reminders(session: Session, now: datetime) -> Iterable[Reminder]:
    """Due provider: tell holders EXPIRY_NOTICE_DAYS ahead that a valid role certificate expires (once each)."""
    today = to_local(now).date()
    horizon = today + timedelta(days=EXPIRY_NOTICE_DAYS)
    rows = session.scalars(
        select(Certificate).where(
            Certificate.kind == KIND_ROLE,
            Certificate.status == VALID,
            Certificate.user_id.is_not(None),
            Certificate.valid_until.is_not(None),
            Certificate.valid_until >= today,
            Certificate.valid_until <= horizon,
        )
    )
    for certificate in rows:
        yield Reminder(
            certificate.user_id,
            kinds.ROLE_EXPIRING,
            {"number": certificate.number, "role": certificate.course_title, "date": date_param(certificate.valid_until)},
            path_for("certificates.mine"),
            dedupe_key=f"certificate-expiring:{certificate.id}",
        )


register_due_provider(kinds.ROLE_EXPIRING, expiring_reminders)


# --- issuing ----------------------------------------------------------------------------------------------------


def _confirmed(session: Session, user_id: int, progress: RoleProgress) -> tuple[ConfirmedCompetence, ...]:
    codes = [r.code for r in progress.requirements]
    counting = competencies.counting_evidence(session, user_id, codes)
    catalogue = competencies.competences_by_code(session)
    scale = competencies.scale_names(session)
    confirmed = []
    for requirement in progress.requirements:
        pieces = [e for e in counting.get(requirement.code, []) if e.level >= requirement.required]
        if not pieces:  # the stored levels and the evidence disagree: refuse rather than print an unfounded level
            raise NotEligible(_l("The evidence for %(code)s could not be found; recompute the levels first.", code=requirement.code))
        basis: Evidence = pieces[0]
        competence = catalogue.get(requirement.code)
        indicators = tuple((competence.indicators or {}).get(str(requirement.current), ())) if competence else ()
        confirmed.append(
            ConfirmedCompetence(
                code=requirement.code,
                name=requirement.name,
                required_level=requirement.required,
                level=requirement.current,
                level_name=scale.get(requirement.current, str(requirement.current)),
                evidence_kind=basis.source,
                evidence_label=EVIDENCE_NAMES_PL.get(basis.source, str(SOURCE_LABELS.get(basis.source, basis.source))),
                evidence_date=to_local(basis.reviewed_at or basis.recorded_at).date(),
                evidence_ids=tuple(e.id for e in pieces),
                indicators=indicators,
            )
        )
    return tuple(confirmed)


def build_role_snapshot(session: Session, user: User, progress: RoleProgress, *, issue_date: date) -> RoleSnapshot:
    """Everything a role certificate says, read now and frozen (number and URL are added once allocated)."""
    profile = issuer_profile(session)
    framework = competencies.current_framework(session)
    request = _request_row(session, user.id, progress.role_code)
    months = validity_months(session, progress.role_code)
    return RoleSnapshot(
        holder_name=user.full_name.strip(),
        role_code=progress.role_code,
        role_name=progress.role_name,
        specialty=SPECIALTY,
        framework_key=framework.key,
        framework_version=framework.version,
        framework_title=framework.title,
        issuer_name=profile.name,
        issuer_address=tuple(profile.address_lines),
        signatory_name=profile.signatory_name,
        signatory_function=profile.signatory_function,
        place_of_issue=profile.place_of_issue,
        issue_date=issue_date,
        valid_until=add_months(issue_date, months) if months else None,
        birth_date=request.birth_date if request and profile.show_birth_date else None,
        birth_place=request.birth_place if request and profile.show_birth_place else None,
        logo_file=profile.logo_file,
        competences=_confirmed(session, user.id, progress),
        contributions=contributions(session, user.id, {r.code for r in progress.requirements}),
    )


def issue_role_certificate(
    session: Session,
    user: User,
    role_code: str,
    *,
    issued_by_id: int | None,
    reissue_of: Certificate | None = None,
    now: datetime | None = None,
    email_holder: bool = True,
) -> Certificate:
    """Issue a role certificate through the register: eligibility, snapshot, gap-free number, PDF hash, row."""
    progress = check_role_eligibility(session, user, role_code)
    now = now or utcnow()
    snapshot = build_role_snapshot(session, user, progress, issue_date=to_local(now).date())
    profile = issuer_profile(session)
    prefix, year = profile.number_prefix, snapshot.issue_date.year
    seq = numbering.allocate_number(session, prefix, year)
    number = numbering.format_number(prefix, year, seq)
    code = secrets.token_urlsafe(24)
    snapshot = replace(snapshot, number=number, verification_url=verification_url(code), **recipient_identity(user))
    pdf = render_role_certificate(snapshot, logo_dir=branding_dir())
    certificate = Certificate(
        number=number,
        issuer_prefix=prefix,
        year=year,
        seq=seq,
        verification_code=code,
        user_id=user.id,
        course_id=None,
        kind=KIND_ROLE,
        role_code=role_code,
        valid_until=snapshot.valid_until,
        holder_name=snapshot.holder_name,
        course_title=snapshot.role_name[:300],
        snapshot=snapshot.to_json(),
        status=VALID,
        pdf_sha256=sha256(pdf),
        issued_by_id=issued_by_id,
        issued_at=now,
        reissue_of_id=reissue_of.id if reissue_of else None,
    )
    session.add(certificate)
    session.flush()
    request = _request_row(session, user.id, role_code)
    if request is not None:
        request.state = ISSUED
        request.reason = None
        request.decided_by_id = issued_by_id
        request.decided_at = now
        request.certificate_id = certificate.id
    audit(
        session,
        "certificates.reissue" if reissue_of else "certificates.issue",
        actor_id=issued_by_id,
        target=certificate,
        number=number,
        user_id=user.id,
        role=role_code,
        framework_version=snapshot.framework_version,
        reissue_of=reissue_of.number if reissue_of else None,
    )
    session.flush()
    notify(
        session,
        user.id,
        kinds.ROLE_ISSUED,
        {"number": number, "role": snapshot.role_name, "certificate_id": certificate.id},
        path_for("certificates.mine"),
        email=email_holder,
    )
    return certificate


def reissue_role(session: Session, certificate: Certificate, *, actor_id: int | None) -> Certificate:
    """A new role certificate in place of a revoked one; the person must still meet the current profile."""
    if certificate.status != REVOKED:
        raise NotEligible(_l("Certificate no. %(number)s is valid; revoke it before issuing a new one.", number=certificate.number))
    user = session.get(User, certificate.user_id) if certificate.user_id else None
    if user is None:
        raise NotEligible(_l("The person or the course of this certificate no longer exists in the system."))
    return issue_role_certificate(session, user, certificate.role_code, issued_by_id=actor_id, reissue_of=certificate)


# --- evidence withdrawn -----------------------------------------------------------------------------------------


def on_evidence_withdrawn(evidence: Evidence, *, session: Session, withdrawal, **_kwargs) -> None:
    """Listener: find valid role certificates whose snapshot cites this evidence; list them for review, tell issuers."""
    rows = session.scalars(
        select(Certificate).where(Certificate.user_id == evidence.user_id, Certificate.kind == KIND_ROLE, Certificate.status == VALID)
    )
    affected = [c for c in rows if evidence.id in {i for comp in c.snapshot.get("competences", []) for i in comp.get("evidence_ids", [])}]
    for certificate in affected:
        exists_already = session.scalar(
            select(CertificateReview.id).where(
                CertificateReview.certificate_id == certificate.id, CertificateReview.evidence_id == evidence.id
            )
        )
        if exists_already is not None:
            continue
        session.add(
            CertificateReview(
                certificate_id=certificate.id, evidence_id=evidence.id, competence_code=evidence.competence_code, reason=withdrawal.reason
            )
        )
        session.flush()
        params = {"number": certificate.number, "code": evidence.competence_code, "person": certificate.holder_name}
        for issuer_id in _issuer_ids(session):
            notify(
                session,
                issuer_id,
                kinds.ROLE_REVIEW,
                params,
                path_for("certificates.detail", certificate_id=certificate.id),
                dedupe_key=f"certificate-review:{certificate.id}:{evidence.id}",
            )


def open_reviews(session: Session) -> list[CertificateReview]:
    return list(
        session.scalars(select(CertificateReview).where(CertificateReview.decision.is_(None)).order_by(CertificateReview.created_at))
    )


def reviews_of(session: Session, certificate_id: int) -> list[CertificateReview]:
    return list(
        session.scalars(select(CertificateReview).where(CertificateReview.certificate_id == certificate_id).order_by(CertificateReview.id))
    )


def close_reviews(session: Session, certificate: Certificate, *, decision: str, actor_id: int | None) -> int:
    """Record the issuer's decision on every open review of a certificate (kept, or revoked with it)."""
    count = 0
    for review in reviews_of(session, certificate.id):
        if review.decision is None:
            review.decision = decision
            review.decided_by_id = actor_id
            review.decided_at = utcnow()
            count += 1
    session.flush()
    if count and decision == KEPT:
        audit(session, "certificates.review_keep", actor_id=actor_id, target=certificate, number=certificate.number)
    return count
