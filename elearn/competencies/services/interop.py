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
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.errors import DomainError
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


class InteropError(DomainError, ValueError):
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


@dataclass
class _MoodleRow:
    """One CSV row by Moodle column name, with its line number for messages."""

    line: int
    cells: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.cells[name]


@dataclass
class _MoodleTree:
    framework: _MoodleRow
    areas: list[_MoodleRow]
    competences: list[_MoodleRow]


def _parse_moodle_rows(text: str) -> tuple[_MoodleRow, list[_MoodleRow]]:
    """Step 1: the header check, then the one framework row and the item rows (blank rows skipped)."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [h.strip() for h in rows[0][: len(MOODLE_HEADERS)]] != MOODLE_HEADERS:
        raise InteropError("line 1: the header row is not Moodle's competency framework format")
    framework_row: _MoodleRow | None = None
    items: list[_MoodleRow] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(MOODLE_HEADERS)}
        parsed = _MoodleRow(line, cells)
        if parsed["Is framework"] in ("", "0"):
            items.append(parsed)
        elif framework_row is not None:
            raise InteropError(f"line {line}: a second framework row")
        else:
            framework_row = parsed
    if framework_row is None:
        raise InteropError("no framework row (Is framework = 1)")
    return framework_row, items


def _build_moodle_tree(framework_row: _MoodleRow, items: list[_MoodleRow], key: str) -> _MoodleTree:
    """Steps 2 and 3: sort items into areas (parent = the framework) and competences, and check the two levels."""
    codes = {row["ID number"] for row in items}
    tree = _MoodleTree(framework_row, [], [])
    for row in items:
        parent = row["Parent ID number"]
        if not row["ID number"] or not row["Short name"]:
            raise InteropError(f"line {row.line}: ID number and Short name are required")
        if parent in ("", key):
            tree.areas.append(row)
        elif parent in codes:
            tree.competences.append(row)
        else:
            raise InteropError(f"line {row.line}: parent {parent!r} is not in the file")
    area_codes = {row["ID number"] for row in tree.areas}
    for row in tree.competences:
        if row["Parent ID number"] not in area_codes:
            raise InteropError(f"line {row.line}: only two levels (areas and competences) are supported")
    if len(codes) != len(items):
        raise InteropError("ID numbers are not unique")
    return tree


def _write_moodle_tree(session: Session, tree: _MoodleTree, key: str, version: str, previous: Framework | None, text: str) -> Framework:
    """Step 4: the new framework version; what Moodle cannot carry comes forward by code from `previous`."""
    head = tree.framework
    framework = Framework(
        key=key,
        version=version,
        title=head["Short name"],
        description=head["Description"],
        source=previous.source if previous else "Moodle CSV",
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        loaded_at=utcnow(),
    )
    session.add(framework)
    old_scale = {s.level: s.description for s in previous.scale} if previous else {}
    scale_names = [s.strip() for s in head["Scale values"].split(",") if s.strip()]
    for level, name in enumerate(scale_names):
        session.add(ScaleLevel(framework=framework, level=level, name=name, description=old_scale.get(level, name)))
    old_areas = {a.code: a for a in previous.areas} if previous else {}
    areas: dict[str, Area] = {}
    for position, row in enumerate(tree.areas):
        old = old_areas.get(row["ID number"])
        areas[row["ID number"]] = Area(
            framework=framework,
            code=row["ID number"],
            name=row["Short name"],
            description=row["Description"],
            role_code=old.role_code if old else "",
            position=position,
        )
        session.add(areas[row["ID number"]])
    old_comps = {c.code: c for c in previous.competences} if previous else {}
    comps: dict[str, Competence] = {}
    for position, row in enumerate(tree.competences):
        old = old_comps.get(row["ID number"])
        comps[row["ID number"]] = Competence(
            framework=framework,
            area=areas[row["Parent ID number"]],
            code=row["ID number"],
            name=row["Short name"],
            description=row["Description"],
            category=old.category if old else None,
            indicators=dict(old.indicators) if old else {},
            position=position,
        )
        session.add(comps[row["ID number"]])
    session.flush()
    if previous:
        _carry_roles(session, framework, previous, comps)
    session.flush()
    session.expire(framework)
    return framework


def _carry_roles(session: Session, framework: Framework, previous: Framework, comps: dict[str, Competence]) -> None:
    """Roles and required levels are not in Moodle's format: copy them from the previous version by code."""
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


def import_moodle_csv(session: Session, text: str, *, key: str | None = None, version: str | None = None) -> Framework:
    """Store a Moodle framework CSV as a new framework version (areas + competences); flushes, the caller commits."""
    framework_row, items = _parse_moodle_rows(text)
    key = key or framework_row["ID number"]
    if not key:
        raise InteropError("the framework row has no ID number")
    previous = current_framework(session, key)
    version = version or _next_version(session, key)
    if session.scalar(select(Framework.id).where(Framework.key == key, Framework.version == version)):
        raise InteropError(f"framework {key} version {version} already exists")
    tree = _build_moodle_tree(framework_row, items, key)
    return _write_moodle_tree(session, tree, key, version, previous, text)


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
