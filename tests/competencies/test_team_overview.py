"""The coordinator's team page: courses, certificates, a summary row, a worker summary and the exports (issue #13)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from elearn.competencies.services import levels
from elearn.directory.models import Institution
from elearn.extensions import db
from tests.competencies.helpers import complete_module


@pytest.fixture
def other_institution(institution):
    return db.session.scalar(select(Institution).where(Institution.id != institution.id).order_by(Institution.id))


def _team(make_user):
    coordinator = make_user("coordinator", "learner", full_name="Barbara Koordynatorka")
    worker = make_user(full_name="Ewa Pracownica", job_title='=HYPERLINK("http://zlo")')
    complete_module(worker.id, "wprowadzenie-do-osl")
    levels.record_evidence(db.session, user_id=worker.id, code="WSP.1.1", level=3, source="imported")
    db.session.commit()
    return coordinator, worker


def test_team_page_shows_courses_summary_row_and_links_to_a_worker(client, make_user, login):
    coordinator, worker = _team(make_user)
    login(coordinator)
    html = client.get("/competencies/team").get_data(as_text=True)
    assert f'href="/competencies/team/{worker.id}"' in html
    assert "<tfoot>" in html and ("Spełnia wymóg" in html or "Meet the requirement" in html)
    assert "Kursy ukończone" in html or "Courses completed" in html
    summary = client.get(f"/competencies/team/{worker.id}").get_data(as_text=True)
    assert "Ewa Pracownica" in summary
    assert "Wprowadzenie do organizowania społeczności lokalnej" in summary


def test_worker_summary_is_only_for_the_coordinators_own_team(client, make_user, login, other_institution):
    coordinator, worker = _team(make_user)
    stranger = make_user(institution_id=other_institution.id)
    login(coordinator)
    assert client.get(f"/competencies/team/{stranger.id}").status_code == 404
    login(make_user("coordinator", institution_id=other_institution.id))
    assert client.get(f"/competencies/team/{worker.id}").status_code == 404


def test_csv_opens_in_polish_excel_and_xlsx_in_openpyxl(client, make_user, login):
    coordinator, _worker = _team(make_user)
    login(coordinator)
    raw = client.get("/competencies/team.csv").data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:4] == ["Imię i nazwisko", "Stanowisko", "Kursy ukończone", "Kursy w toku"]
    assert "Zaświadczenia" in header or "Certificates" in header
    assert rows[1][0] == "Poziom wymagany" and rows[2][0].startswith("Spełnia wymóg")
    person = next(r for r in rows if r[0] == "Ewa Pracownica")
    assert person[1].startswith("'=")  # formula neutralised
    assert person[2] == "0" and person[3] == "1"
    response = client.get("/competencies/team.xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["Imię i nazwisko", "Stanowisko"]
    person = next(r for r in values if r[0] == "Ewa Pracownica")
    assert person[1].startswith("'=") and person[3] == 1
    code = header.index("WSP.1.1")
    level = int(next(r for r in rows if r[0] == "Ewa Pracownica")[code])
    assert level >= 1 and person[code] == level
    assert values[2][code] >= 1  # the summary row counts her
