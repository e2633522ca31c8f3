"""Moodle competency-framework CSV (admin/tool/lpimportcsv): import and export, read the way Moodle reads it.

Moodle reads the columns by position, whatever the header says (other Moodle versions and languages write other
header texts), so the import does too. One row is the framework (Is framework = 1, with the scale and its
configuration); every other row is a competency whose parent is named by ID number. Top-level competencies become
areas, deeper ones competences nested under their parent (any depth). HTML descriptions are stored sanitised with
the platform's one sanitiser and keep their format; cross-references, exported ids, the scale configuration and
the taxonomy are kept so an export gives Moodle back what it gave us. Moodle has no place for roles, required
profiles, PRK categories or indicators: an import carries them forward by code from the newest stored version of
the same framework, so a round trip of the OSL framework keeps them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.errors import DomainError
from ...core.markdown import sanitise_html
from ...core.timeutil import utcnow
from ..models import CODE_LENGTH, MAX_LEVEL, Area, Competence, Framework, RequiredLevel, Role, ScaleLevel
from .framework import current_framework, newest_version

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
(PARENT, IDNUMBER, SHORTNAME, DESCRIPTION, FORMAT, SCALE, SCALE_CONFIG, RULE_TYPE, RULE_OUTCOME, RULE_CONFIG, RELATED,
 EXPORT_ID, IS_FRAMEWORK, TAXONOMY) = range(14)  # fmt: skip
REQUIRED_COLUMNS = 13  # Moodle's importer needs at least up to "Is framework"; Taxonomy is optional
FORMAT_CODES = {"0": "moodle", "1": "html", "2": "plain", "4": "markdown"}
FORMAT_NUMBERS = {name: code for code, name in FORMAT_CODES.items()}
HTML_FORMATS = ("moodle", "html")
PROFICIENT_FROM = 2  # "samodzielny" and above count as proficient in Moodle


class InteropError(DomainError, ValueError):
    """The file cannot be imported; the message says which row and what is wrong."""


# --- export ----------------------------------------------------------------------------------------------------


def scale_configuration(framework: Framework) -> str:
    """The stored Moodle configuration, or one made from the scale: first level default, upper levels proficient."""
    if framework.scale_configuration:
        return framework.scale_configuration
    top = max((s.level for s in framework.scale), default=0)
    proficient_from = min(PROFICIENT_FROM, top)
    items: list[dict] = [{"scaleid": "0"}]
    for position, level in enumerate(framework.scale, start=1):
        items.append({"id": position, "scaledefault": 1 if position == 1 else 0, "proficient": 1 if level.level >= proficient_from else 0})
    return json.dumps(items, separators=(",", ":"))


def _taxonomy(framework: Framework) -> str:
    if framework.taxonomy:
        return framework.taxonomy
    depth = max((_depth(c) for c in framework.competences), default=0)
    return ",".join(["domain"] + ["competency"] * depth)


def _depth(comp: Competence) -> int:
    depth = 1
    while comp.parent is not None:
        comp, depth = comp.parent, depth + 1
    return depth


def _item_row(parent: str, code: str, name: str, description: str, fmt: str, related: list, exported: str) -> list[str]:
    return [
        parent,
        code,
        name,
        description,
        FORMAT_NUMBERS.get(fmt, "2"),
        "",
        "",
        "",
        "0",
        "null",
        ",".join(related),
        exported or code,
        "",
        "",
    ]


def export_moodle_csv(session: Session, framework: Framework | None = None) -> str:
    """The framework as Moodle's importer expects it: parents before children, a proficient scale value."""
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
            FORMAT_NUMBERS.get(framework.description_format, "2"),
            ",".join(s.name for s in framework.scale),
            scale_configuration(framework),
            "",
            "",
            "",
            "",
            "",
            "1",
            _taxonomy(framework),
        ]
    )

    def write_children(parent_code: str, children: list[Competence]) -> None:
        for comp in children:
            writer.writerow(
                _item_row(parent_code, comp.code, comp.name, comp.description, comp.description_format, comp.related, comp.exported_id)
            )
            write_children(comp.code, comp.children)

    for area in framework.areas:
        writer.writerow(_item_row("", area.code, area.name, area.description, area.description_format, area.related, area.exported_id))
        write_children(area.code, [c for c in area.competences if c.parent_id is None])
    return buffer.getvalue()


