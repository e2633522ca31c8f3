"""TERYT import and institution management."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...core.audit import audit
from ...core.collation import polish_sort_key, sorted_pl
from ...core.errors import DomainError
from ..models import GMINA, INSTITUTION_TYPES, POWIAT, PROPOSABLE_PER_POWIAT, VOIVODESHIP, Institution, TerritorialUnit

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SEED_TERC = DATA_DIR / "TERC_04_kujawsko-pomorskie.csv"
GMINA_TYPES = {"1", "2", "3"}  # 4, 5 (parts of type-3 gminas), 8, 9 (districts) are not gminas


class TercFormatError(DomainError):
    """The TERC file is malformed; the message quotes the file and line (plain English, for the command line)."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _unit_code(row: dict) -> tuple[str, str]:
    woj, pow_, gmi, rodz = (row.get(k, "").strip() for k in ("WOJ", "POW", "GMI", "RODZ"))
    if not woj:
        raise TercFormatError("missing WOJ")
    if not pow_:
        return woj, VOIVODESHIP
    if not gmi:
        return woj + pow_, POWIAT
    return woj + pow_ + gmi + rodz, GMINA


def import_terc(session: Session, path: Path, voivodeships: set[str] | None = None) -> ImportResult:
    """Insert or update units from an official TERC CSV (';'-separated, UTF-8); idempotent."""
    result = ImportResult()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        missing = {"WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD"} - set(reader.fieldnames or [])
        if missing:
            raise TercFormatError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        rows = []
        for line_no, row in enumerate(reader, start=2):
            if voivodeships and row["WOJ"].strip() not in voivodeships:
                continue
            if row["GMI"].strip() and row["RODZ"].strip() not in GMINA_TYPES:
                continue
            try:
                code, level = _unit_code(row)
            except TercFormatError as exc:
                raise TercFormatError(f"{path.name}:{line_no}: {exc}") from exc
            rows.append((code, level, row["NAZWA"].strip(), row["NAZWA_DOD"].strip(), (row.get("STAN_NA") or "").strip() or None))
    existing = {u.code: u for u in session.scalars(select(TerritorialUnit))}
    by_code = dict(existing)
    # Parents first: województwa, then powiaty, then gminy.
    order = {VOIVODESHIP: 0, POWIAT: 1, GMINA: 2}
    for code, level, name, kind, valid_on in sorted(rows, key=lambda r: (order[r[1]], r[0])):
        parent_code = {VOIVODESHIP: None, POWIAT: code[:2], GMINA: code[:4]}[level]
        parent = by_code.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            raise TercFormatError(f"{path.name}: unit {code} has no parent {parent_code} in the file")
        if level == VOIVODESHIP:
            name = name.lower()
        unit = by_code.get(code)
        if unit is None:
            unit = TerritorialUnit(code=code, level=level, name=name, kind=kind, parent=parent, valid_on=valid_on)
            session.add(unit)
            by_code[code] = unit
            result.created += 1
        elif (unit.name, unit.kind, unit.parent_id, unit.valid_on) != (name, kind, parent.id if parent else None, valid_on):
            unit.name, unit.kind, unit.parent, unit.valid_on = name, kind, parent, valid_on
            result.updated += 1
        else:
            result.unchanged += 1
        session.flush()
    return result


def _ops_name(gmina: TerritorialUnit, namesakes: set[tuple[str, str]] = frozenset()) -> tuple[str, str]:
    """The descriptive name of a gmina's social assistance centre; a gmina that shares its name and kind with
    another (two "gmina wiejska Rogowo") gets its powiat added, so the two centres can be told apart in any list."""
    if gmina.kind == "gmina miejska" and gmina.parent and gmina.parent.kind == "miasto na prawach powiatu":
        return "OPS", f"Miejski ośrodek pomocy społecznej – miasto {gmina.name}"
    prefix = {
        "gmina miejska": "Miejski ośrodek pomocy społecznej – gmina miejska",
        "gmina wiejska": "Gminny ośrodek pomocy społecznej – gmina wiejska",
        "gmina miejsko-wiejska": "Miejsko-gminny ośrodek pomocy społecznej – gmina miejsko-wiejska",
    }.get(gmina.kind, "Ośrodek pomocy społecznej – gmina")
    name = f"{prefix} {gmina.name}"
    if (gmina.name, gmina.kind) in namesakes and gmina.parent is not None:
        name += f" ({gmina.parent.label})"
    return "OPS", name


