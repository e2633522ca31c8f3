"""Event certificates: those who completed an event get a certificate in the one register (same numbering), with a
frozen snapshot of the event's dates, hours attended, place and programme. Events sit above certificates in the
dependency order, so this module calls certificates' register_certificate; certificates knows nothing of events."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...accounts.models import User
from ...certificates.services import issuer_profile, register_certificate
from ...certificates.snapshot import EVENT, AttainedCompetence, CertificateSnapshot, Topic
from ...competencies.services.framework import scale_names
from ...core.timeutil import to_local, utcnow
from ..errors import EventError
from ..models import Attendance, Event, EventAssessment, EventCertificate
from .assessment import competences
from .attendance import Outcome, outcomes


def _programme_lines(event: Event) -> tuple[Topic, ...]:
    """The programme's Markdown as plain lines (list markers dropped): frozen as the certificate's topics."""
    lines = []
    for raw in (event.programme or "").splitlines():
        text = raw.strip().lstrip("-*+#").strip()
        if text[:1].isdigit() and "." in text[:4]:
            text = text.split(".", 1)[1].strip()
        if text:
            lines.append(Topic(title=text, hours=0.0))
    return tuple(lines)


def build_event_snapshot(session: Session, event: Event, outcome: Outcome, *, issue_date) -> CertificateSnapshot:
    profile = issuer_profile(session)
    user: User = outcome.registration.user
    attended = {a.session_id for a in session.scalars(select(Attendance).where(Attendance.registration_id == outcome.registration.id))}
    parts = [s for s in event.sessions if s.id in attended]
    scale = scale_names(session)
    names = dict(competences(session, event))
    marks = session.scalars(select(EventAssessment).where(EventAssessment.event_id == event.id, EventAssessment.user_id == user.id))
    return CertificateSnapshot(
        holder_name=user.full_name.strip(),
        course_title=event.title.strip(),
        course_version="",
        course_slug=f"event-{event.id}",
        hours=outcome.academic_hours,
        period_from=to_local(parts[0].starts_at).date(),
        period_to=to_local(parts[-1].ends_at).date(),
        organiser=profile.name,
        issuer_name=profile.name,
        issuer_address=tuple(profile.address_lines),
        signatory_name=profile.signatory_name,
        signatory_function=profile.signatory_function,
        place_of_issue=profile.place_of_issue,
        issue_date=issue_date,
        logo_file=profile.logo_file,
        topics=_programme_lines(event),
        competences=tuple(
            AttainedCompetence(
                code=m.competence_code,
                name=names.get(m.competence_code, m.competence_code),
                level=m.level,
                level_name=scale.get(m.level, str(m.level)),
            )
            for m in marks
        ),
        kind=EVENT,
        event_type=event.type_label,
        place=event.place_label or "online",
        sessions=tuple(f"{to_local(s.starts_at):%d.%m.%Y} {to_local(s.starts_at):%H:%M}–{to_local(s.ends_at):%H:%M}" for s in parts),
        clock_hours=outcome.clock_hours,
    )


def certified_user_ids(session: Session, event: Event) -> set[int]:
    return set(session.scalars(select(EventCertificate.user_id).where(EventCertificate.event_id == event.id)))


def issue_for_completed(session: Session, event: Event, *, issued_by_id: int, now: datetime | None = None) -> int:
    """Bulk issue, in the caller's transaction, to everyone who completed and has no certificate yet; returns how many."""
    now = now or utcnow()
    if event.ends_at is None or event.ends_at > now:
        raise EventError(_l("Certificates can be issued once the event has ended."))
    done = certified_user_ids(session, event)
    issued = 0
    for outcome in outcomes(session, event):
        user_id = outcome.registration.user_id
        if not outcome.completed or user_id in done:
            continue
        snapshot = build_event_snapshot(session, event, outcome, issue_date=to_local(now).date())
        certificate = register_certificate(session, outcome.registration.user, snapshot, course_id=None, issued_by_id=issued_by_id, now=now)
        session.add(EventCertificate(event_id=event.id, user_id=user_id, certificate_id=certificate.id))
        session.flush()
        issued += 1
    return issued
