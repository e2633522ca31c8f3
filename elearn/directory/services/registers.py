"""Institutions loaded from an official register (a ROPS's lists of DPS, ŚDS, CUS, NGO and PES of its region).

File format — CSV (UTF-8, with or without BOM; ";" or "," between columns) or XLSX (the first sheet); the first row
names the columns, in any order, letters with or without Polish accents, any case:

    nazwa          required   the institution's full name (3–200 characters)
    typ            required   OPS, MOPR, PCPR, CUS, DPS, SDS (or ŚDS), NGO, PES, OWES, JST, ROPS or INNE (OTHER)
    teryt          required   the TERYT TERC code of the unit it serves: 7 digits for a gmina (then also its
                              address's gmina), 4 for a powiat, 2 for the województwo
    ulica, kod_pocztowy, miejscowosc, regon    optional (postal code 00-000; REGON 9 or 14 digits)

A row matches an institution already listed by its REGON, else by its name (compared without case, spacing or
punctuation differences) and the unit it serves; a matched institution is updated where the row differs, any other
row is added. Loading the same file twice changes nothing. Every row is checked before anything is written: one
bad row refuses the whole file, and the refusal names every bad row (numbered as in a spreadsheet) in words.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.audit import audit
from ...core.errors import DomainError
from ..models import GMINA, INSTITUTION_TYPES, POWIAT, VOIVODESHIP, Institution, TerritorialUnit
from . import normalised_name, save_institution

REQUIRED_COLUMNS = ("nazwa", "typ", "teryt")
OPTIONAL_COLUMNS = ("ulica", "kod_pocztowy", "miejscowosc", "regon")
TYPE_ALIASES = {"SDS": "SDS", "ŚDS": "SDS", "INNE": "OTHER", "INNA": "OTHER", "MOPS": "OPS", "GOPS": "OPS", "MGOPS": "OPS"}
CODE_LEVELS = {7: GMINA, 4: POWIAT, 2: VOIVODESHIP}
LIMITS = {"nazwa": 200, "ulica": 150, "miejscowosc": 100}
MAX_ROWS = 20000


class RegisterFormatError(DomainError):
    """The register file cannot be loaded; every message names the row (or the columns) and what is wrong."""


@dataclass
class RegisterResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    ids: list[int] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    name: str
    type: str
    unit: TerritorialUnit
    street: str | None
    postal_code: str | None
    city: str | None
    regon: str | None


def _column(header: object) -> str:
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode().strip().lower()
    return re.sub(r"[\s-]+", "_", text)


def _cell(value: object, column: str) -> str:
    """A cell as text. Spreadsheets store codes as numbers and drop their leading zeros: a TERYT code or a REGON
    read as a number gets them back (a 6-digit gmina code is 7 digits long; a REGON 9 or 14)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        digits = str(value)
        if column == "teryt":
            return digits.zfill(next((n for n in (2, 4, 7) if len(digits) <= n), len(digits)))
        if column == "regon":
            return digits.zfill(9 if len(digits) <= 9 else 14)
        return digits
    return " ".join(str(value).split())