def _namesakes(units) -> set[tuple[str, str]]:
    seen: dict[tuple[str, str], int] = {}
    for unit in units:
        if unit.level == GMINA:
            seen[(unit.name, unit.kind)] = seen.get((unit.name, unit.kind), 0) + 1
    return {key for key, count in seen.items() if count > 1}


def seed_institutions(session: Session, voivodeship_code: str = "04") -> int:
    """One social assistance centre per gmina, one PCPR per powiat and the regional ROPS; idempotent.

    Names are descriptive (type – served area): administrators rename them to the official names. A centre seeded
    earlier under a name shared with another gmina's centre, and not renamed since, gets the distinguishing name.
    """
    units = session.scalars(select(TerritorialUnit).where(TerritorialUnit.code.startswith(voivodeship_code))).all()
    existing = {(i.type, i.served_area_id): i for i in session.scalars(select(Institution))}
    namesakes = _namesakes(units)
    created = 0

    def add(type_: str, name: str, area: TerritorialUnit, city: str | None = None) -> None:
        nonlocal created
        found = existing.get((type_, area.id))
        if found is not None:
            ambiguous = _ops_name(area)[1] if area.level == GMINA else None
            if ambiguous and found.name == ambiguous != name:
                audit(session, "institution.update", actor_id=None, target=found, changes={"name": [found.name, name]})
                found.name = name
            return
        institution = Institution(name=name, type=type_, served_area=area, location=area, city=city)
        session.add(institution)
        existing[(type_, area.id)] = institution
        created += 1

    for unit in sorted(units, key=lambda u: u.code):
        if unit.level == VOIVODESHIP:
            add("ROPS", f"Regionalny Ośrodek Polityki Społecznej – województwo {unit.name}", unit)
        elif unit.level == POWIAT:
            label = f"miasto na prawach powiatu {unit.name}" if unit.kind != "powiat" else f"powiat {unit.name}"
            add("PCPR", f"Powiatowe centrum pomocy rodzinie – {label}", unit)
        elif unit.level == GMINA:
            type_, name = _ops_name(unit, namesakes)
            add(type_, name, unit, city=unit.name)
    session.flush()
    return created


INSTITUTION_FIELDS = ("name", "type", "street", "postal_code", "city", "location_id", "served_area_id", "regon", "active")


def save_institution(session: Session, institution: Institution | None, data: dict, *, actor_id: int | None) -> Institution:
    """Create or edit an institution and audit exactly what changed."""
    creating = institution is None
    if creating:
        institution = Institution()
        session.add(institution)
    changes = {}
    for field in INSTITUTION_FIELDS:
        if field not in data:
            continue
        old, new = getattr(institution, field), data[field]
        if creating or old != new:
            changes[field] = [old, new] if not creating else new
            setattr(institution, field, new)
    session.flush()
    if changes:
        audit(session, "institution.create" if creating else "institution.update", actor_id=actor_id, target=institution, changes=changes)
    return institution


def institution_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(select(Institution.id, Institution.name).where(Institution.active.is_(True))).all()
    return [(row.id, row.name) for row in sorted_pl(rows, key=lambda row: row.name)]


def unit_choices(session: Session, levels: tuple[str, ...] = (VOIVODESHIP, POWIAT, GMINA)) -> list[tuple[int, str]]:
    units = session.scalars(select(TerritorialUnit).where(TerritorialUnit.level.in_(levels)).order_by(TerritorialUnit.code)).all()
    return [(u.id, f"{u.code} · {u.label}") for u in units]


