from __future__ import annotations

from sqlalchemy import func, select

from elearn.core.models import AuditEntry
from elearn.directory import services
from elearn.directory.models import GMINA, POWIAT, Institution, TerritorialUnit
from elearn.extensions import db

HEADER = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n"


def _count(level: str, prefix: str = "04") -> int:
    return db.session.scalar(
        select(func.count()).select_from(TerritorialUnit).where(TerritorialUnit.level == level, TerritorialUnit.code.startswith(prefix))
    )


def test_kujawsko_pomorskie_is_seeded():
    assert _count(POWIAT) == 23  # 19 powiats + Bydgoszcz, Grudziądz, Toruń, Włocławek
    assert _count(GMINA) == 144
    torun = db.session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == "0463"))
    assert torun.kind == "miasto na prawach powiatu"
    lubicz = db.session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == "0415042"))
    assert lubicz.powiat.name == "toruński"
    # Every gmina has its social assistance centre, every powiat its PCPR.
    assert db.session.scalar(select(func.count()).select_from(Institution).where(Institution.type == "PCPR")) == 23


def test_import_is_idempotent_and_loads_other_voivodeships(tmp_path):
    again = services.import_terc(db.session, services.SEED_TERC)
    assert (again.created, again.updated) == (0, 0)
    csv_file = tmp_path / "TERC.csv"
    csv_file.write_text(
        HEADER
        + "02;;;;DOLNOŚLĄSKIE;województwo;2020-01-01\r\n"
        + "02;01;;;bolesławiecki;powiat;2020-01-01\r\n"
        + "02;01;01;1;Bolesławiec;gmina miejska;2020-01-01\r\n"
        + "02;01;02;2;Bolesławiec;gmina wiejska;2020-01-01\r\n"
        + "02;01;03;4;Nowogrodziec;miasto;2020-01-01\r\n",  # a town part of a type-3 gmina: not a gmina
        encoding="utf-8",
    )
    result = services.import_terc(db.session, csv_file)
    assert result.created == 4
    assert db.session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == "02")).name == "dolnośląskie"
    assert _count(GMINA, "02") == 2
    assert services.seed_institutions(db.session, "04") == 0


def test_broken_file_names_the_line(tmp_path):
    import pytest

    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(HEADER + "09;01;01;1;Gmina bez powiatu;gmina miejska;2020-01-01\r\n", encoding="utf-8")
    with pytest.raises(services.TercFormatError, match="no parent"):
        services.import_terc(db.session, csv_file)
    missing = tmp_path / "cols.csv"
    missing.write_text("WOJ;NAZWA\r\n04;X\r\n", encoding="utf-8")
    with pytest.raises(services.TercFormatError, match="missing columns"):
        services.import_terc(db.session, missing)


def test_admin_creates_and_edits_institution_with_audit(client, login_as, institution):
    admin = login_as("admin")
    response = client.post(
        "/admin/institutions/new",
        data={
            "name": "Stowarzyszenie Sąsiedzi z Lubicza", "type": "NGO", "street": "ul. Toruńska 1", "postal_code": "87-162",
            "city": "Lubicz", "location_id": str(institution.served_area_id), "served_area_id": str(institution.served_area_id),
            "regon": "", "active": "y",
        },
    )  # fmt: skip
    assert response.status_code == 302
    created = db.session.scalar(select(Institution).where(Institution.name == "Stowarzyszenie Sąsiedzi z Lubicza"))
    assert created.type == "NGO" and created.postal_code == "87-162"
    response = client.post(
        f"/admin/institutions/{created.id}",
        data={"name": "Stowarzyszenie Sąsiedzi", "type": "NGO", "served_area_id": str(institution.served_area_id), "location_id": "0"},
    )
    assert response.status_code == 302
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == str(created.id), AuditEntry.actor_id == admin.id)).all()
    assert [e.action for e in entries] == ["institution.create", "institution.update"]
    assert entries[1].details["changes"]["name"] == ["Stowarzyszenie Sąsiedzi z Lubicza", "Stowarzyszenie Sąsiedzi"]
    assert not created.active  # unchecked box deactivates: it disappears from the registration list
    assert "Stowarzyszenie Sąsiedzi" not in client.get("/register").get_data(as_text=True)


def test_registration_lists_institutions_grouped_by_powiat(client):
    html = client.get("/register").get_data(as_text=True)
    assert '<optgroup label="powiat toruński">' in html
    assert "Gminny ośrodek pomocy społecznej – gmina wiejska Lubicz" in html