def _read_rows(path: Path) -> list[list[object]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise RegisterFormatError(_l("%(file)s is not a readable XLSX workbook.", file=path.name)) from exc
        try:
            return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    if path.suffix.lower() != ".csv":
        raise RegisterFormatError(_l("%(file)s: give a .csv or .xlsx file.", file=path.name))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegisterFormatError(_l("%(file)s is not saved as UTF-8: save it again choosing UTF-8.", file=path.name)) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _header(rows: list[list[object]], name: str) -> list[str]:
    if not rows or not any(_cell(v, "") for v in rows[0]):
        raise RegisterFormatError(_l("%(file)s is empty: the first row must name the columns.", file=name))
    columns = [_column(v) for v in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    unknown = [c for c in columns if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    twice = sorted({c for c in columns if c and columns.count(c) > 1})
    messages = []
    if missing:
        messages.append(_l("Missing columns: %(columns)s.", columns=", ".join(missing)))
    if unknown:
        messages.append(
            _l("Unknown columns: %(columns)s (allowed: %(allowed)s).", columns=", ".join(unknown),
               allowed=", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS))
        )  # fmt: skip
    if twice:
        messages.append(_l("Columns given twice: %(columns)s.", columns=", ".join(twice)))
    if messages:
        raise RegisterFormatError(*messages)
    return columns


def _type(value: str) -> str | None:
    code = value.strip().upper()
    code = TYPE_ALIASES.get(code, code)
    return code if code in INSTITUTION_TYPES else None


def _check_details(line: int, values: dict[str, str]) -> list:
    """The optional columns and the characters of the whole row."""
    errors = []
    for column, limit in (("ulica", LIMITS["ulica"]), ("miejscowosc", LIMITS["miejscowosc"])):
        if len(values[column]) > limit:
            errors.append(_l("Row %(row)d: column %(column)s has more than %(n)d characters.", row=line, column=column, n=limit))
    if values["kod_pocztowy"] and not re.fullmatch(r"\d{2}-\d{3}", values["kod_pocztowy"]):
        errors.append(_l("Row %(row)d: the postal code “%(value)s” must look like 00-000.", row=line, value=values["kod_pocztowy"]))
    if values["regon"] and not re.fullmatch(r"\d{9}|\d{14}", values["regon"]):
        errors.append(_l("Row %(row)d: the REGON “%(value)s” must have 9 or 14 digits.", row=line, value=values["regon"]))
    if any(unicodedata.category(ch) == "Cc" for text in values.values() for ch in text):
        errors.append(_l("Row %(row)d contains control characters; save the file again as plain text.", row=line))
    return errors


def _check_row(line: int, values: dict[str, str], units: dict[str, TerritorialUnit]) -> tuple[_Row | None, list]:
    """One row read against the rules; the row, or the messages saying what is wrong with it."""
    errors = []
    name, type_, code = values["nazwa"], _type(values["typ"]), values["teryt"]
    if not name:
        errors.append(_l("Row %(row)d: the name (column nazwa) is empty.", row=line))
    elif not 3 <= len(name) <= LIMITS["nazwa"]:
        errors.append(_l("Row %(row)d: the name must have between 3 and 200 characters (it has %(n)d).", row=line, n=len(name)))
    if type_ is None:
        errors.append(
            _l("Row %(row)d: the type “%(value)s” is unknown; use one of: %(types)s.", row=line, value=values["typ"],
               types=", ".join(t if t != "OTHER" else "INNE" for t in INSTITUTION_TYPES))
        )  # fmt: skip
    unit = units.get(code)
    if not re.fullmatch(r"\d{7}|\d{4}|\d{2}", code):
        errors.append(
            _l("Row %(row)d: the TERYT code “%(value)s” must have 7 digits (a gmina), 4 (a powiat) or 2 (the województwo).",
               row=line, value=code)
        )  # fmt: skip
    elif unit is None or unit.level != CODE_LEVELS[len(code)]:
        errors.append(_l("Row %(row)d: no gmina, powiat or województwo has the TERYT code %(value)s.", row=line, value=code))
    errors += _check_details(line, values)
    if errors:
        return None, errors
    row = _Row(line, name, type_, unit, values["ulica"] or None, values["kod_pocztowy"] or None, values["miejscowosc"] or None,
               values["regon"] or None)  # fmt: skip
    return row, []


def read_register(session: Session, path: Path) -> list[_Row]:
    """Every row of the file checked; RegisterFormatError with every problem found, or the rows."""
    raw = _read_rows(path)
    columns = _header(raw, path.name)
    units = {u.code: u for u in session.scalars(select(TerritorialUnit))}
    rows, errors, seen = [], [], {}
    for line, cells in enumerate(raw[1:], start=2):
        values = {c: _cell(cells[i] if i < len(cells) else None, c) for i, c in enumerate(columns) if c}
        values.update({c: "" for c in OPTIONAL_COLUMNS if c not in values})
        if not any(values.values()):
            continue  # an empty line, as spreadsheets leave at the end
        row, problems = _check_row(line, values, units)
        errors += problems
        if row is None:
            continue
        for key in ([("regon", row.regon)] if row.regon else []) + [("name", normalised_name(row.name), row.unit.id)]:
            if key in seen:
                errors.append(_l("Row %(row)d repeats the institution of row %(first)d.", row=line, first=seen[key]))
                break
            seen[key] = line
        rows.append(row)
    if len(rows) > MAX_ROWS:
        errors.append(_l("The file has more than %(n)d rows; split it.", n=MAX_ROWS))
    if errors:
        raise RegisterFormatError(*errors)
    if not rows:
        raise RegisterFormatError(_l("%(file)s has no institution under its header row.", file=path.name))
    return rows


def import_institutions(session: Session, path: Path, *, actor_id: int | None = None) -> RegisterResult:
    """Load a register file (see the module docstring): all of it or, on any error, nothing. Every institution added
    or changed is audited as the administration pages audit it; the load itself once, with its counts."""
    rows = read_register(session, path)
    institutions = session.scalars(select(Institution)).all()
    by_regon = {i.regon: i for i in institutions if i.regon}
    by_name = {(normalised_name(i.name), i.served_area_id): i for i in institutions}
    result = RegisterResult(rows=len(rows))
    for row in rows:
        found = by_regon.get(row.regon) if row.regon else None
        found = found or by_name.get((normalised_name(row.name), row.unit.id))
        data = {"name": row.name, "type": row.type, "served_area_id": row.unit.id,
                "location_id": row.unit.id if row.unit.level == GMINA else (found.location_id if found else None),
                "street": row.street, "postal_code": row.postal_code, "city": row.city, "regon": row.regon}  # fmt: skip
        if found is not None:
            data = {k: v for k, v in data.items() if v is not None or k in ("name", "type", "served_area_id")}  # blanks keep
            if all(getattr(found, k) == v for k, v in data.items()):
                result.unchanged += 1
                result.ids.append(found.id)
                continue
            result.updated += 1
        else:
            data["active"] = True
            result.created += 1
        institution = save_institution(session, found, data, actor_id=actor_id)
        by_name[(normalised_name(institution.name), institution.served_area_id)] = institution
        if institution.regon:
            by_regon[institution.regon] = institution
        result.ids.append(institution.id)
    audit(session, "institution.import", actor_id=actor_id, filename=path.name, total=result.rows, created=result.created,
          updated=result.updated, unchanged=result.unchanged)  # fmt: skip
    return result
