"""Regional training needs: how many accepted institution members are behind the required level, by powiat and
institution type, from assessed (stored) levels; self-assessed levels are counted apart and never close a gap.

A worker is "behind" when, on at least one competence in scope, their level is below the level required. With a
role chosen the role's profile sets the requirement; with all roles each competence takes the lowest level any role
requires of it (the floor every worker should reach). In the self-assessed count only people who rated themselves
are behind (no answer is no claim). Workers are counted where their institution serves: the
served area's powiat (cities with powiat rights are powiats), or the whole voivodeship for region-wide bodies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from flask_babel import gettext
from sqlalchemy import String, and_, cast, or_, select
from sqlalchemy.orm import Session

from ...accounts.models import User, UserRole
from ...competencies.models import LevelCount
from ...competencies.services import level_counts
from ...competencies.services.framework import competences_by_code, roles
from ...competencies.services.levels import levels_for_users, self_assessed_for_users
from ...core.roles import LEARNER
from ...courses.services.learning import published_module_facts
from ...directory.models import INSTITUTION_TYPES, POWIAT, Institution, TerritorialUnit
from .suppression import SUPPRESSED, Table, show, suppress

REGION = "region"  # row key of workers whose institution serves the whole voivodeship


@dataclass(frozen=True)
class Scope:
    role: str = ""  # framework role code, "" for all roles
    area: str = ""  # competence area code
    competence: str = ""  # competence code
    institution_type: str = ""
    powiat_id: int | None = None


@dataclass
class Worker:
    id: int
    powiat_id: int | None
    type: str
    institution_id: int


Cell = tuple  # (row key: powiat id or REGION, institution type)


class Counts:
    """What the tables are drawn from: workers and workers behind per (powiat, institution type) cell; the counts
    per competence (ranked gaps, drill-down, one competence's map) are read only when first asked."""

    def __init__(self, workers=None, behind=None, self_behind=None, by_code=None, self_by_code=None, load_codes=None):
        self.workers: dict[Cell, int] = workers or {}
        self.behind: dict[Cell, int] = behind or {}  # behind on at least one competence in scope (assessed)
        self.self_behind: dict[Cell, int] = self_behind or {}
        self._by_code: dict[str, dict[Cell, int]] | None = by_code
        self._self_by_code: dict[str, dict[Cell, int]] | None = self_by_code
        self._load_codes = load_codes

    def _codes(self) -> None:
        if self._by_code is None:
            self._by_code, self._self_by_code = self._load_codes() if self._load_codes else ({}, {})

    @property
    def by_code(self) -> dict[str, dict[Cell, int]]:  # behind on each competence (assessed)
        self._codes()
        return self._by_code or {}

    @property
    def self_by_code(self) -> dict[str, dict[Cell, int]]:
        self._codes()
        return self._self_by_code or {}


@dataclass
class Needs:
    """The analysis for one scope: the counts behind the assessed and self-assessed tables, from the level-count
    summary (competencies.services.level_counts) when it holds the scope's requirement, else from every worker.
    `workers`, `behind` and `self_behind` list the people themselves, read only when asked."""

    scope: Scope
    required: dict[str, int]
    counts: Counts
    powiats: dict[int, str] = field(default_factory=dict)
    session: Session | None = field(default=None, repr=False, compare=False)
    from_summary: bool = False

    @cached_property
    def _detail(self) -> tuple[list[Worker], dict[int, set[str]], dict[int, set[str]]]:
        return _per_worker(self.session, self.scope, self.required)

    @property
    def workers(self) -> list[Worker]:
        return self._detail[0]

    @property
    def behind(self) -> dict[int, set[str]]:  # worker id → competences below the required level (assessed)
        return self._detail[1]

    @property
    def self_behind(self) -> dict[int, set[str]]:
        return self._detail[2]


def required_levels(session: Session, scope: Scope) -> dict[str, int]:
    """{competence code: required level} for the scope's role (or the floor over all roles), area and competence."""
    comps = competences_by_code(session)
    required: dict[str, int] = {}
    for role in roles(session):
        if scope.role and role.code != scope.role:
            continue
        for row in role.required:
            code = row.competence.code
            required[code] = min(required.get(code, row.level), row.level)
    if scope.area:
        required = {c: lv for c, lv in required.items() if c in comps and comps[c].area.code == scope.area}
    if scope.competence:
        required = {c: lv for c, lv in required.items() if c == scope.competence}
    return required


def powiat_names(session: Session) -> dict[int, str]:
    units = session.scalars(select(TerritorialUnit).where(TerritorialUnit.level == POWIAT).order_by(TerritorialUnit.code))
    return {u.id: u.label for u in units}


def _powiat_of_units(session: Session) -> dict[int, int | None]:
    """{unit id: id of its powiat} for every unit (None above powiat level), from one query of parent links."""
    rows = session.execute(select(TerritorialUnit.id, TerritorialUnit.level, TerritorialUnit.parent_id)).all()
    parent = {uid: pid for uid, _level, pid in rows}
    level = {uid: lv for uid, lv, _pid in rows}
    out: dict[int, int | None] = {}
    for uid in parent:
        unit: int | None = uid
        while unit is not None and level.get(unit) != POWIAT:
            unit = parent.get(unit)
        out[uid] = unit
    return out


def workers(session: Session, scope: Scope) -> list[Worker]:
    """Active learners who are accepted members of an active institution (institution_id is set only on acceptance)."""
    stmt = (
        select(User.id, Institution.type, Institution.served_area_id, Institution.id)
        .join(Institution, Institution.id == User.institution_id)
        .where(User.erased_at.is_(None), User.active.is_(True), Institution.active.is_(True))
        .where(User.id.in_(select(UserRole.user_id).where(UserRole.role == LEARNER)))
        .order_by(User.id)
    )
    if scope.institution_type:
        stmt = stmt.where(Institution.type == scope.institution_type)
    powiat_of = _powiat_of_units(session)
    found = [Worker(uid, powiat_of.get(area), type_, inst) for uid, type_, area, inst in session.execute(stmt)]
    if scope.powiat_id is not None:
        found = [w for w in found if w.powiat_id == scope.powiat_id]
    return found


def _per_worker(session: Session, scope: Scope, required: dict[str, int]):
    people = workers(session, scope)
    ids = [w.id for w in people]
    assessed = levels_for_users(session, ids, list(required))
    selfs = self_assessed_for_users(session, ids, list(required))
    behind = {uid: {c for c, lv in required.items() if assessed[uid].get(c, 0) < lv} for uid in ids}
    self_behind = {uid: {c for c, lv in required.items() if c in selfs[uid] and selfs[uid][c] < lv} for uid in ids}
    return people, behind, self_behind


def _worker_counts(needs: Needs) -> Counts:
    """The counts from every worker's levels (the summary does not hold this requirement yet)."""
    out = Counts(by_code={c: {} for c in needs.required}, self_by_code={c: {} for c in needs.required})
    for w in needs.workers:
        key = (_row_key(w), w.type)
        out.workers[key] = out.workers.get(key, 0) + 1
        pairs = ((needs.behind, out.behind, out.by_code), (needs.self_behind, out.self_behind, out.self_by_code))
        for gaps, any_map, code_map in pairs:
            any_map[key] = any_map.get(key, 0) + int(bool(gaps[w.id]))
            for code in gaps[w.id]:
                code_map[code][key] = code_map[code].get(key, 0) + 1
    return out


def _summary_rows(session: Session, scope: Scope, required: dict[str, int], gap_key: str | None, *, workers: bool = True):
    """(kind, key, cell, workers) from the summary's cells in scope. With a gap key the workers and the workers
    behind on at least one competence; without one (or without `workers`) the counts per competence of `required`."""
    wanted = [LevelCount.kind == level_counts.WORKERS] if workers else []
    if gap_key is not None:
        wanted.append(and_(LevelCount.kind.in_((level_counts.GAP, level_counts.SELF_GAP)), LevelCount.key == gap_key))
    pairs = [(code, level) for code, level in required.items() if level > 0]
    if pairs and gap_key is None:
        # One hashed IN over "code:level" rather than an OR per competence (96 ORs evaluated on every row).
        pair = LevelCount.key + ":" + cast(LevelCount.level, String)
        codes, keys = sorted({c for c, _l in pairs}), sorted(f"{c}:{lv}" for c, lv in pairs)
        kinds = (level_counts.AT_LEAST, level_counts.SELF_BELOW)
        wanted.append(and_(LevelCount.kind.in_(kinds), LevelCount.key.in_(codes), pair.in_(keys)))
    if not wanted:
        return
    stmt = select(LevelCount.kind, LevelCount.key, LevelCount.powiat_id, LevelCount.institution_type, LevelCount.count).where(or_(*wanted))
    if scope.institution_type:
        stmt = stmt.where(LevelCount.institution_type == scope.institution_type)
    if scope.powiat_id is not None:
        stmt = stmt.where(LevelCount.powiat_id == scope.powiat_id)
    for kind, key, powiat_id, type_, count in session.execute(stmt):
        yield kind, key, (REGION if powiat_id == level_counts.REGION else powiat_id, type_), count


def _code_counts(session: Session, scope: Scope, required: dict[str, int], workers: dict[Cell, int], rows=None):
    """({code: {cell: behind}}, {code: {cell: self-assessed behind}}) from the per-competence counts."""
    at_least: dict[str, dict[Cell, int]] = {}
    by_code: dict[str, dict[Cell, int]] = {c: {} for c in required}
    self_by_code: dict[str, dict[Cell, int]] = {c: {} for c in required}
    for kind, key, cell, count in rows if rows is not None else _summary_rows(session, scope, required, None, workers=False):
        if kind == level_counts.AT_LEAST:
            at_least.setdefault(key, {})[cell] = count
        elif kind == level_counts.SELF_BELOW:
            self_by_code[key][cell] = count
    for code, level in required.items():
        if level > 0:
            met = at_least.get(code, {})
            by_code[code] = {cell: n - met.get(cell, 0) for cell, n in workers.items()}
    return by_code, self_by_code


def _summary_counts(session: Session, scope: Scope, required: dict[str, int], gap_key: str | None) -> Counts:
    rows = list(_summary_rows(session, scope, required, gap_key))
    workers = {cell: count for kind, _key, cell, count in rows if kind == level_counts.WORKERS and count}
    if gap_key is None:  # at most one competence: behind on it is behind on at least one
        by_code, self_by_code = _code_counts(session, scope, required, workers, rows)
        (code,) = required or ("",)
        return Counts(workers, by_code.get(code), self_by_code.get(code), by_code, self_by_code)
    behind = {cell: count for kind, _key, cell, count in rows if kind == level_counts.GAP}
    self_behind = {cell: count for kind, _key, cell, count in rows if kind == level_counts.SELF_GAP}
    return Counts(workers, behind, self_behind, load_codes=lambda: _code_counts(session, scope, required, workers))


def analyse(session: Session, scope: Scope) -> Needs:
    required = required_levels(session, scope)
    gap_key = level_counts.signature(required) if len(required) > 1 else None
    usable = level_counts.is_built(session) and (gap_key is None or level_counts.is_built(session, gap_key))
    needs = Needs(scope, required, Counts(), powiat_names(session), session, usable)
    needs.counts = _summary_counts(session, scope, required, gap_key) if usable else _worker_counts(needs)
    return needs


def _row_key(worker: Worker):
    return REGION if worker.powiat_id is None else worker.powiat_id


def _types(cells) -> list[str]:
    present = {t for (_row, t), n in cells.items() if n}
    return [t for t in INSTITUTION_TYPES if t in present]


def heat_table(needs: Needs, *, self_assessed: bool = False, code: str | None = None) -> Table:
    """Workers behind per powiat (rows) and institution type (columns), suppressed; cell populations count too."""
    counts = needs.counts
    if code:
        values = dict((counts.self_by_code if self_assessed else counts.by_code).get(code, {}))
    else:
        values = dict(counts.self_behind if self_assessed else counts.behind)
    bases = {cell: n for cell, n in counts.workers.items() if n}
    present_rows = {row for row, _t in bases}
    rows = [p for p in needs.powiats if p in present_rows] + ([REGION] if REGION in present_rows else [])
    values = {cell: values.get(cell, 0) for cell in bases}
    return suppress(Table(rows, _types(bases), values, bases))


def competence_table(needs: Needs, *, self_assessed: bool = False) -> Table:
    """The drill-down inside one powiat: workers behind per competence (rows) and institution type (columns)."""
    counts = needs.counts
    by_code = counts.self_by_code if self_assessed else counts.by_code
    cols = _types(counts.workers)
    per_type = {t: sum(n for (_r, tt), n in counts.workers.items() if tt == t) for t in cols}
    values: dict = {}
    bases: dict = {}
    for code in needs.required:
        for t in cols:
            bases[(code, t)] = per_type[t]
            values[(code, t)] = sum(n for (row, tt), n in by_code.get(code, {}).items() if tt == t and counts.workers.get((row, tt)))
    return suppress(Table(list(needs.required), cols, values, bases), column_totals=False)


def row_label(needs: Needs, key) -> str:
    return gettext("Whole voivodeship") if key == REGION else needs.powiats.get(key, str(key))


@dataclass
class Closer:
    kind: str  # "module" or "assignment"
    title: str
    course_slug: str


@dataclass
class RankedGap:
    code: str
    name: str
    required: int
    behind: int | str  # suppressed count
    behind_raw: int
    top_powiats: list[tuple[str, int]]
    closers: list[Closer]
    types: list[str] = field(default_factory=list)  # institution types with workers behind, in the framework's order

    def plan(self, role: str = "") -> dict[str, str | list[str]]:
        """Query arguments that open the events domain's new-event form prefilled for this gap (GET writes nothing):
        the competence and the level to assess, the institution types behind, and the target powiats in the
        description (an event has a venue, not a target area)."""
        where = ", ".join(name for name, _n in self.top_powiats) or gettext("the whole region")
        args: dict[str, str | list[str]] = {
            "title": gettext("Training: %(competence)s", competence=self.name),
            "description": gettext(
                "Planned from the regional training-needs analysis: workers below the required level %(level)s of "
                "%(code)s %(competence)s. Target powiats: %(powiats)s.",
                level=self.required,
                code=self.code,
                competence=self.name,
                powiats=where,
            ),
            "competence_codes": self.code,
            "target_institution_types": self.types,
        }
        if self.required in (1, 2):
            args["assessment_level"] = str(self.required)
        if role:
            args["target_roles"] = role
        return args


def closers(session: Session, required: dict[str, int]) -> dict[str, list[Closer]]:
    """Published modules and practical assignments that evidence a competence at (or above) its required level."""
    out: dict[str, list[Closer]] = {}
    # The published versions' module facts are kept per process: reading every module with its JSON columns again
    # on each call took 1.5 ms over the shipped courses, the kept facts 0.3 ms.
    for module in published_module_facts(session):
        for code, level in module.competences.items():
            if code in required and int(level) >= required[code]:
                out.setdefault(code, []).append(Closer("module", f"{module.title} ({module.version_title})", module.course_slug))
        for item in module.assignments:
            for code, level in (item.get("competences") or {}).items():
                if code in required and int(level) >= required[code]:
                    out.setdefault(code, []).append(Closer("assignment", f"{item['title']} ({module.version_title})", module.course_slug))
    return out


def ranked_gaps(session: Session, needs: Needs, *, limit: int = 10, powiats: int = 3) -> list[RankedGap]:
    """Competences with the most workers behind, the powiats where most are (only counts of 5 or more are named)."""
    comps = competences_by_code(session)
    found = closers(session, needs.required)
    out = []
    for code, level in needs.required.items():
        cells = {cell: n for cell, n in needs.counts.by_code.get(code, {}).items() if n > 0}
        total = sum(cells.values())
        if not total:
            continue
        per_powiat: dict = {}
        for (row, _type), n in cells.items():
            per_powiat[row] = per_powiat.get(row, 0) + n
        top = sorted(((n, key) for key, n in per_powiat.items() if show(n) != SUPPRESSED), key=lambda p: (-p[0], str(p[1])))
        name = comps[code].name if code in comps else code
        named = [(row_label(needs, k), n) for n, k in top[:powiats]]
        out.append(RankedGap(code, name, level, show(total), total, named, found.get(code, []), _types(cells)))
    out.sort(key=lambda g: (-g.behind_raw, g.code))
    return out[:limit]
