"""Interoperability: Moodle competency-framework CSV (export and import) and 1EdTech CASE 1.0 JSON (export).

Moodle CSV is the format of Moodle's "Import competency framework" tool (admin/tool/lpimportcsv): one row for the
framework (Is framework = 1, with the scale), then one row per competency with its parent's ID number. elearn maps
areas to top-level competencies and competences to their children; ID number = code. Moodle has no place for roles,
required profiles, PRK categories or indicators: an import carries them forward by code from the newest stored
version of the same framework, so a round trip keeps them; a framework from elsewhere gets none of them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.timeutil import utcnow
from ..models import Area, Competence, Framework, RequiredLevel, Role, ScaleLevel
from .framework import current_framework

MOODLE_HEADERS = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
]
FORMAT_PLAIN = "2"  # Moodle FORMAT_PLAIN: descriptions are plain text
TAXONOMY = "domain,competency"  # level 1: areas, level 2: competences
PROFICIENT_FROM = 2  # "samodzielny" and above count as proficient in Moodle
CASE_NAMESPACE = uuid.UUID("6f1c1a52-8a6b-4b8e-9d9b-4f1f0e7c0a11")


class InteropError(ValueError):
    """The file cannot be imported; the message says which row and what is wrong."""


def _scale_configuration(scale: list[ScaleLevel]) -> str:
    items: list[dict] = [{"scaleid": "0"}]
    for position, level in enumerate(scale, start=1):
        items.append({"id": position, "scaledefault": 1 if position == 1 else 0, "proficient": 1 if level.level >= PROFICIENT_FROM else 0})
    return json.dumps(items, separators=(",", ":"))


def export_moodle_csv(session: Session, framework: Framework | None = None) -> str:
    framework = framework or current_framework(session)
    if framework is None:
        raise InteropError("no competency framework is loaded")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MOODLE_HEADERS)
    writer.writerow(
        [
            "",
            framework.key,
            framework.title,
            framework.description,
            FORMAT_PLAIN,
            ",".join(s.name for s in framework.scale),
            _scale_configuration(framework.scale),
            "",
            "",
            "",
            "",
            "",
            "1",
            TAXONOMY,
        ]
    )
    for area in framework.areas:
        writer.writerow(["", area.code, area.name, area.description, FORMAT_PLAIN, "", "", "", "", "", "", area.code, "0", ""])
        for comp in area.competences:
            writer.writerow([area.code, comp.code, comp.name, comp.description, FORMAT_PLAIN, "", "", "", "", "", "", comp.code, "0", ""])
    return buffer.getvalue()


def _next_version(session: Session, key: str) -> str:
    versions = session.scalars(select(Framework.version).where(Framework.key == key)).all()
    best = (1, -1)
    for version in versions:
        parts = version.split(".")
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
            best = max(best, (int(parts[0]), int(parts[1])))
    return f"{best[0]}.{best[1] + 1}"


def import_moodle_csv(session: Session, text: str, *, key: str | None = None, version: str | None = None) -> Framework:
    """Store a Moodle framework CSV as a new framework version (areas + competences); flushes, the caller commits."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [h.strip() for h in rows[0][: len(MOODLE_HEADERS)]] != MOODLE_HEADERS:
        raise InteropError("line 1: the header row is not Moodle's competency framework format")
    index = {name: i for i, name in enumerate(MOODLE_HEADERS)}

    def col(row: list[str], name: str) -> str:
        i = index[name]
        return row[i].strip() if i < len(row) else ""

    framework_row = None
    items: list[tuple[int, list[str]]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if col(row, "Is framework") not in ("", "0"):
            if framework_row is not None:
                raise InteropError(f"line {line}: a second framework row")
            framework_row = row
        else:
            items.append((line, row))
    if framework_row is None:
        raise InteropError("no framework row (Is framework = 1)")
    key = key or col(framework_row, "ID number")
    if not key:
        raise InteropError("the framework row has no ID number")
    previous = current_framework(session, key)
    version = version or _next_version(session, key)
    if session.scalar(select(Framework.id).where(Framework.key == key, Framework.version == version)):
        raise InteropError(f"framework {key} version {version} already exists")

    codes = {col(r, "ID number") for _l, r in items}
    areas_rows, comp_rows = [], []
    for line, row in items:
        code, parent = col(row, "ID number"), col(row, "Parent ID number")
        if not code or not col(row, "Short name"):
            raise InteropError(f"line {line}: ID number and Short name are required")
        if parent in ("", key):
            areas_rows.append((line, row))
        elif parent in codes:
            comp_rows.append((line, row))
        else:
            raise InteropError(f"line {line}: parent {parent!r} is not in the file")
    area_codes = {col(r, "ID number") for _l, r in areas_rows}
    for line, row in comp_rows:
        if col(row, "Parent ID number") not in area_codes:
            raise InteropError(f"line {line}: only two levels (areas and competences) are supported")
    if len(codes) != len(items):
        raise InteropError("ID numbers are not unique")

    old_areas = {a.code: a for a in previous.areas} if previous else {}
    old_comps = {c.code: c for c in previous.competences} if previous else {}
    framework = Framework(
        key=key,
        version=version,
        title=col(framework_row, "Short name"),
        description=col(framework_row, "Description"),
        source=previous.source if previous else "Moodle CSV",
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        loaded_at=utcnow(),
    )
    session.add(framework)
    scale_names = [s.strip() for s in col(framework_row, "Scale values").split(",") if s.strip()]
    old_scale = {s.level: s.description for s in previous.scale} if previous else {}
    for level, name in enumerate(scale_names):
        session.add(ScaleLevel(framework=framework, level=level, name=name, description=old_scale.get(level, name)))
    areas: dict[str, Area] = {}
    for position, (_line, row) in enumerate(areas_rows):
        code = col(row, "ID number")
        old = old_areas.get(code)
        areas[code] = Area(
            framework=framework,
            code=code,
            name=col(row, "Short name"),
            description=col(row, "Description"),
            role_code=old.role_code if old else "",
            position=position,
        )
        session.add(areas[code])
    comps: dict[str, Competence] = {}
    for position, (_line, row) in enumerate(comp_rows):
        code = col(row, "ID number")
        old = old_comps.get(code)
        comps[code] = Competence(
            framework=framework,
            area=areas[col(row, "Parent ID number")],
            code=code,
            name=col(row, "Short name"),
            description=col(row, "Description"),
            category=old.category if old else None,
            indicators=dict(old.indicators) if old else {},
            position=position,
        )
        session.add(comps[code])
    session.flush()
    if previous:
        for position, old_role in enumerate(previous.roles):
            role = Role(
                framework=framework,
                code=old_role.code,
                name=old_role.name,
                aliases=list(old_role.aliases),
                description=old_role.description,
                position=position,
            )
            session.add(role)
            session.flush()
            for req in old_role.required:
                if req.competence.code in comps:
                    session.add(RequiredLevel(framework_id=framework.id, role=role, competence=comps[req.competence.code], level=req.level))
    session.flush()
    session.expire(framework)
    return framework


# --- CASE ------------------------------------------------------------------------------------------------------


def case_id(framework: Framework, code: str = "") -> str:
    """Stable identifiers: the same framework key, version and code always give the same UUID."""
    return str(uuid.uuid5(CASE_NAMESPACE, f"{framework.key}:{framework.version}:{code}"))


def export_case(session: Session, framework: Framework | None = None) -> dict:
    """1EdTech CASE 1.0 package: CFDocument, CFItems (areas and competences) and CFAssociations (isChildOf)."""
    framework = framework or current_framework(session)
    if framework is None:
        raise InteropError("no competency framework is loaded")
    changed = framework.loaded_at.replace(microsecond=0).isoformat() + "+00:00"
    doc_id = case_id(framework)
    doc_uri = f"urn:uuid:{doc_id}"

    def node(identifier: str, title: str) -> dict:
        return {"title": title, "identifier": identifier, "uri": f"urn:uuid:{identifier}"}

    document = {
        "identifier": doc_id,
        "uri": doc_uri,
        "creator": "elearn",
        "title": framework.title,
        "lastChangeDateTime": changed,
        "version": framework.version,
        "description": framework.description,
        "language": "pl",
        "adoptionStatus": "Implemented",
        "notes": framework.source,
        "humanCodingScheme": framework.key,
    }
    items, associations = [], []
    doc_link = {"title": framework.title, "identifier": doc_id, "uri": doc_uri}
    for area in framework.areas:
        area_id = case_id(framework, area.code)
        items.append(
            {
                "identifier": area_id,
                "uri": f"urn:uuid:{area_id}",
                "CFDocumentURI": doc_link,
                "fullStatement": area.name,
                "humanCodingScheme": area.code,
                "abbreviatedStatement": area.name,
                "notes": area.description,
                "CFItemType": "Area",
                "language": "pl",
                "lastChangeDateTime": changed,
            }
        )
        associations.append(_association(framework, area.code, node(area_id, area.name), node(doc_id, framework.title), doc_link, changed))
        for comp in area.competences:
            comp_id = case_id(framework, comp.code)
            item = {
                "identifier": comp_id,
                "uri": f"urn:uuid:{comp_id}",
                "CFDocumentURI": doc_link,
                "fullStatement": comp.name,
                "humanCodingScheme": comp.code,
                "abbreviatedStatement": comp.name,
                "notes": comp.description,
                "CFItemType": "Competence",
                "language": "pl",
                "lastChangeDateTime": changed,
            }
            if comp.category:
                item["conceptKeywords"] = [comp.category]
            items.append(item)
            associations.append(_association(framework, comp.code, node(comp_id, comp.name), node(area_id, area.name), doc_link, changed))
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}


def _association(framework: Framework, code: str, origin: dict, destination: dict, doc_link: dict, changed: str) -> dict:
    identifier = case_id(framework, f"isChildOf:{code}")
    return {
        "identifier": identifier,
        "uri": f"urn:uuid:{identifier}",
        "associationType": "isChildOf",
        "CFDocumentURI": doc_link,
        "originNodeURI": origin,
        "destinationNodeURI": destination,
        "lastChangeDateTime": changed,
    }
