"""Moodle competency-framework CSV round trip and 1EdTech CASE export."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
from jsonschema import Draft201909Validator

from elearn.competencies.services import current_framework, levels
from elearn.competencies.services.interop import (
    MOODLE_HEADERS,
    InteropError,
    export_case,
    export_moodle_csv,
    import_case,
    import_moodle_csv,
)
from elearn.competencies.services.moodle import FORMAT_CODES
from elearn.extensions import db
from tests.competencies.helpers import fixture_text, moodle_problems


def tree(framework):
    return [(a.code, a.name, a.description, [(c.code, c.name, c.description, c.area.code) for c in a.competences]) for a in framework.areas]


def test_moodle_csv_has_moodle_header_and_framework_row():
    rows = list(csv.reader(io.StringIO(export_moodle_csv(db.session))))
    assert rows[0] == MOODLE_HEADERS
    framework_row = dict(zip(MOODLE_HEADERS, rows[1], strict=True))
    assert framework_row["Is framework"] == "1"
    assert framework_row["ID number"] == "osl"
    assert framework_row["Scale values"] == "brak,podstawowy,samodzielny,ekspercki"
    config = json.loads(framework_row["Scale configuration"])
    assert config[0] == {"scaleid": "0"}
    assert config[1] == {"id": 1, "scaledefault": 1, "proficient": 0}
    assert [c["proficient"] for c in config[1:]] == [0, 0, 1, 1]
    competence = dict(zip(MOODLE_HEADERS, next(r for r in rows if r[1] == "ANI.1.2"), strict=True))
    assert competence["Parent ID number"] == "ANI.1"
    assert competence["Is framework"] == ""
    assert len(rows) == 1 + 1 + 16 + 48


def test_moodle_round_trip_reproduces_the_tree(make_user):
    original = current_framework(db.session)
    expected = tree(original)
    user = make_user()
    levels.record_evidence(db.session, user_id=user.id, code="ANI.1.2", level=2, source="imported")

    imported = import_moodle_csv(db.session, export_moodle_csv(db.session))
    assert (imported.key, imported.version) == ("osl", "1.2")
    assert imported.id != original.id
    assert tree(imported) == expected
    assert [s.name for s in imported.scale] == ["brak", "podstawowy", "samodzielny", "ekspercki"]
    assert current_framework(db.session).id == imported.id
    # What Moodle cannot carry is kept by code from the previous version; evidence maps forward.
    comp = next(c for c in imported.competences if c.code == "ANI.1.2")
    assert comp.category == "umiejetnosci"
    assert comp.indicators["2"]
    from elearn.competencies.services import required_profile

    assert required_profile(db.session, "animator")["ANI.1.2"] == 2
    assert levels.current_levels(db.session, user.id) == {"ANI.1.2": 2}
    # A second round trip from the imported version reproduces the tree again.
    # Exporting it gives the same file, so importing it again stores no new version.
    again = import_moodle_csv(db.session, export_moodle_csv(db.session, imported))
    assert again.id == imported.id
    assert tree(again) == expected


def test_moodle_import_reports_problems():
    with pytest.raises(InteropError, match="header row has 3 columns"):
        import_moodle_csv(db.session, "a,b,c\n")
    text = export_moodle_csv(db.session).replace("\nANI.1,ANI.1.2,", "\nNIEMA,ANI.1.2,")
    with pytest.raises(InteropError, match="parent 'NIEMA' is not in the file"):
        import_moodle_csv(db.session, text)
    header = ",".join(MOODLE_HEADERS)
    with pytest.raises(InteropError, match="no framework row"):
        import_moodle_csv(db.session, header + "\n,X.1,Obszar,,2,,,,,,,,0,\n")


def moodle_tree(framework):
    """(code, parent code or area code, depth) of every competency, as Moodle would show the hierarchy."""
    out = [(a.code, "", 1) for a in framework.areas]
    for comp in framework.competences:
        depth, node = 2, comp
        while node.parent is not None:
            node, depth = node.parent, depth + 1
        out.append((comp.code, comp.parent.code if comp.parent else comp.area.code, depth))
    return sorted(out)


def test_moodles_own_fixture_imports_to_64_competencies_in_their_hierarchy():
    framework = import_moodle_csv(db.session, fixture_text("moodle-example.csv"))
    assert framework.key == "OECD-CORE" and framework.title == "OECD"
    assert len(framework.areas) + len(framework.competences) == 64
    assert [a.code for a in framework.areas] == ["levels", "competencies"]
    rows = moodle_tree(framework)
    assert sorted({depth for _, _, depth in rows}) == [1, 2, 3, 4]
    assert ("DR-AT1", "analytical-thinking", 4) in rows
    assert ("analytical-thinking", "delivery", 3) in rows
    assert ("delivery", "competencies", 2) in rows
    assert [s.name for s in framework.scale] == ["Not yet competent", "Competent"]
    assert json.loads(framework.scale_configuration)[1] == {"id": 2, "scaledefault": 1, "proficient": 1}
    assert framework.description_format == "html" and framework.description.startswith("<p>The Core Competencies")
    comp = next(c for c in framework.competences if c.code == "level-1")
    assert comp.description_format == "html"
    assert comp.exported_id == "2"
    assert {"S-DT-1", "DR-AF-1", "I-CF-1"} <= set(comp.related)
    assert "DR-AT1" in comp.related
    # The OSL framework is untouched and still the one profiles use.
    assert current_framework(db.session).key == "osl"


def test_moodle_import_reads_columns_by_position_with_bom_crlf_and_any_header():
    text = fixture_text("moodle-example.csv")
    polish = ",".join(f"Kolumna {i}" for i in range(14))
    text = "\ufeff" + polish + "\n" + text.split("\n", 1)[1]
    framework = import_moodle_csv(db.session, text.replace("\n", "\r\n"), key="oecd-pl")
    assert len(framework.areas) + len(framework.competences) == 64
    level = next(c for c in framework.competences if c.code == "level-2")
    assert "\r" not in level.description


def test_moodle_html_descriptions_are_sanitised_and_keep_their_format():
    text = fixture_text("moodle-example.csv").replace(
        "<p>Planning for the future</p>", "<p onclick='x()'>Planning <script>alert(1)</script>for the future</p>"
    )
    framework = import_moodle_csv(db.session, text)
    comp = next(c for c in framework.competences if c.code == "strategic")
    assert comp.description_format == FORMAT_CODES["1"]
    assert "<script" not in comp.description and "onclick" not in comp.description
    assert comp.description.startswith("<p>Planning")


def test_moodle_fixture_round_trip_gives_moodle_a_file_it_accepts():
    original = import_moodle_csv(db.session, fixture_text("moodle-example.csv"))
    exported = export_moodle_csv(db.session, original)
    assert moodle_problems(exported) == []
    rows = {r[1]: r for r in csv.reader(io.StringIO(exported))}
    assert rows["OECD-CORE"][4] == "1" and rows["level-1"][4] == "1"
    assert rows["DR-AT1"][0] == "analytical-thinking"
    assert rows["level-3"][11] == "4"
    assert "S-DT-1" in rows["level-1"][10].split(",")
    again = import_moodle_csv(db.session, exported)
    assert again.id != original.id
    assert moodle_tree(again) == moodle_tree(original)
    assert [(c.code, c.description, c.description_format, c.related, c.exported_id) for c in again.competences] == [
        (c.code, c.description, c.description_format, c.related, c.exported_id) for c in original.competences
    ]
    assert again.scale_configuration == original.scale_configuration


def test_osl_export_is_accepted_by_moodle():
    assert moodle_problems(export_moodle_csv(db.session)) == []


def test_moodle_import_refuses_a_scale_without_proficient_value():
    text = fixture_text("moodle-example.csv").replace('""proficient"":1', '""proficient"":0')
    with pytest.raises(InteropError, match="no proficient value"):
        import_moodle_csv(db.session, text)


def test_cli_export_and_import_moodle(runner, tmp_path):
    path = tmp_path / "osl.csv"
    assert runner.invoke(args=["competencies", "export-moodle", str(path)]).exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("Parent ID number,")
    import_moodle_csv(db.session, fixture_text("moodle-example.csv"))
    db.session.commit()
    oecd = tmp_path / "oecd.csv"
    assert runner.invoke(args=["competencies", "export-moodle", str(oecd), "--key", "OECD-CORE"]).exit_code == 0
    assert moodle_problems(oecd.read_text(encoding="utf-8")) == []
    assert ",DR-AT1," in oecd.read_text(encoding="utf-8")
    assert runner.invoke(args=["competencies", "export-moodle", str(oecd), "--key", "nie-ma"]).exit_code != 0
    case_path = tmp_path / "case.json"
    assert runner.invoke(args=["competencies", "export-case", str(case_path)]).exit_code == 0
    assert json.loads(case_path.read_text(encoding="utf-8"))["CFDocument"]["language"] == "pl"


def case_schema_errors(package):
    schema = json.loads(fixture_text("case-v1p1-cfpackage-schema.json"))
    validator = Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(package)]


def test_case_export_structure():
    package = export_case(db.session)
    framework = current_framework(db.session)
    document = package["CFDocument"]
    assert document["identifier"] == str(uuid.uuid5(uuid.UUID("6f1c1a52-8a6b-4b8e-9d9b-4f1f0e7c0a11"), "osl:"))
    assert document["title"] == framework.title
    assert document["uri"] == f"http://localhost/ims/case/v1p0/CFPackages/{document['identifier']}"
    items = {i["humanCodingScheme"]: i for i in package["CFItems"]}
    assert len(items) == 16 + 48
    assert items["ANI.1"]["CFItemType"] == "Area"
    assert items["ANI.1.2"]["CFItemType"] == "Competence"
    assert items["ANI.1.2"]["language"] == "pl"
    assert items["ANI.1.2"]["fullStatement"].startswith("Diagnoza partycypacyjna")
    assert items["ANI.1.2"]["uri"] == f"http://localhost/ims/case/v1p0/CFItems/{items['ANI.1.2']['identifier']}"
    associations = package["CFAssociations"]
    assert len(associations) == 64
    assert {a["associationType"] for a in associations} == {"isChildOf"}
    child = next(a for a in associations if a["originNodeURI"]["identifier"] == items["ANI.1.2"]["identifier"])
    assert child["destinationNodeURI"]["identifier"] == items["ANI.1"]["identifier"]
    assert child["sequenceNumber"] == 2
    area = next(a for a in associations if a["originNodeURI"]["identifier"] == items["ANI.1"]["identifier"])
    assert area["destinationNodeURI"]["identifier"] == document["identifier"]


def test_case_export_is_valid_against_the_official_case_1_1_schema():
    assert case_schema_errors(export_case(db.session)) == []
    deep = import_moodle_csv(db.session, fixture_text("moodle-example.csv"))
    package = export_case(db.session, deep)
    assert case_schema_errors(package) == []
    assert len(package["CFItems"]) == 64


def test_case_identifiers_are_stable_across_versions():
    before = export_case(db.session)
    newer = import_moodle_csv(db.session, export_moodle_csv(db.session))
    after = export_case(db.session, newer)
    assert after["CFDocument"]["version"] != before["CFDocument"]["version"]
    assert after["CFDocument"]["identifier"] == before["CFDocument"]["identifier"]
    assert [i["identifier"] for i in after["CFItems"]] == [i["identifier"] for i in before["CFItems"]]
    assert [a["identifier"] for a in after["CFAssociations"]] == [a["identifier"] for a in before["CFAssociations"]]


def test_case_endpoints_serve_the_framework_to_anyone(client):
    package = export_case(db.session)
    listing = client.get("/ims/case/v1p0/CFDocuments")
    assert listing.status_code == 200 and listing.is_json
    assert package["CFDocument"]["identifier"] in [d["identifier"] for d in listing.get_json()["CFDocuments"]]
    served = client.get(package["CFDocument"]["uri"].removeprefix("http://localhost")).get_json()
    assert served == package
    item = package["CFItems"][5]
    body = client.get(item["uri"].removeprefix("http://localhost")).get_json()
    assert body["fullStatement"] == item["fullStatement"]
    assert body["CFDocumentURI"]["identifier"] == package["CFDocument"]["identifier"]
    link = package["CFAssociations"][5]
    assert client.get(link["uri"].removeprefix("http://localhost")).get_json()["originNodeURI"] == link["originNodeURI"]
    missing = client.get("/ims/case/v1p0/CFItems/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.is_json


def test_case_package_imports_as_another_framework_with_its_hierarchy():
    deep = import_moodle_csv(db.session, fixture_text("moodle-example.csv"))
    package = export_case(db.session, deep)
    imported = import_case(db.session, package, key="oecd-case")
    assert imported.key == "oecd-case" and imported.title == "OECD"
    assert moodle_tree(imported) == moodle_tree(deep)
    assert current_framework(db.session).key == "osl"
    assert import_case(db.session, package, key="oecd-case").id == imported.id
    with pytest.raises(InteropError, match="no CFDocument"):
        import_case(db.session, {"CFItems": []})


def foreign_case_package() -> dict:
    """A CASE 1.0 package as another CASE tool writes it (written for these tests): its items were added in one order
    and `sequenceNumber` on the isChildOf associations puts them in the other; the items carry no sequenceNumber of
    their own, and the document's identifier is not an RFC 4122 UUID."""
    doc = {"identifier": "d0000000-0000-0000-0000-000000000000", "title": "Kolejność obszarów (test)",
           "uri": "https://case.example.org/ims/case/v1p0/CFDocuments/d0000000-0000-0000-0000-000000000000",
           "creator": "Inny edytor CASE", "lastChangeDateTime": "2026-11-03T23:00:33+00:00"}  # fmt: skip
    items = [
        ("e144c2e6-c0ea-11e7-95f7-5d664f4d8844", "KOL.1", "Obszar dodany jako pierwszy", 2),
        ("ea98ab46-c0ea-11e7-820f-a71b35976453", "KOL.2", "Obszar dodany jako drugi, ale pierwszy w kolejności", 1),
    ]
    return {
        "CFDocument": doc,
        "CFItems": [
            {
                "identifier": ident,
                "humanCodingScheme": code,
                "fullStatement": text,
                "CFDocumentURI": {"title": doc["title"], "identifier": doc["identifier"], "uri": doc["uri"]},
                "lastChangeDateTime": doc["lastChangeDateTime"],
                "uri": f"https://case.example.org/ims/case/v1p0/CFItems/{ident}",
            }
            for ident, code, text, _seq in items
        ],
        "CFAssociations": [
            {
                "identifier": f"a{n}000000-c0ea-11e7-aa16-9fb3d6294ee4",
                "associationType": "isChildOf",
                "sequenceNumber": seq,
                "originNodeURI": {"title": code, "identifier": ident, "uri": f"https://case.example.org/ims/case/v1p0/CFItems/{ident}"},
                "destinationNodeURI": {"title": doc["title"], "identifier": doc["identifier"], "uri": doc["uri"]},
                "lastChangeDateTime": doc["lastChangeDateTime"],
                "uri": f"https://case.example.org/ims/case/v1p0/CFAssociations/a{n}",
            }
            for n, (ident, code, _text, seq) in enumerate(items)
        ],
    }