# --- import ----------------------------------------------------------------------------------------------------


@dataclass
class _Row:
    """One CSV row by column position, with its line number for messages."""

    line: int
    cells: list[str]
    children: list[_Row] = field(default_factory=list)

    def __getitem__(self, column: int) -> str:
        return self.cells[column] if column < len(self.cells) else ""

    @property
    def code(self) -> str:
        return self[IDNUMBER]


def normalise(text: str) -> str:
    """A BOM and CRLF/CR line ends change nothing about the content."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _parse(text: str) -> tuple[_Row, list[_Row]]:
    """The header (any language: only its width counts), the one framework row and the competency rows."""
    rows = list(csv.reader(io.StringIO(normalise(text))))
    if not rows or len(rows[0]) < REQUIRED_COLUMNS:
        width = len(rows[0]) if rows else 0
        raise InteropError(f"line 1: the header row has {width} columns; Moodle's competency framework format has {len(MOODLE_HEADERS)}")
    framework: _Row | None = None
    items: list[_Row] = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = _Row(line, [cell.strip() for cell in cells])
        if row[IS_FRAMEWORK] in ("", "0"):
            items.append(row)
        elif framework is not None:
            raise InteropError(f"line {line}: a second framework row")
        else:
            framework = row
    if framework is None:
        raise InteropError("no framework row (Is framework = 1)")
    return framework, items


def _tree(framework: _Row, items: list[_Row]) -> list[_Row]:
    """Link every row to its parent (by ID number); return the top-level rows. Any depth, no cycles."""
    by_code: dict[str, _Row] = {}
    for row in items:
        if not row.code or not row[SHORTNAME]:
            raise InteropError(f"line {row.line}: ID number and Short name are required")
        if len(row.code) > CODE_LENGTH:
            raise InteropError(f"line {row.line}: the ID number is longer than {CODE_LENGTH} characters")
        if row.code in by_code:
            raise InteropError(f"line {row.line}: ID number {row.code!r} is not unique")
        if row[FORMAT] not in ("", *FORMAT_CODES):
            raise InteropError(f"line {row.line}: unknown description format {row[FORMAT]!r}")
        by_code[row.code] = row
    roots: list[_Row] = []
    for row in items:
        parent = row[PARENT]
        if parent in ("", framework.code):
            roots.append(row)
        elif parent in by_code:
            by_code[parent].children.append(row)
        else:
            raise InteropError(f"line {row.line}: parent {parent!r} is not in the file")
    reached = 0
    stack = list(roots)
    while stack:
        reached += 1
        stack.extend(stack.pop().children)
    if reached != len(items):
        raise InteropError("the parent references form a cycle")
    return roots


def _description(row: _Row) -> tuple[str, str]:
    fmt = FORMAT_CODES.get(row[FORMAT] or "2", "plain")
    text = row[DESCRIPTION]
    return (sanitise_html(text) if fmt in HTML_FORMATS else text), fmt


def _scale(row: _Row) -> tuple[list[str], str]:
    names = [s.strip() for s in row[SCALE].split(",") if s.strip()]
    if not names:
        raise InteropError(f"line {row.line}: the framework row has no scale values")
    if len(names) > MAX_LEVEL + 1:
        raise InteropError(f"line {row.line}: at most {MAX_LEVEL + 1} scale values are supported")
    config = row[SCALE_CONFIG]
    if config:
        try:
            parsed = json.loads(config)
        except ValueError as exc:
            raise InteropError(f"line {row.line}: the scale configuration is not JSON") from exc
        if not isinstance(parsed, list) or not parsed or not all(isinstance(i, dict) for i in parsed):
            raise InteropError(f"line {row.line}: the scale configuration is not a list of objects")
        if not any(i.get("proficient") in (1, "1") for i in parsed[1:]):
            raise InteropError(f"line {row.line}: the scale configuration has no proficient value")
    return names, config


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def import_moodle_csv(session: Session, text: str, *, key: str | None = None, version: str | None = None) -> Framework:
    """Store a Moodle framework CSV as a new version of its framework; unchanged content returns the stored one."""
    head, items = _parse(text)
    key = key or head.code
    if not key:
        raise InteropError("the framework row has no ID number")
    roots = _tree(head, items)
    scale, config = _scale(head)
    digest = content_hash(text)
    previous = newest_version(session, key)
    if previous is not None and previous.content_hash == digest and version in (None, previous.version):
        return previous
    version = version or next_version(session, key)
    if session.scalar(select(Framework.id).where(Framework.key == key, Framework.version == version)):
        raise InteropError(f"framework {key} version {version} already exists")
    description, fmt = _description(head)
    framework = Framework(
        key=key,
        version=version,
        title=head[SHORTNAME],
        description=description,
        description_format=fmt,
        scale_configuration=config,
        taxonomy=head[TAXONOMY],
        source=previous.source if previous else "Moodle CSV",
        content_hash=digest,
        loaded_at=utcnow(),
    )
    session.add(framework)
    old_scale = {s.level: s.description for s in previous.scale} if previous else {}
    for level, name in enumerate(scale):
        session.add(ScaleLevel(framework=framework, level=level, name=name, description=old_scale.get(level, name)))
    codes = {row.code for row in items}
    comps = _write_rows(session, framework, roots, previous, codes)
    if previous:
        _carry_roles(session, framework, previous, comps)
    session.flush()
    session.expire(framework)
    return framework


def _related(row: _Row, codes: set[str]) -> list[str]:
    """Cross-references to competencies of the same file (Moodle skips the ones it cannot find, so do we)."""
    return [c.strip() for c in row[RELATED].split(",") if c.strip() in codes and c.strip() != row.code]


def _write_rows(
    session: Session, framework: Framework, roots: list[_Row], previous: Framework | None, codes: set[str]
) -> dict[str, Competence]:
    """Areas from the top-level rows, competences (nested by parent) from the rest, in file order."""
    old_areas = {a.code: a for a in previous.areas} if previous else {}
    old_comps = {c.code: c for c in previous.competences} if previous else {}
    comps: dict[str, Competence] = {}
    position = 0

    def add_children(area: Area, parent: Competence | None, rows: list[_Row]) -> None:
        nonlocal position
        for row in rows:
            old = old_comps.get(row.code)
            description, fmt = _description(row)
            comp = Competence(
                framework=framework,
                area=area,
                parent=parent,
                code=row.code,
                name=row[SHORTNAME],
                description=description,
                description_format=fmt,
                exported_id=row[EXPORT_ID],
                related=_related(row, codes),
                category=old.category if old else None,
                indicators=dict(old.indicators) if old else {},
                position=position,
            )
            position += 1
            session.add(comp)
            comps[row.code] = comp
            add_children(area, comp, row.children)

    for area_position, row in enumerate(sorted(roots, key=lambda r: r.line)):
        old = old_areas.get(row.code)
        description, fmt = _description(row)
        area = Area(
            framework=framework,
            code=row.code,
            name=row[SHORTNAME],
            description=description,
            description_format=fmt,
            exported_id=row[EXPORT_ID],
            related=_related(row, codes),
            role_code=old.role_code if old else "",
            position=area_position,
        )
        session.add(area)
        add_children(area, None, sorted(row.children, key=lambda r: r.line))
    session.flush()
    return comps


def next_version(session: Session, key: str) -> str:
    versions = session.scalars(select(Framework.version).where(Framework.key == key)).all()
    best = (1, -1)
    for version in versions:
        parts = version.split(".")
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
            best = max(best, (int(parts[0]), int(parts[1])))
    return f"{best[0]}.{best[1] + 1}"


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
