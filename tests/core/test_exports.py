"""Every spreadsheet the app writes neutralises formulas and is labelled correctly (issue 9, findings 2 and 16)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from elearn.certificates.models import Certificate
from elearn.competencies.services import levels
from elearn.core.exports import neutralise
from elearn.courses.models import CourseVersion
from elearn.extensions import db
from tests.certificates.helpers import complete, course

FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


def _csv_rows(response) -> list[list[str]]:
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="')
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _no_formula(cells) -> None:
    for cell in cells:
        assert not (isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("value", FORMULAS)
def test_neutralise_prefixes_formula_cells_and_leaves_numbers(value):
    assert neutralise(value) == "'" + value
    assert neutralise(3) == 3
    assert neutralise("Ewa Nowak") == "Ewa Nowak"


def test_team_csv_neutralises_names_and_job_titles(client, make_user, login):
    members = [make_user("learner", full_name=f"{value} Kowalska", job_title=value) for value in FORMULAS]
    for member in members:
        levels.record_evidence(db.session, user_id=member.id, code="ANI.1.1", level=2, source="imported")
    db.session.commit()
    login(make_user("coordinator"))
    rows = _csv_rows(client.get("/competencies/team.csv?role=animator"))
    body = [row for row in rows if row[0].endswith(" Kowalska")]
    assert len(body) == len(FORMULAS)
    for row in rows:
        _no_formula(row)
    assert all(row[0].startswith("'") and row[1].startswith("'") for row in body)


def test_register_csv_and_xlsx_neutralise_holder_and_course(client, make_user, login):
    version = db.session.scalar(select(CourseVersion).where(CourseVersion.course_id == course().id).order_by(CourseVersion.number.desc()))
    version.title = '=HYPERLINK("http://x","kurs")'
    holder = make_user("learner", full_name="@SUM(1,1) Nowak")
    complete(holder.id)
    db.session.commit()
    login(make_user("issuer"))
    client.post("/certificates/issue", data={"confirmed": "1", "selected": f"{holder.id}:{course().id}"})
    assert db.session.scalar(select(Certificate).where(Certificate.user_id == holder.id)) is not None
    rows = _csv_rows(client.get("/certificates/register.csv?q=Nowak"))
    assert rows[1][1] == "'@SUM(1,1) Nowak"
    assert rows[1][2] == "'" + version.title
    for row in rows:
        _no_formula(row)
    xlsx = client.get("/certificates/register.xlsx?q=Nowak")
    assert xlsx.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert xlsx.headers["Content-Disposition"].startswith('attachment; filename="rejestr-zaswiadczen.xlsx"')
    values = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert values[1][1] == "'@SUM(1,1) Nowak"
    for row in values:
        _no_formula(row)


def test_moodle_csv_declares_its_charset_once(client, login_as):
    login_as("admin")
    response = client.get("/competencies/framework/moodle.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
