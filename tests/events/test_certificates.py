"""Event certificates: same register and numbering as course certificates, a frozen snapshot, the PDF says so."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from elearn.certificates.models import Certificate
from elearn.certificates.services import certificate_pdf
from elearn.events.models import Registration
from elearn.events.services import attendance
from elearn.extensions import db

from .helpers import make_event


def test_bulk_issue_for_those_who_completed_with_a_frozen_snapshot(client, make_user, login):
    staff, trainer = make_user("issuer"), make_user("trainer")
    day = date.today() - timedelta(days=5)
    event = make_event(
        trainer_ids=[trainer.id],
        sessions=[(day, time(9), time(15)), (day + timedelta(days=1), time(9), time(13))],
        competence_codes=["WSP.1.1"],
        assessment_level=2,
    )
    done, partial = make_user("learner", full_name="Halina Kursantka"), make_user("learner")
    for person in (done, partial):
        login(person)
        client.post(f"/events/{event.id}/register", data={})
    regs = {r.user_id: r for r in db.session.scalars(select(Registration).where(Registration.event_id == event.id))}
    first, second = event.sessions
    attendance.set_attendance(
        db.session, event, {first.id: {regs[done.id].id, regs[partial.id].id}, second.id: {regs[done.id].id}}, actor_id=trainer.id
    )
    db.session.commit()
    login(trainer)
    client.post(f"/events/{event.id}/assessment", data={"mark": [f"{done.id}:WSP.1.1"]})
    assert (
        client.post(
            f"/events/{event.id}/certificates",
            data={
                "confirmed": "1",
            },
        ).status_code
        == 403
    )  # organisers issue
    login(staff)
    page = client.post(
        f"/events/{event.id}/certificates",
        data={
            "confirmed": "1",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Wydano zaświadczenia: 1" in page
    client.post(
        f"/events/{event.id}/certificates",
        data={
            "confirmed": "1",
        },
    )  # again: nobody new
    certificates = db.session.scalars(select(Certificate).where(Certificate.course_title == event.title)).all()
    assert [c.user_id for c in certificates] == [done.id]
    certificate = certificates[0]
    snapshot = certificate.snapshot
    assert snapshot["kind"] == "event" and snapshot["clock_hours"] == 10 and snapshot["hours"] == 13.33
    assert snapshot["place"].startswith("Sala konferencyjna ROPS") and len(snapshot["sessions"]) == 2
    assert [t["title"] for t in snapshot["topics"]] == ["Wprowadzenie", "Ćwiczenia"]
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(certificate_pdf(certificate))).pages)
    assert "o udziale w wydarzeniu szkoleniowym" in text and "Halina Kursantka" in text and certificate.number in text
    assert "13,3 godzin dydaktycznych po 45 minut (10 godz. zegarowych)" in text and "WSP.1.1" in text
    login(done)
    assert certificate.number in client.get("/certificates/mine").get_data(as_text=True)
    # later edits to the event do not change the issued certificate
    event.title = "Nowy tytuł"
    db.session.commit()
    assert db.session.get(Certificate, certificate.id).course_title != "Nowy tytuł"


def test_no_certificates_before_the_event_ends(client, make_user, login):
    event = make_event()
    login(make_user("issuer"))
    page = client.post(
        f"/events/{event.id}/certificates",
        data={
            "confirmed": "1",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "po zakończeniu wydarzenia" in page