def test_a_foreign_case_package_imports_in_sequence_number_order():
    imported = import_case(db.session, foreign_case_package())  # lenient: a non-UUID document identifier is accepted
    assert imported.key == "d0000000-0000-0000-0000-000000000000" and imported.title == "Kolejność obszarów (test)"
    assert [(a.code, a.name) for a in imported.areas] == [
        ("KOL.2", "Obszar dodany jako drugi, ale pierwszy w kolejności"),
        ("KOL.1", "Obszar dodany jako pierwszy"),
    ]
    assert current_framework(db.session).key == "osl"  # the OSL framework stays the one profiles use
    assert case_schema_errors(export_case(db.session, imported)) == []  # and it goes out again as valid CASE 1.1


def test_cli_import_and_export_case(runner, tmp_path):
    path = tmp_path / "osl-case.json"
    assert runner.invoke(args=["competencies", "export-case", str(path)]).exit_code == 0
    result = runner.invoke(args=["competencies", "import-case", str(path), "--key", "osl-case"])
    assert result.exit_code == 0, result.output
    assert "64 items" in result.output
    assert current_framework(db.session).key == "osl"
    assert current_framework(db.session, "osl-case").competences
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert runner.invoke(args=["competencies", "import-case", str(bad)]).exit_code != 0
