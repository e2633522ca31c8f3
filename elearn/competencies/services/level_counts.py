"""The level-count summary (comp_level_counts): per cell of the regional map — the powiat an institution serves (0:
the whole voivodeship) and its type — how many workers hold each stored level, which self-assessed answers they
gave and how many are behind on at least one competence of each requirement, kept consistent in the same
transaction as the rows it counts.

A worker is an active, not erased person with the learner role and an accepted membership (`users.institution_id`
is set only on acceptance) of an active institution. Regional analytics reads these counts instead of every
worker's levels, so its pages do not grow with the number of workers (a few hundred cells, whatever the region).

How it stays fresh: a session flush that touches stored levels, self-assessment evidence, a user's institution,
active or erased state or roles, or an institution's type, served area or active flag counts the touched people's
contribution before the flush (from the database) and after it, and adds the difference (`before_flush` /
`after_flush`, registered by `listen()` from `connect_listeners()`). Whatever service wrote the rows — evidence, an
assessment, a prior-learning review, a withdrawal, a membership decision, erasure, an institution's edit — the
summary follows, and rolls back with it. Deleting an institution (a merge moves its people with bulk UPDATEs first)
or moving a territorial unit rebuilds the summary. Bulk inserts that bypass the unit of work (the synthetic region)
add their contributions with `add()`.

The "behind on at least one competence" counts depend on the requirement (a role's profile or the floor over all
roles, in one area or all): each requirement of the current framework is counted under its signature, and `built`
rows name the signatures a rebuild counted. A requirement the framework no longer has stops being kept (its rows
are dropped) and a new one is not read until `rebuild()` counts it (loading a framework rebuilds); readers fall back
to reading every worker meanwhile. `rebuild()` (`flask competencies rebuild-level-counts`) repairs a damaged summary.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from itertools import chain

from sqlalchemy import bindparam, case, delete, event, exists, insert, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from ...accounts.models import User, UserRole
from ...core.roles import LEARNER
from ...directory.models import POWIAT, Institution, TerritorialUnit
from ..models import (
    MAX_LEVEL,
    SELF_ASSESSMENT,
    Area,
    Competence,
    CompetenceLevel,
    CompetencySetting,
    Evidence,
    Framework,
    LevelCount,
    RequiredLevel,
    Role,
)

WORKERS, AT_LEAST, SELF_BELOW, GAP, SELF_GAP, BUILT = "workers", "level_at_least", "self_below", "gap", "self_gap", "built"
BASE = ""  # the `built` key of the workers, level and self-assessment counts
_PENDING = "competencies.level_counts_pending"
CHUNK = 500

Cell = tuple[int, str]  # (powiat id, 0 for the whole voivodeship; institution type)
Key = tuple[int, str, str, str, int]  # (powiat id, institution type, kind, key, level)
State = tuple[Cell, dict[str, int], dict[str, int]]  # (cell, stored levels > 0, newest self-assessed answers)
REGION = 0


def signature(required: dict[str, int]) -> str:
    """A short stable name for a requirement {code: level} (the `gap` rows' key)."""
    text = "|".join(f"{code}:{level}" for code, level in sorted(required.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


# --- what the current framework requires -----------------------------------------------------------------------


def _framework_id(conn: Connection) -> int | None:
    """The current framework (as framework.current_framework chooses it), read with plain SQL: usable inside a
    flush and in a migration."""
    from .framework import DEFAULT_PROFILE_FRAMEWORK, PROFILE_FRAMEWORK_SETTING

    key = conn.scalar(select(CompetencySetting.value).where(CompetencySetting.name == PROFILE_FRAMEWORK_SETTING))
    newest = select(Framework.id).order_by(Framework.loaded_at.desc(), Framework.id.desc()).limit(1)
    found = conn.scalar(newest.where(Framework.key == (key or DEFAULT_PROFILE_FRAMEWORK)))
    return found if found is not None else conn.scalar(newest)


def requirements(conn: Connection) -> dict[str, dict[str, int]]:
    """{signature: {code: level}} of every non-empty requirement the needs analysis can ask without naming one
    competence: each role's profile and the floor over all roles (the lowest level any role requires), each in
    every area and in all areas together."""
    framework_id = _framework_id(conn)
    if framework_id is None:
        return {}
    rows = conn.execute(
        select(Role.code, Area.code, Competence.code, RequiredLevel.level)
        .join(Role, Role.id == RequiredLevel.role_id)
        .join(Competence, Competence.id == RequiredLevel.competence_id)
        .join(Area, Area.id == Competence.area_id)
        .where(RequiredLevel.framework_id == framework_id, Competence.framework_id == framework_id)
    ).all()
    role_codes = sorted({r for r, _a, _c, _l in rows})
    area_codes = sorted({a for _r, a, _c, _l in rows})
    found: dict[str, dict[str, int]] = {}
    for role in ["", *role_codes]:
        for area in ["", *area_codes]:
            required: dict[str, int] = {}
            for r, a, code, level in rows:
                if (not role or r == role) and (not area or a == area):
                    required[code] = min(required.get(code, level), level)
            if required:
                found[signature(required)] = required
    return found


# --- each worker's contribution ---------------------------------------------------------------------------------


def powiat_of_area():
    """(SQL expression of the powiat id an institution's served area lies in — None above powiat level — and the
    aliases of the area, its parent and grandparent to join)."""
    area, parent, grand = aliased(TerritorialUnit), aliased(TerritorialUnit), aliased(TerritorialUnit)
    powiat = case((area.level == POWIAT, area.id), (parent.level == POWIAT, parent.id), (grand.level == POWIAT, grand.id), else_=None)
    return powiat, area, parent, grand


def _workers_query():
    learner = exists().where(UserRole.user_id == User.id, UserRole.role == LEARNER)
    powiat, area, parent, grand = powiat_of_area()
    return (
        select(User.id, powiat, Institution.type)
        .join(Institution, Institution.id == User.institution_id)
        .join(area, area.id == Institution.served_area_id)
        .outerjoin(parent, parent.id == area.parent_id)
        .outerjoin(grand, grand.id == parent.parent_id)
        .where(User.erased_at.is_(None), User.active.is_(True), Institution.active.is_(True), learner)
    )


def cells(conn: Connection, institution_ids: Iterable[int]) -> dict[int, Cell]:
    """{institution id: its cell} for the given active institutions (for counting bulk-inserted workers)."""
    powiat, area, parent, grand = powiat_of_area()
    ids = sorted(set(institution_ids))
    found: dict[int, Cell] = {}
    for i in range(0, len(ids), CHUNK):
        rows = conn.execute(
            select(Institution.id, powiat, Institution.type)
            .join(area, area.id == Institution.served_area_id)
            .outerjoin(parent, parent.id == area.parent_id)
            .outerjoin(grand, grand.id == parent.parent_id)
            .where(Institution.active.is_(True), Institution.id.in_(ids[i : i + CHUNK]))
        )
        found.update({inst: (powiat_id or REGION, type_) for inst, powiat_id, type_ in rows})
    return found


def states(conn: Connection, user_ids: Iterable[int] | None = None) -> dict[int, State]:
    """{user id: (institution, levels, self-assessed)} of the given people who are workers (all workers without ids)."""
    chunks: list[list[int] | None] = [None]
    if user_ids is not None:
        ids = sorted(set(user_ids))
        chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    found: dict[int, State] = {}
    for chunk in chunks:
        query = _workers_query()
        level_query = select(CompetenceLevel.user_id, CompetenceLevel.code, CompetenceLevel.level).where(CompetenceLevel.level > 0)
        self_query = (
            select(Evidence.user_id, Evidence.competence_code, Evidence.level)
            .where(Evidence.source == SELF_ASSESSMENT)
            .order_by(Evidence.recorded_at, Evidence.id)
        )
        if chunk is not None:
            query = query.where(User.id.in_(chunk))
            level_query = level_query.where(CompetenceLevel.user_id.in_(chunk))
            self_query = self_query.where(Evidence.user_id.in_(chunk))
        mine = {uid: ((powiat or REGION, type_), {}, {}) for uid, powiat, type_ in conn.execute(query)}
        if not mine:
            continue
        for uid, code, level in conn.execute(level_query):
            if uid in mine:
                mine[uid][1][code] = level
        for uid, code, level in conn.execute(self_query):
            if uid in mine:
                mine[uid][2][code] = level  # later answers overwrite earlier ones
        found.update(mine)
    return found


def contribute(out: Counter, state: State, required: dict[str, dict[str, int]], sign: int = 1) -> None:
    """Add (or with sign -1 take away) one worker's counts."""
    (powiat, type_), levels, selfs = state
    out[(powiat, type_, WORKERS, "", 0)] += sign
    for code, level in levels.items():
        for at in range(1, min(level, MAX_LEVEL) + 1):
            out[(powiat, type_, AT_LEAST, code, at)] += sign
    for code, level in selfs.items():
        for above in range(max(level, 0) + 1, MAX_LEVEL + 1):
            out[(powiat, type_, SELF_BELOW, code, above)] += sign
    for sig, needed in required.items():
        if any(levels.get(code, 0) < level for code, level in needed.items()):
            out[(powiat, type_, GAP, sig, 0)] += sign
        if any(code in needed and level < needed[code] for code, level in selfs.items()):
            out[(powiat, type_, SELF_GAP, sig, 0)] += sign


def counts(found: dict[int, State], required: dict[str, dict[str, int]]) -> Counter:
    out: Counter = Counter()
    for state in found.values():
        contribute(out, state, required)
    return out


# --- writing ----------------------------------------------------------------------------------------------------


def _apply(conn: Connection, delta: Counter) -> None:
    """Add the non-zero differences to the stored counts: UPDATE the rows that exist, INSERT the others."""
    delta = Counter({k: v for k, v in delta.items() if v})
    if not delta:
        return
    table = LevelCount.__table__
    columns = (table.c.powiat_id, table.c.institution_type, table.c.kind, table.c.key, table.c.level)
    existing: set[Key] = set()
    powiats = sorted({k[0] for k in delta})
    for i in range(0, len(powiats), CHUNK):
        existing.update(tuple(r) for r in conn.execute(select(*columns).where(table.c.powiat_id.in_(powiats[i : i + CHUNK]))))
    changes = [{"p": k[0], "t": k[1], "k": k[2], "c": k[3], "l": k[4], "d": v} for k, v in delta.items() if k in existing]
    if changes:
        conn.execute(
            update(table)
            .where(*(column == bindparam(name) for column, name in zip(columns, "ptkcl", strict=True)))
            .values(count=table.c.count + bindparam("d")),
            changes,
        )
    names = ("powiat_id", "institution_type", "kind", "key", "level")
    new = [dict(zip(names, k, strict=True), count=v) for k, v in delta.items() if k not in existing]
    for i in range(0, len(new), 5000):
        conn.execute(insert(table), new[i : i + 5000])


def _keep_current(conn: Connection, required: dict[str, dict[str, int]]) -> None:
    """Forget the requirements the framework no longer asks (their counts would no longer be kept)."""
    table = LevelCount.__table__
    built = set(conn.scalars(select(table.c.key).where(table.c.kind == BUILT, table.c.key != BASE)))
    gone = sorted(built - set(required))
    if gone:
        conn.execute(delete(table).where(table.c.kind.in_((GAP, SELF_GAP, BUILT)), table.c.key.in_(gone)))


def add(session: Session, found: dict[int, State]) -> None:
    """Count workers that were bulk-inserted without the unit of work (the synthetic region); flushes first."""
    session.flush()
    conn = session.connection()
    required = requirements(conn)
    _keep_current(conn, required)
    _apply(conn, counts(found, required))


def rebuild(session_or_conn: Session | Connection) -> int:
    """Count every worker again from the stored levels and evidence (a damaged summary is repaired, a new
    framework's requirements are counted); returns the number of workers."""
    conn = session_or_conn.connection() if isinstance(session_or_conn, Session) else session_or_conn
    if isinstance(session_or_conn, Session):
        session_or_conn.flush()
    required = requirements(conn)
    found = states(conn)
    table = LevelCount.__table__
    conn.execute(delete(table))
    markers = Counter({(REGION, "", BUILT, key, 0): 1 for key in [BASE, *required]})
    _apply(conn, counts(found, required) + markers)
    return len(found)


def is_built(session_or_conn: Session | Connection, key: str = BASE) -> bool:
    """Whether the summary holds the counts of this requirement signature (BASE: the levels and workers)."""
    table = LevelCount.__table__
    query = select(table.c.id).where(table.c.kind == BUILT, table.c.key == key).limit(1)
    conn = session_or_conn.connection() if isinstance(session_or_conn, Session) else session_or_conn
    return conn.scalar(query) is not None


# --- keeping it fresh: the flush listener -------------------------------------------------------------------------


def _user_of(obj) -> int | None:
    if obj.user_id is not None:
        return obj.user_id
    user = obj.__dict__.get("user")  # set through the relationship, not yet flushed (never loaded here)
    return user.id if user is not None else None


_USER_FIELDS = ("institution_id", "active", "erased_at", "role_rows")
_INSTITUTION_FIELDS = ("type", "served_area_id", "active")
_UNIT_FIELDS = ("parent_id", "level")


def _changed(obj, fields) -> bool:
    state = inspect(obj)
    return any(state.attrs[f].history.has_changes() for f in fields)


def _touched(session: Session, conn: Connection) -> tuple[set[int], bool]:
    """The people whose contribution this flush may change, and whether the whole summary must be counted again
    (an institution deleted, a territorial unit moved)."""
    ids: set[int] = set()
    everything = False
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, CompetenceLevel | UserRole) or (isinstance(obj, Evidence) and obj.source == SELF_ASSESSMENT):
            ids.add(_user_of(obj))
        elif isinstance(obj, User) and (obj in session.new or obj in session.deleted or _changed(obj, _USER_FIELDS)):
            ids.add(obj.id)
        elif isinstance(obj, Institution) and obj.id is not None:
            if obj in session.deleted:
                everything = True
            elif obj not in session.new and _changed(obj, _INSTITUTION_FIELDS):
                ids.update(conn.scalars(select(User.id).where(User.institution_id == obj.id)))
        elif isinstance(obj, TerritorialUnit) and obj not in session.new and (obj in session.deleted or _changed(obj, _UNIT_FIELDS)):
            everything = True
    ids.discard(None)
    return ids, everything


def _before_flush(session: Session, _context, _instances) -> None:
    ids, institution_gone = _touched(session, session.connection())
    if not ids and not institution_gone:
        return
    conn = session.connection()
    if not is_built(conn):
        return  # no summary to keep (a database migrated without it): nothing reads it either
    required = requirements(conn)
    before: Counter = Counter()
    for state in states(conn, ids).values():
        contribute(before, state, required, -1)
    session.info[_PENDING] = (ids, before, required, institution_gone)


def _after_flush(session: Session, _context) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    ids, delta, required, institution_gone = pending
    conn = session.connection()
    if institution_gone:
        rebuild(conn)
        return
    after_ids, _gone = _touched(session, conn)  # new rows have their ids now
    for state in states(conn, ids | after_ids).values():
        contribute(delta, state, required)
    _keep_current(conn, required)
    _apply(conn, delta)


def listen() -> None:
    """Register the flush listeners on every session (idempotent; from connect_listeners())."""
    for name, fn in (("before_flush", _before_flush), ("after_flush", _after_flush)):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)


def damaged_rows(session: Session) -> int:
    """How many stored counts differ from a fresh count (0 when the summary is right); for checks and tests."""
    conn = session.connection()
    required = requirements(conn)
    fresh = counts(states(conn), required) + Counter({(REGION, "", BUILT, key, 0): 1 for key in [BASE, *required]})
    table = LevelCount.__table__
    stored = Counter()
    columns = (table.c.powiat_id, table.c.institution_type, table.c.kind, table.c.key, table.c.level, table.c.count)
    for *key, count in conn.execute(select(*columns)):
        stored[tuple(key)] = count
    keys = set(fresh) | set(stored)
    return sum(1 for k in keys if fresh.get(k, 0) != stored.get(k, 0))
