"""Needs reported by institutions: ROPS opens a yearly round, a coordinator answers until the deadline, and ROPS
sees the answers beside the measured gaps and the institutions that have not answered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from elearn.analytics.models import NeedsRound, NeedsSubmission
from elearn.analytics.services import reported
from elearn.core.models import AuditEntry
from elearn.core.timeutil import to_local, utcnow
from elearn.extensions import db

from .helpers import C1, build_region


def _today() -> date:
    return to_local(utcnow()).date()


@pytest.fixture
def region(make_user):
    return build_region(make_user)


def test_round_submission_and_overview(region, client, login, login_as, make_user):
    login_as("issuer")
    deadline = _today() + timedelta(days=10)
    response = client.post("/analytics/reported-needs", data={"year": "2027", "deadline": deadline.isoformat()})
    assert response.status_code == 302
    again = client.post("/analytics/reported-needs", data={"year": "2027", "deadline": deadline.isoformat()})
    assert "Nabór na ten rok już istnieje." in again.get_data(as_text=True)

    answering = region[("0461", "OPS")]
    login(make_user("coordinator", institution_id=answering.id))
    page = client.get("/analytics/reported-needs/submit").get_data(as_text=True)
    assert "2027" in page
    data = {"competences": [C1], "topics": "Praca z grupą", "workers": "12", "preferred_form": "workshop", "comment": "Najlepiej wiosną"}
    assert client.post("/analytics/reported-needs/submit", data=data).status_code == 302
    data["workers"] = "14"  # a correction replaces the answer
    client.post("/analytics/reported-needs/submit", data=data)
    [saved] = db.session.scalars(select(NeedsSubmission)).all()
    assert saved.workers == 14 and saved.competences == [C1] and saved.institution_id == answering.id

    login_as("issuer")
    overview = client.get("/analytics/reported-needs/2027").get_data(as_text=True)
    answered, missing = overview.split("Instytucje, które nie odpowiedziały")
    assert "OPS 0461 testowy" in answered and "Warsztat" in answered and "Najlepiej wiosną" in answered
    assert "<td>7</td>" in answered  # measured: all 7 workers lack some competence every role requires
    assert "DPS 0415 testowy" in missing and "OPS 0461 testowy" not in missing
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"analytics.needs_round", "analytics.needs_submitted"} <= actions


def test_answers_are_refused_after_the_deadline_and_need_content(region, client, login, make_user):
    past = NeedsRound(year=2020, deadline=_today() - timedelta(days=1))
    db.session.add(past)
    db.session.commit()
    with pytest.raises(reported.RoundError):
        reported.submit(
            db.session,
            past,
            institution_id=region[("0415", "OPS")].id,
            user_id=1,
            today=_today(),
            competences=[C1],
            topics="",
            workers=3,
            preferred_form="elearning",
            comment="",
        )
    login(make_user("coordinator", institution_id=region[("0415", "OPS")].id))
    assert "Nie trwa teraz żaden nabór" in client.get("/analytics/reported-needs/submit").get_data(as_text=True)

    db.session.add(NeedsRound(year=2030, deadline=_today()))
    db.session.commit()
    empty = client.post("/analytics/reported-needs/submit", data={"workers": "0", "preferred_form": "workshop"})
    text = empty.get_data(as_text=True)
    assert empty.status_code == 200 and 'aria-invalid="true"' in text
    assert db.session.scalar(select(NeedsSubmission.id)) is None


def test_only_rops_staff_see_rounds(client, login_as):
    login_as("coordinator")
    assert client.get("/analytics/reported-needs").status_code == 403