def gmina_choices(session: Session, powiat: TerritorialUnit | None = None) -> list[tuple[int, str]]:
    """Every gmina (or every gmina of one powiat) as "Lubicz (gmina wiejska) – powiat toruński", in Polish
    alphabetical order."""
    query = select(TerritorialUnit).where(TerritorialUnit.level == GMINA)
    if powiat is not None:
        query = query.where(TerritorialUnit.parent_id == powiat.id)
    gminas = session.scalars(query).all()
    rows = [(g.id, f"{g.label} – {g.powiat.label}" if g.powiat else g.label) for g in gminas]
    return sorted_pl(rows, key=lambda row: row[1])


@dataclass(frozen=True)
class MissingInstitution:
    """A picker entry that is no institution: "propose a missing institution of this type in this powiat".

    Its form value is "brak-<TYPE>-<powiat TERYT code>"; `parse` reads one back (None when the text is not one)."""

    type: str
    powiat_code: str

    PREFIX = "brak-"

    @property
    def value(self) -> str:
        return f"{self.PREFIX}{self.type}-{self.powiat_code}"

    @classmethod
    def parse(cls, text: str) -> MissingInstitution | None:
        parts = text.removeprefix(cls.PREFIX).split("-") if text.startswith(cls.PREFIX) else []
        if len(parts) == 2 and parts[0] in PROPOSABLE_PER_POWIAT and re.fullmatch(r"\d{4}", parts[1]):
            return cls(parts[0], parts[1])
        return None


def missing_label(type_: str) -> str:
    return str(_l("Not on the list? Propose one: %(type)s", type=INSTITUTION_TYPES[type_]))


def grouped_institution_choices(session: Session, *, missing: bool = False) -> dict[str, list[tuple[int | str, str]]]:
    """Institutions grouped by the powiat they serve, for an accessible <optgroup> select.

    Groups and the institutions in each are in Polish alphabetical order; regional institutions (served area: the
    województwo) come first under the województwo's name. With `missing`, every powiat's group ends with an entry
    per invited type that no active institution of that powiat has (`MissingInstitution`), so each type registration
    invites can be chosen, and proposed, in each powiat.
    """
    institutions = session.scalars(select(Institution).where(Institution.active.is_(True))).all()
    groups: dict[str, list[tuple[int | str, str]]] = {}
    regional: dict[str, list[tuple[int | str, str]]] = {}
    present: dict[str, set[str]] = {}
    for inst in sorted_pl(institutions, key=lambda i: i.name):
        area = inst.served_area
        powiat = area.powiat if area else None
        if powiat is None and area is not None and area.level == VOIVODESHIP:
            regional.setdefault(f"województwo {area.name}", []).append((inst.id, inst.name))
            continue
        key = powiat.label if powiat else (area.label if area else "—")
        groups.setdefault(key, []).append((inst.id, inst.name))
        if powiat is not None:
            present.setdefault(powiat.code, set()).add(inst.type)
    if missing:
        for powiat in session.scalars(select(TerritorialUnit).where(TerritorialUnit.level == POWIAT)):
            have = present.get(powiat.code, set())
            entries = groups.setdefault(powiat.label, [])
            entries += [(MissingInstitution(t, powiat.code).value, missing_label(t)) for t in PROPOSABLE_PER_POWIAT if t not in have]
    ordered = sorted(groups.items(), key=lambda item: polish_sort_key(item[0].removeprefix("powiat ")))
    return {**regional, **dict(ordered)}


def powiat_by_code(session: Session, code: str) -> TerritorialUnit | None:
    return session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == code, TerritorialUnit.level == POWIAT))


