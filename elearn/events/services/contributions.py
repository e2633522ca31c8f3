"""What training events add to a role certificate: the events a person attended that addressed a competence of the
role's profile, with the teaching hours they attended (45-minute hours, as Polish training programmes and the event
certificates count them).

Certificates sit below events, so certificates cannot ask for this itself: `connect_listeners()` registers
`event_contributions` with `certificates.roles.register_contribution_provider`, and the role certificate snapshot
then lists these events beside the courses.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...certificates.snapshot import Contribution
from ...core.timeutil import to_local
from ..models import CANCELLED, REGISTERED, Attendance, Event, EventAssessment, EventSession, Registration


def event_contributions(session: Session, user_id: int, codes: set[str]) -> list[Contribution]:
    """Events (not cancelled) where the person was registered and attended at least one session, and that either
    address one of the codes or assessed the person on one of them; the hours are those attended."""
    rows = session.execute(
        select(Registration.id, Event)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user_id, Registration.status == REGISTERED, Event.status != CANCELLED)
        .order_by(Event.starts_at, Event.id)
    ).all()
    if not rows:
        return []
    assessed = {
        (event_id, code)
        for event_id, code in session.execute(
            select(EventAssessment.event_id, EventAssessment.competence_code).where(EventAssessment.user_id == user_id)
        )
    }
    attended = session.execute(
        select(Attendance.registration_id, EventSession.starts_at, EventSession.ends_at)
        .join(EventSession, EventSession.id == Attendance.session_id)
        .where(Attendance.registration_id.in_([registration_id for registration_id, _event in rows]))
    ).all()
    found = []
    for registration_id, event in rows:
        relevant = codes & set(event.competence_codes or ()) or {code for e, code in assessed if e == event.id} & codes
        parts = [(start, end) for rid, start, end in attended if rid == registration_id]
        if not relevant or not parts:
            continue
        minutes = sum(int((end - start).total_seconds() // 60) for start, end in parts)
        last_day = to_local(max(end for _start, end in parts)).date()
        found.append(Contribution("event", event.title, round(minutes / 45, 2), last_day))
    return found
