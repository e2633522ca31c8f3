"""Training events behind a role certificate: an event that addressed a competence of the role's profile and that
the person attended appears in the certificate's snapshot, verification page and PDF annex, with the teaching
hours attended (registered through connect_listeners)."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

from pypdf import PdfReader

from elearn.certificates import roles, services
from elearn.events.services import attendance, registration
from elearn.extensions import db
from tests.certificates.role_helpers import ROLE, animator_profile, meet_profile
from tests.events.helpers import make_event


def attend(event, user, *, sessions=None) -> None:
    place = registration.register(db.session, event.id, user)
    chosen = sessions if sessions is not None else event.sessions
    attendance.set_attendance(db.session, event, {s.id: {place.id} for s in chosen}, actor_id=None)
    db.session.commit()


def test_an_attended_event_on_the_profile_is_listed_with_the_hours_attended(client, login, make_user):
    trainer = make_user("trainer")
    issuer = make_user("issuer")
    person = make_user("learner", full_name="Ewa Animatorka")
    code = sorted(animator_profile())[0]
    day = date.today() + timedelta(days=3)
    event = make_event(
        title="Warsztat: diagnoza społeczności",
        competence_codes=[code],
        assessment_level=1,
        sessions=[(day, time(9, 0), time(15, 0)), (day + timedelta(days=1), time(9, 0), time(12, 0))],
    )
    attend(event, person, sessions=event.sessions[:1])  # six hours of the first day: 8 teaching hours
    other = make_event(title="Webinarium o czymś innym", competence_codes=[])
    attend(other, person)  # addressed none of the role's competences: not listed
    meet_profile(person.id, trainer.id)

    found = roles.contributions(db.session, person.id, set(animator_profile()))
    events = [c for c in found if c.kind == "event"]
    assert [(c.title, c.hours, c.completed_on) for c in events] == [("Warsztat: diagnoza społeczności", 8.0, day)]

    login(issuer)
    assert client.post("/certificates/roles/issue", data={"selected_role": f"{person.id}:{ROLE}", "confirmed": "1"}).status_code == 302
    certificate = services.certificates_of(db.session, person.id)[0]
    listed = [c for c in certificate.snapshot["contributions"] if c["kind"] == "event"]
    assert listed == [{"kind": "event", "title": "Warsztat: diagnoza społeczności", "hours": 8.0, "completed_on": day.isoformat()}]
    assert "Warsztat: diagnoza społeczności" in client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    pdf = client.get(f"/certificates/{certificate.id}/pdf").data
    annex = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages[1:]).split())
    assert "Warsztat: diagnoza społeczności" in annex, annex[annex.find("Szkolenia") :][:300]
    assert "szkolenie stacjonarne" in annex


def test_a_registration_without_attendance_or_a_cancelled_event_adds_nothing(make_user):
    person = make_user("learner")
    code = sorted(animator_profile())[0]
    skipped = make_event(title="Zapisana, nieobecna", competence_codes=[code], assessment_level=1)
    registration.register(db.session, skipped.id, person)
    db.session.commit()
    assert [c for c in roles.contributions(db.session, person.id, {code}) if c.kind == "event"] == []
