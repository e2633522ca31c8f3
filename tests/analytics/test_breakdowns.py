"""Persons supported by sex, age band, powiat, institution type and role, and the participant monitoring export — on a
hand-counted fixture: 7 women, 5 men and 2 who gave no answer in toruński OPS, 6 men in Bydgoszcz DPS, all enrolled
on a course in 2026 (20 persons); one Bydgoszcz man also on a second course (21 places).

Years of birth, ages in 2026 in brackets: the women 1997 ×3 (29), 1996 ×2 (30), 1972 ×2 (54); the toruński men
2000 ×2 (26), 1985 ×3 (41); the two who gave no sex gave no year either; the Bydgoszcz men 1971 ×1 (55), 1960 ×5 (66).
So under 30: 5, 30–54: 7, 55 and over: 6, not given: 2."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from elearn.accounts import services as accounts
from elearn.analytics.services.breakdowns import age_band, breakdowns
from elearn.core.models import AuditEntry
from elearn.courses.models import Course, Enrolment
from elearn.directory.models import Institution
from elearn.extensions import db

from .helpers import unit

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def reached(make_user):
    courses = list(db.session.scalars(select(Course.id).order_by(Course.id)))[:2]
    places = {}
    for code, type_ in (("0415", "OPS"), ("0461", "DPS")):
        places[code] = Institution(name=f"{type_} {code} monitoring", type=type_, served_area_id=unit(code).id)
        db.session.add(places[code])
    db.session.flush()
    people = [("0415", "female")] * 7 + [("0415", "male")] * 5 + [("0415", None)] * 2 + [("0461", "male")] * 6
    years = [1997] * 3 + [1996] * 2 + [1972] * 2 + [2000] * 2 + [1985] * 3 + [None] * 2 + [1971] + [1960] * 5
    users = []
    for (code, sex), year in zip(people, years, strict=True):
        user = make_user("learner", institution_id=places[code].id)
        accounts.set_sex(db.session, user, sex, actor_id=user.id)
        accounts.set_birth_year(db.session, user, year, actor_id=user.id)
        db.session.add(Enrolment(user_id=user.id, course_id=courses[0], enrolled_at=datetime(2026, 3, 2)))
        users.append(user)
    db.session.add(Enrolment(user_id=users[-1].id, course_id=courses[1], enrolled_at=datetime(2026, 4, 2)))
    db.session.commit()
    return users


def test_breakdowns_add_up_to_the_persons_and_hide_small_groups_and_their_complement(reached):
    found = {b.dimension: b for b in breakdowns(db.session, *YEAR)}
    # 2 "not given" is under 5; the total 20 is published, so the smallest other cell (7 women) is hidden too,
    # or 20 − 7 − 11 would give the 2 back.
    assert dict(found["sex"].rows()) == {"Kobieta": "< 5", "Mężczyzna": 11, "Nie podano": "< 5"}
    assert found["sex"].total == 20
    # 2 "not given" is under 5, so the smallest other band (5 under 30) is hidden too; 29 and 30, 54 and 55 fall
    # on either side of a band's edge.
    assert dict(found["age_band"].rows()) == {"Poniżej 30 lat": "< 5", "30–54 lata": 7, "55 lat i więcej": 6, "Nie podano": "< 5"}
    assert found["age_band"].total == 20
    assert dict(found["powiat"].rows()) == {"powiat toruński": 14, "Bydgoszcz": 6}
    assert [n for label, n in found["institution_type"].rows() if "(DPS)" in label] == [6]
    assert dict(found["role"].rows()) == {"Brak samooceny": 20}


def test_participant_export_is_one_row_per_person_with_polish_headers_iso_dates_and_audited(reached, client, login_as):
    rops = login_as("issuer")
    response = client.post("/analytics/indicators/participants?start=2026-01-01&end=2026-12-31", data={"format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")  # UTF-8 with a byte-order mark, so spreadsheets read Polish letters
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Identyfikator;Imię i nazwisko;E-mail;Płeć;Grupa wieku;Stanowisko;Instytucja;Typ instytucji;Powiat")
    assert len(lines) == 21
    second_course = next(line for line in lines if line.startswith(f"{reached[-1].id};"))
    assert ";Mężczyzna;55 lat i więcej;" in second_course and ";Bydgoszcz;" in second_course
    assert ";2;;2026-01-01;2026-12-31" in second_course
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "analytics.participants_export"))
    assert entry.actor_id == rops.id and entry.details["persons"] == 20
    book = client.post("/analytics/indicators/participants?start=2026-01-01&end=2026-12-31", data={"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(book.data)).active.iter_rows(values_only=True))
    assert rows[0][1] == "Imię i nazwisko" and len(rows) == 21


def test_participant_export_is_for_rops_staff_only(client, login_as):
    for role in ("coordinator", "trainer", "learner"):
        login_as(role)
        assert client.post("/analytics/indicators/participants", data={"format": "csv"}).status_code == 403
        client.get("/logout")


def test_indicators_page_shows_breakdowns_and_the_lpdi_target(reached, client, login_as):
    login_as("issuer")
    page = client.get("/analytics/indicators?start=2026-01-01&end=2026-12-31").get_data(as_text=True)
    assert 'id="breakdown-sex-caption"' in page and "Mężczyzna" in page
    assert 'id="breakdown-age_band-caption"' in page and "55 lat i więcej" in page
    assert "0% (0 / 163)" in page and "50%" in page


def test_the_age_band_is_the_age_reached_in_the_year_the_period_starts():
    start = date(2026, 10, 1)
    assert [age_band(y, start) for y in (1997, 1996, 1972, 1971, None)] == ["under_30", "30_54", "30_54", "55_plus", "unknown"]
    assert age_band(1996, date(2025, 12, 31)) == "under_30"  # 29 in 2025
