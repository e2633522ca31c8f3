"""The needs table leaves the platform only suppressed, as on the page, and every export is in the audit log."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from elearn.core.models import AuditEntry
from elearn.extensions import db

from .helpers import C2, build_region


@pytest.fixture
def region(make_user):
    return build_region(make_user)


def _audits() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "analytics.needs_export")))


def test_csv_by_powiat_from_the_page_is_suppressed_and_audited(region, client, login_as):
    rops = login_as("issuer")
    response = client.post(f"/analytics/needs/export?role=animator&competence={C2}", data={"by": "powiat", "format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Powiat;Ośrodek pomocy społecznej")
    assert lines[1:] == ["powiat toruński;< 5;< 5;7", "Bydgoszcz;< 5;< 5;11", "Razem;11;7;18"]
    [entry] = _audits()
    assert entry.actor_id == rops.id and entry.details["competence"] == C2 and entry.details["format"] == "csv"


def test_xlsx_by_institution_type_is_the_transposed_table(region, client, login_as):
    login_as("admin")
    response = client.post(f"/analytics/needs/export?role=animator&competence={C2}", data={"by": "institution-type", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0] == ("Typ instytucji", "powiat toruński", "Bydgoszcz", "Razem")
    assert rows[1][1:] == ("< 5", "< 5", 11) and rows[3] == ("Razem", 7, 11, 18)


def test_export_refuses_a_bad_shape_and_other_roles(region, client, login_as):
    login_as("issuer")
    assert client.post("/analytics/needs/export", data={"by": "gmina", "format": "csv"}).status_code == 400
    client.get("/logout")
    login_as("trainer")
    assert client.post("/analytics/needs/export", data={"by": "powiat", "format": "csv"}).status_code == 403
    assert _audits() == []


def test_cli_writes_the_same_suppressed_table_and_audits(region, runner, tmp_path):
    path = tmp_path / "needs.csv"
    result = runner.invoke(args=["analytics", "needs", "--by", "powiat", "--role", "animator", "--format", "csv", str(path)])
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[-1] == "Razem;13;10;23"  # nobody holds every animator competence: all 23 are behind
    assert len(_audits()) == 1
    bad = runner.invoke(args=["analytics", "needs", "--by", "powiat", "--role", "nobody", "--format", "csv", str(path)])
    assert bad.exit_code != 0 and "unknown role" in bad.output
