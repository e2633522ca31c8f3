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

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...accounts.models import User, UserRole
from ...competencies.services.framework import competences_by_code, roles
from ...competencies.services.levels import levels_for_users, self_assessed_for_users
from ...core.roles import LEARNER
from ...courses.services.learning import published_modules
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


@dataclass
class Needs:
    """The analysis for one scope: the assessed and self-assessed tables and the per-worker gaps behind them."""

    scope: Scope
    required: dict[str, int]
    workers: list[Worker]
    behind: dict[int, set[str]]  # worker id → competences below the required level (assessed)
    self_behind: dict[int, set[str]]
    powiats: dict[int, str] = field(default_factory=dict)


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


def analyse(session: Session, scope: Scope) -> Needs:
    required = required_levels(session, scope)
    people = workers(session, scope)
    ids = [w.id for w in people]
    assessed = levels_for_users(session, ids, list(required))
    selfs = self_assessed_for_users(session, ids, list(required))
    behind = {uid: {c for c, lv in required.items() if assessed[uid].get(c, 0) < lv} for uid in ids}
    self_behind = {uid: {c for c, lv in required.items() if c in selfs[uid] and selfs[uid][c] < lv} for uid in ids}
    return Needs(scope, required, people, behind, self_behind, powiat_names(session))


def _row_key(worker: Worker):
    return REGION if worker.powiat_id is None else worker.powiat_id


def heat_table(needs: Needs, *, self_assessed: bool = False, code: str | None = None) -> Table:
    """Workers behind per powiat (rows) and institution type (columns), suppressed; cell populations count too."""
    gaps = needs.self_behind if self_assessed else needs.behind
    present_rows = {_row_key(w) for w in needs.workers}
    rows = [p for p in needs.powiats if p in present_rows] + ([REGION] if REGION in present_rows else [])
    cols = [t for t in INSTITUTION_TYPES if any(w.type == t for w in needs.workers)]
    values: dict = {}
    bases: dict = {}
    for w in needs.workers:
        key = (_row_key(w), w.type)
        bases[key] = bases.get(key, 0) + 1
        hit = code in gaps[w.id] if code else bool(gaps[w.id])
        values[key] = values.get(key, 0) + int(hit)
    return suppress(Table(rows, cols, values, bases))


def competence_table(needs: Needs, *, self_assessed: bool = False) -> Table:
    """The drill-down inside one powiat: workers behind per competence (rows) and institution type (columns)."""
    gaps = needs.self_behind if self_assessed else needs.behind
    cols = [t for t in INSTITUTION_TYPES if any(w.type == t for w in needs.workers)]
    values: dict = {}
    bases: dict = {}
    for w in needs.workers:
        for code in needs.required:
            bases[(code, w.type)] = bases.get((code, w.type), 0) + 1
            values[(code, w.type)] = values.get((code, w.type), 0) + int(code in gaps[w.id])
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
    for course, version, module in published_modules(session):
        for code, level in (module.competences or {}).items():
            if code in required and int(level) >= required[code]:
                out.setdefault(code, []).append(Closer("module", f"{module.title} ({version.title})", course.slug))
        for item in module.assignments or []:
            for code, level in (item.get("competences") or {}).items():
                if code in required and int(level) >= required[code]:
                    out.setdefault(code, []).append(Closer("assignment", f"{item['title']} ({version.title})", course.slug))
    return out


def ranked_gaps(session: Session, needs: Needs, *, limit: int = 10, powiats: int = 3) -> list[RankedGap]:
    """Competences with the most workers behind, the powiats where most are (only counts of 5 or more are named)."""
    comps = competences_by_code(session)
    found = closers(session, needs.required)
    out = []
    for code, level in needs.required.items():
        people = [w for w in needs.workers if code in needs.behind[w.id]]
        if not people:
            continue
        per_powiat: dict = {}
        for w in people:
            per_powiat[_row_key(w)] = per_powiat.get(_row_key(w), 0) + 1
        top = sorted(((n, key) for key, n in per_powiat.items() if show(n) != SUPPRESSED), key=lambda p: (-p[0], str(p[1])))
        name = comps[code].name if code in comps else code
        named = [(row_label(needs, k), n) for n, k in top[:powiats]]
        types = [t for t in INSTITUTION_TYPES if any(w.type == t for w in people)]
        out.append(RankedGap(code, name, level, show(len(people)), len(people), named, found.get(code, []), types))
    out.sort(key=lambda g: (-g.behind_raw, g.code))
    return out[:limit]