def gmina_choices_grouped(session: Session) -> tuple[dict[str, list[tuple[int, str]]], dict[int, str]]:
    """Every gmina grouped by its powiat (the optgroup label is the powiat's label, as in the institution picker),
    and each gmina's powiat TERYT code by gmina id."""
    gminas = session.scalars(select(TerritorialUnit).where(TerritorialUnit.level == GMINA)).all()
    groups: dict[str, list[tuple[int, str]]] = {}
    powiats: dict[int, str] = {}
    for gmina in sorted_pl(gminas, key=lambda g: g.label):
        groups.setdefault(gmina.powiat.label if gmina.powiat else "—", []).append((gmina.id, gmina.label))
        powiats[gmina.id] = gmina.powiat.code if gmina.powiat else ""
    return dict(sorted(groups.items(), key=lambda item: polish_sort_key(item[0].removeprefix("powiat ")))), powiats


def institutions_query(*, text: str | None = None, type_: str | None = None):
    """The administrators' institution list by name, filtered by name text and institution type."""
    query = select(Institution).order_by(Institution.name)
    if text:
        query = query.where(Institution.name.ilike(f"%{text}%"))
    if type_:
        query = query.where(Institution.type == type_)
    return query


# --- duplicates -------------------------------------------------------------------------------------------------


def normalised_name(name: str) -> str:
    """A name compared for duplicates: case, spacing, dash kinds and punctuation do not count."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[‐‑‒–—―-]", " ", text)
    text = re.sub(r"[^\w ]", " ", text)
    return " ".join(text.split())


def _gmina_of(institution: Institution) -> int | None:
    return institution.location_id or institution.served_area_id


@dataclass
class DuplicateGroup:
    institutions: list[Institution]
    same_place: bool  # True: one institution entered twice (merge); False: namesakes in different places (rename)


def duplicate_institution_groups(session: Session) -> list[DuplicateGroup]:
    """Institutions whose normalised names are equal: in the same gmina they are one institution entered twice
    (merge them); in different gminas they are namesakes nobody can tell apart in a list (rename them)."""
    by_name: dict[str, list[Institution]] = {}
    for institution in session.scalars(select(Institution).order_by(Institution.id)):
        by_name.setdefault(normalised_name(institution.name), []).append(institution)
    groups = []
    for items in by_name.values():
        if len(items) < 2:
            continue
        by_place: dict[int | None, list[Institution]] = {}
        for institution in items:
            by_place.setdefault(_gmina_of(institution), []).append(institution)
        twice = [same for same in by_place.values() if len(same) > 1]
        groups += [DuplicateGroup(same, True) for same in twice]
        if len(by_place) > 1:
            groups.append(DuplicateGroup(items, False))
    return sorted(groups, key=lambda g: (not g.same_place, normalised_name(g.institutions[0].name)))


class MergeRefused(DomainError):
    pass


def _references():
    """Every (table, column) that points at an institution, whichever domain owns the table."""
    target = Institution.__table__.c.id
    for table in Institution.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column is target for fk in column.foreign_keys):
                yield table, column


def merge_institutions(session: Session, kept: Institution, merged: Institution, *, actor_id: int | None) -> dict[str, int]:
    """Move everything that points at `merged` (people, membership requests, reported needs, registrations…) to
    `kept`, delete `merged`, and audit how many rows of each table moved."""
    if kept.id == merged.id:
        raise MergeRefused(_l("Choose two different institutions."))
    moved: dict[str, int] = {}
    try:
        with session.begin_nested():
            for table, column in _references():
                result = session.execute(update(table).where(column == merged.id).values({column.name: kept.id}))
                if result.rowcount:
                    moved[f"{table.name}.{column.name}"] = result.rowcount
    except IntegrityError as exc:
        raise MergeRefused(
            _l(
                "Both institutions hold a record that may exist only once per institution "
                "(for example needs reported in the same round); resolve it first."
            )
        ) from exc
    session.expire_all()  # the bulk updates bypassed the identity map
    name = merged.name
    merged_id = merged.id
    session.delete(merged)
    session.flush()
    audit(session, "institution.merge", actor_id=actor_id, target=kept, merged_id=merged_id, merged_name=name, moved=moved)
    return moved
