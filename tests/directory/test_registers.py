"""`flask directory import-institutions`: a ROPS loads its region's DPS, ŚDS, CUS, NGO and PES from a register file
(CSV or XLSX, written here for each test). Idempotent, matched by REGON or by name and unit; every row is checked
first and one bad row refuses the whole file with messages in Polish; audited."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import func, select

from elearn.core.models import AuditEntry
from elearn.directory.models import Institution
from elearn.directory.services import grouped_institution_choices
from elearn.directory.services.registers import RegisterFormatError, import_institutions
from elearn.extensions import db

HEADER = "nazwa;typ;teryt;ulica;kod_pocztowy;miejscowość;REGON"
ROWS = [
    "Dom Pomocy Społecznej Testowy w Lubiczu;DPS;0415042;ul. Próbna 1;87-162;Lubicz Dolny;123456785",
    "Środowiskowy Dom Samopomocy Testowy;ŚDS;0415;;;;",
    "Stowarzyszenie Testowe Sąsiedzi;NGO;0415042;;;;",
    "Spółdzielnia Socjalna Testowa;PES;0463011;;;;12345678512347",
]


def _csv(tmp_path, lines, name="rejestr.csv", bom=True):
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + "\n".join(lines).encode("utf-8") + b"\n")
    return path


def _count() -> int:
    return db.session.scalar(select(func.count(Institution.id)))


def _by_name(name: str) -> Institution:
    return db.session.scalar(select(Institution).where(Institution.name == name))


def _polish(exc: RegisterFormatError) -> list[str]:
    with force_locale("pl"):
        return exc.errors


def test_loads_every_type_into_the_picker_and_again_changes_nothing(app, tmp_path):
    before = _count()
    path = _csv(tmp_path, [HEADER, *ROWS])
    result = import_institutions(db.session, path)
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0) and _count() == before + 4
    dps = _by_name("Dom Pomocy Społecznej Testowy w Lubiczu")
    assert (dps.type, dps.served_area.code, dps.location.code, dps.street, dps.postal_code, dps.city, dps.regon) == (
        "DPS", "0415042", "0415042", "ul. Próbna 1", "87-162", "Lubicz Dolny", "123456785")  # fmt: skip
    sds = _by_name("Środowiskowy Dom Samopomocy Testowy")
    assert (sds.type, sds.served_area.code, sds.location_id) == ("SDS", "0415", None)
    with app.test_request_context():
        group = grouped_institution_choices(db.session, missing=True)["powiat toruński"]
    names = [label for _value, label in group]
    assert {"Dom Pomocy Społecznej Testowy w Lubiczu", "Środowiskowy Dom Samopomocy Testowy", "Stowarzyszenie Testowe Sąsiedzi"} <= set(
        names
    )
    values = [value for value, _label in group if isinstance(value, str)]
    assert not {"brak-DPS-0415", "brak-SDS-0415", "brak-NGO-0415"} & set(values) and "brak-CUS-0415" in values

    again = import_institutions(db.session, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4) and _count() == before + 4
    audits = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "institution.import")).all()
    assert [(a.details["created"], a.details["unchanged"], a.details["filename"]) for a in audits] == [
        (4, 0, "rejestr.csv"),
        (0, 4, "rejestr.csv"),
    ]
    created = db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "institution.create"))
    assert created >= 4


def test_matches_by_regon_then_by_name_and_unit(tmp_path):
    import_institutions(db.session, _csv(tmp_path, [HEADER, *ROWS]))
    before = _count()
    renamed = "Dom Pomocy Społecznej im. Testową w Lubiczu;DPS;0415042;ul. Próbna 1;87-162;Lubicz Dolny;123456785"
    moved = "stowarzyszenie  testowe – sąsiedzi;NGO;0415042;ul. Nowa 2;;;"  # the same name, written differently
    result = import_institutions(db.session, _csv(tmp_path, [HEADER, renamed, moved], name="zmiany.csv"))
    assert (result.created, result.updated) == (0, 2) and _count() == before
    dps = db.session.scalar(select(Institution).where(Institution.regon == "123456785"))
    assert dps.name == "Dom Pomocy Społecznej im. Testową w Lubiczu"
    ngo = _by_name("stowarzyszenie testowe – sąsiedzi")  # spacing tidied
    assert ngo.street == "ul. Nowa 2"
    change = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "institution.update", AuditEntry.target_id == str(dps.id))
    ).all()
    assert change and "name" in change[-1].details["changes"]
    # The same name in another gmina is another institution.
    other = import_institutions(db.session, _csv(tmp_path, [HEADER, "Stowarzyszenie Testowe Sąsiedzi;NGO;0415052;;;;"], name="inna.csv"))
    assert other.created == 1


def test_every_bad_row_is_named_in_polish_and_nothing_is_written(tmp_path):
    before = (_count(), db.session.scalar(select(func.count(AuditEntry.id))))
    lines = [
        HEADER,
        ROWS[0],  # valid, but not written either: the file is loaded whole or not at all
        ";DPS;0415042;;;;",
        "Dom X;XYZ;0415042;;;;",
        "Dom Pomocy Y;DPS;415;;;;",
        "Dom Pomocy Z;DPS;9999999;;87162;;12345",
        ROWS[0].replace("Testowy w Lubiczu", "Inny"),  # the same REGON as row 2
    ]
    with pytest.raises(RegisterFormatError) as caught:
        import_institutions(db.session, _csv(tmp_path, lines))
    messages = _polish(caught.value)
    assert "Wiersz 3: nazwa (kolumna nazwa) jest pusta." in messages
    assert any(m.startswith("Wiersz 4: nieznany typ „XYZ”; dozwolone: OPS, MOPR, PCPR, CUS, DPS, SDS") for m in messages)
    assert not any(m.startswith("Wiersz 4: nazwa") for m in messages)  # "Dom X" is long enough
    assert any(m.startswith("Wiersz 5: kod TERYT „415”") for m in messages)
    assert "Wiersz 6: żadna gmina, powiat ani województwo nie ma kodu TERYT 9999999." in messages
    assert "Wiersz 6: kod pocztowy „87162” musi mieć postać 00-000." in messages
    assert "Wiersz 6: REGON „12345” musi mieć 9 albo 14 cyfr." in messages
    assert "Wiersz 7 powtarza instytucję z wiersza 2." in messages
    assert len(messages) == 7
    assert (_count(), db.session.scalar(select(func.count(AuditEntry.id)))) == before


def test_columns_are_checked_before_rows(tmp_path):
    with pytest.raises(RegisterFormatError) as caught:
        import_institutions(db.session, _csv(tmp_path, ["nazwa;teryt;adres", "Dom;0415042;ul. A"]))
    assert _polish(caught.value) == [
        "Brakuje kolumn: typ.",
        "Nieznane kolumny: adres (dozwolone: nazwa, typ, teryt, ulica, kod_pocztowy, miejscowosc, regon).",
    ]
    with pytest.raises(RegisterFormatError) as caught:
        import_institutions(db.session, _csv(tmp_path, [HEADER], name="pusty.csv"))
    assert _polish(caught.value) == ["W pliku pusty.csv pod wierszem nagłówka nie ma żadnej instytucji."]
    latin2 = tmp_path / "latin2.csv"
    latin2.write_bytes("nazwa;typ;teryt\nDom Pomocy Społecznej;DPS;0415042\n".encode("iso-8859-2"))
    with pytest.raises(RegisterFormatError) as caught:
        import_institutions(db.session, latin2)
    assert "UTF-8" in _polish(caught.value)[0]


def test_xlsx_with_codes_stored_as_numbers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Nazwa", "Typ", "TERYT", "REGON"])
    sheet.append(["Centrum Usług Społecznych Testowe", "CUS", 415042, 12345678.0])  # leading zeros lost by the spreadsheet
    sheet.append(["Ośrodek Wsparcia Ekonomii Społecznej Testowy", "OWES", 4, None])
    path = tmp_path / "rejestr.xlsx"
    book.save(path)
    result = import_institutions(db.session, path)
    assert result.created == 2
    cus = _by_name("Centrum Usług Społecznych Testowe")
    assert (cus.type, cus.served_area.code, cus.regon) == ("CUS", "0415042", "012345678")
    owes = _by_name("Ośrodek Wsparcia Ekonomii Społecznej Testowy")
    assert owes.served_area.level == "wojewodztwo"
    assert import_institutions(db.session, path).unchanged == 2


def test_cli_reports_in_polish_and_writes_nothing_on_error(runner, tmp_path):
    good = runner.invoke(args=["directory", "import-institutions", str(_csv(tmp_path, [HEADER, *ROWS]))])
    assert good.exit_code == 0, good.output
    assert "Instytucje z pliku rejestr.csv: 4 dodanych, 0 zmienionych, 0 bez zmian" in good.output
    before = _count()
    bad = runner.invoke(
        args=["directory", "import-institutions", str(_csv(tmp_path, [HEADER, ROWS[1], "Dom;DPS;04150;;;;"], name="zly.csv"))]
    )
    assert bad.exit_code == 1
    assert "Nie wczytano pliku zly.csv; nic nie zapisano." in bad.output
    assert "Wiersz 3: kod TERYT „04150” musi mieć 7 cyfr (gmina), 4 (powiat) albo 2 (województwo)." in bad.output
    assert "Wiersz 3: nazwa" not in bad.output  # "Dom" has 3 characters: enough
    assert _count() == before


def test_address_columns_and_control_characters_are_checked(tmp_path):
    long_street = "ul. " + "Długa " * 30
    lines = [HEADER, f"Dom Pomocy A;DPS;0415042;{long_street};;;", "Dom Pomocy B\x07;DPS;0415042;;;;", "Dom Pomocy C;dps;0415052;;;;"]
    with pytest.raises(RegisterFormatError) as caught:
        import_institutions(db.session, _csv(tmp_path, lines))
    assert _polish(caught.value) == [
        "Wiersz 2: kolumna ulica ma więcej niż 150 znaków.",
        "Wiersz 3 zawiera znaki sterujące; zapisz plik ponownie jako zwykły tekst.",
    ]  # "dps" in lower case is a known type
    ods = tmp_path / "rejestr.ods"
    ods.write_bytes(b"PK")
    with pytest.raises(RegisterFormatError) as caught:
        import_institutions(db.session, ods)
    assert _polish(caught.value) == ["rejestr.ods: podaj plik .csv albo .xlsx."]
