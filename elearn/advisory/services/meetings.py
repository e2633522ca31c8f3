"""Advisory meetings: an advisor sets a time and a form (in person, online, a phone call); both sides get an .ics.

A meeting is its own record rather than a training event: an event is a public offer with places and registration,
a consultation with one institution is neither. The calendar file is built with icalendar, as events' files are."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from icalendar import Calendar
from icalendar import Event as VEvent
from sqlalchemy.orm import Session

from ...accounts.models import User
from ...core.audit import audit
from ...core.timeutil import to_local, utcnow
from .. import notifications as kinds
from ..errors import AdvisoryError
from ..models import ASSIGNED, FORMS, MEETING_FORMS, NEW, AdvisoryCase, AdvisoryMeeting
from .access import is_advisor
from .cases import case_params, case_url, institution_side

PRODID = "-//elearn//doradztwo//PL"


def schedule(
    session: Session, case: AdvisoryCase, *, actor: User, starts_at: datetime, ends_at: datetime, form: str, location: str
) -> AdvisoryMeeting:
    """Times are naive UTC. The institution's side is told; an unassigned case becomes the scheduling advisor's."""
    from ...core.notifications import notify

    if not is_advisor(actor):
        raise AdvisoryError(_l("Only ROPS advisors schedule meetings."))
    if not case.is_open:
        raise AdvisoryError(_l("The case is closed; reopen it first."))
    if form not in MEETING_FORMS:
        raise AdvisoryError(_l("Choose the form of the meeting."))
    if ends_at <= starts_at:
        raise AdvisoryError(_l("The meeting must end after it starts."))
    if starts_at < utcnow():
        raise AdvisoryError(_l("The meeting cannot start in the past."))
    meeting = AdvisoryMeeting(case=case, starts_at=starts_at, ends_at=ends_at, form=form, location=location.strip(), created_by_id=actor.id)
    session.add(meeting)
    if case.assigned_to_id is None:
        case.assigned_to_id = actor.id
    if case.status == NEW:
        case.status = ASSIGNED
    case.updated_at = utcnow()
    session.flush()
    audit(session, "advisory.meeting", actor_id=actor.id, target=case, meeting_id=meeting.id, starts_at=starts_at.isoformat(), form=form)
    starts = format_datetime(to_local(starts_at), "d MMMM y, HH:mm")
    for user_id in institution_side(case):
        if user_id != actor.id:
            notify(session, user_id, kinds.MEETING, case_params(case, starts=starts, form=str(FORMS[form])), url=case_url(case))
    return meeting


def meeting_ics(meeting: AdvisoryMeeting, *, url: str, host: str) -> bytes:
    """One VEVENT: the case's subject, the form and place or link, the case page as its URL."""
    case = meeting.case
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    item = VEvent()
    item.add("uid", f"advisory-meeting-{meeting.id}@{host}")
    item.add("summary", f"Doradztwo ROPS: {case.subject}")
    item.add("dtstart", meeting.starts_at.replace(tzinfo=UTC))
    item.add("dtend", meeting.ends_at.replace(tzinfo=UTC))
    item.add("dtstamp", meeting.created_at.replace(tzinfo=UTC))
    location = ", ".join(p for p in (str(FORMS[meeting.form]), meeting.location) if p)
    item.add("location", location)
    item.add("description", f"{case.institution.name} — {case.topic_label}. {url}")
    item.add("url", url)
    item.add("status", "CONFIRMED")
    calendar.add_component(item)
    return calendar.to_ical()


def visible_meeting(session: Session, user, meeting_id: int) -> AdvisoryMeeting | None:
    from .access import may_view

    meeting = session.get(AdvisoryMeeting, meeting_id)
    return meeting if meeting is not None and may_view(user, meeting.case) else None
