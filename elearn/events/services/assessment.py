"""The trainer's assessment grid: participants × the event's competences; each positive mark records evidence."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...competencies.models import EVENT_ASSESSMENT
from ...competencies.services.framework import competences_by_code
from ...competencies.services.levels import record_evidence
from ...core.audit import audit
from ..errors import EventError
from ..models import Event, EventAssessment
from .registration import participants


def competences(session: Session, event: Event) -> list[tuple[str, str]]:
    """(code, name) of the competences the event evidences, in the event's order."""
    known = competences_by_code(session)
    return [(code, known[code].name if code in known else code) for code in event.competence_codes or []]


def marks(session: Session, event: Event) -> set[tuple[int, str]]:
    rows = session.execute(select(EventAssessment.user_id, EventAssessment.competence_code).where(EventAssessment.event_id == event.id))
    return {(row.user_id, row.competence_code) for row in rows}


def assess(session: Session, event: Event, positive: set[tuple[int, str]], *, trainer_id: int) -> int:
    """Record the new positive marks (user_id, code); evidence is append-only, so earlier marks stay. Returns new marks."""
    if not event.competence_codes or not event.assessment_level:
        raise EventError(_l("This event does not assess competences."))
    holders = {r.user_id for r in participants(session, event.id)}
    codes = set(event.competence_codes)
    if any(uid not in holders or code not in codes for uid, code in positive):
        raise EventError(_l("Only the event's participants and competences can be assessed."))
    new = sorted(positive - marks(session, event))
    for user_id, code in new:
        evidence = record_evidence(
            session,
            user_id=user_id,
            code=code,
            level=min(event.assessment_level, 2),
            source=EVENT_ASSESSMENT,
            recorded_by=trainer_id,
            source_type="event",
            source_id=event.id,
            note=event.title,
        )
        session.add(
            EventAssessment(
                event_id=event.id,
                user_id=user_id,
                competence_code=code,
                level=evidence.level,
                evidence_id=evidence.id,
                assessed_by_id=trainer_id,
            )
        )
    session.flush()
    if new:
        audit(session, "events.assess", actor_id=trainer_id, target=event, marks=len(new))
    return len(new)
