"""Loading the competency framework from competency_model/ (YAML + JSON Schema) and looking it up.

The loader validates everything before it writes anything, so a broken file leaves the database untouched. Loading
the same version again changes nothing; a new version is stored beside the old one and becomes current.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from flask import has_request_context
from flask_babel import lazy_gettext as _l
from jsonschema import Draft202012Validator
from sqlalchemy import case, event, select
from sqlalchemy.orm import Session, selectinload

from ...core.caching import VersionCache
from ...core.errors import DomainError
from ...core.timeutil import utcnow
from ..models import Area, Competence, CompetencySetting, Framework, RequiredLevel, Role, ScaleLevel

MODEL_DIR = Path(__file__).resolve().parents[3] / "competency_model"
FRAMEWORK_FILE = "framework.yml"
AREAS_DIR = "areas"
SCHEMA_DIR = "schema"
FRAMEWORK_SCHEMA = "framework.schema.json"
AREAS_SCHEMA = "areas.schema.json"


class FrameworkError(DomainError):
    """The model files are invalid; one message per problem as 'file: yaml.path: problem' (plain English)."""


@dataclass
class LoadResult:
    framework: Framework
    status: str  # created | updated | unchanged
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class ModelFiles:
    """Validated content of a model folder."""

    framework: dict
    areas: list[tuple[str, dict]]  # (relative file name, content)

    def content_hash(self) -> str:
        payload = json.dumps({"framework": self.framework, "areas": self.areas}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


# --- reading and validating ------------------------------------------------------------------------------------


def _stringify_keys(value: Any) -> Any:
    """YAML reads indicator keys 1, 2, 3 as integers; JSON Schema sees only string keys."""
    if isinstance(value, dict):
        return {str(k): _stringify_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_keys(v) for v in value]
    return value


def yaml_path(parts) -> str:
    """['areas', 0, 'competences', 2, 'indicators', '3'] -> 'areas[0].competences[2].indicators.3'."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(root)"


def _read_yaml(path: Path, name: str, errors: list[str]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        errors.append(f"{name}: (root): file not found")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(f"{name}: (root): cannot read the file ({exc})")
        return None
    try:
        return _stringify_keys(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(root)"
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append(f"{name}: {where}: invalid YAML: {problem}")
        return None


def _schema(root: Path, name: str) -> dict:
    local = root / SCHEMA_DIR / name
    path = local if local.exists() else MODEL_DIR / SCHEMA_DIR / name
    return json.loads(path.read_text(encoding="utf-8"))


def _schema_errors(validator: Draft202012Validator, data: Any, name: str) -> list[str]:
    found = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    return [f"{name}: {yaml_path(e.absolute_path)}: {e.message}" for e in found]


def read_model(root: Path | str = MODEL_DIR) -> ModelFiles:
    """Read and validate a model folder; raise FrameworkError listing every problem."""
    root = Path(root)
    errors: list[str] = []
    if not root.is_dir():
        raise FrameworkError(f"{root}: (root): not a directory")
    framework_validator = Draft202012Validator(_schema(root, FRAMEWORK_SCHEMA))
    areas_validator = Draft202012Validator(_schema(root, AREAS_SCHEMA))

    framework = _read_yaml(root / FRAMEWORK_FILE, FRAMEWORK_FILE, errors)
    if framework is not None:
        errors += _schema_errors(framework_validator, framework, FRAMEWORK_FILE)
    area_files: list[tuple[str, dict]] = []
    paths = sorted((root / AREAS_DIR).glob("*.yml"))
    if not paths:
        errors.append(f"{AREAS_DIR}/: (root): no area files (*.yml)")
    for path in paths:
        name = f"{AREAS_DIR}/{path.name}"
        data = _read_yaml(path, name, errors)
        if data is None:
            continue
        schema_errors = _schema_errors(areas_validator, data, name)
        errors += schema_errors
        if not schema_errors:
            area_files.append((name, data))
    if not errors:
        errors += _cross_file_errors(framework, area_files)
    if errors:
        raise FrameworkError(*errors)
    return ModelFiles(framework=framework, areas=area_files)


def _cross_file_errors(framework: dict, area_files: list[tuple[str, dict]]) -> list[str]:
    """What JSON Schema cannot express: code prefixes, uniqueness across files, profile codes that exist."""
    errors: list[str] = []
    seen: dict[str, str] = {}
    roles_seen: dict[str, str] = {}
    for name, data in area_files:
        if data["role"] in roles_seen:
            errors.append(f"{name}: role: role {data['role']!r} is already described in {roles_seen[data['role']]}")
        roles_seen.setdefault(data["role"], name)
        for i, area in enumerate(data["areas"]):
            where = f"{name}: areas[{i}].code"
            if area["code"] in seen:
                errors.append(f"{where}: code {area['code']!r} is not unique (also in {seen[area['code']]})")
            seen.setdefault(area["code"], f"{name} areas[{i}]")
            for j, comp in enumerate(area["competences"]):
                cwhere = f"{name}: areas[{i}].competences[{j}].code"
                if not comp["code"].startswith(area["code"] + "."):
                    errors.append(f"{cwhere}: competence code {comp['code']!r} does not start with its area code {area['code']!r}")
                if comp["code"] in seen:
                    errors.append(f"{cwhere}: code {comp['code']!r} is not unique (also in {seen[comp['code']]})")
                seen.setdefault(comp["code"], f"{name} areas[{i}].competences[{j}]")
    competence_codes = {code for code, where in seen.items() if ".competences[" in where}
    for role, profile in framework["profiles"].items():
        for code in profile:
            if code not in competence_codes:
                errors.append(f"{FRAMEWORK_FILE}: profiles.{role}.{code}: competence {code!r} does not exist in {AREAS_DIR}/*.yml")
    return errors


# --- storing ---------------------------------------------------------------------------------------------------


def load_framework(session: Session, root: Path | str = MODEL_DIR) -> LoadResult:
    """Validate the folder and store its version; flushes, the caller commits (one transaction)."""
    files = read_model(root)
    data = files.framework
    digest = files.content_hash()
    framework = session.scalar(select(Framework).where(Framework.key == data["id"], Framework.version == data["version"]))
    if framework is not None and framework.content_hash == digest:
        return LoadResult(framework, "unchanged", _counts(framework))
    status = "updated" if framework is not None else "created"
    if framework is None:
        framework = Framework(key=data["id"], version=data["version"])
        session.add(framework)
    framework.title = data["title"]
    framework.description = data["description"]
    framework.source = data["source"]
    framework.content_hash = digest
    framework.loaded_at = utcnow()
    session.flush()
    _sync_scale(session, framework, data["scale"])
    roles = _sync_roles(session, framework, data["roles"])
    competences = _sync_areas(session, framework, files.areas)
    _sync_profiles(session, framework, roles, competences, data["profiles"])
    session.flush()
    session.expire(framework)
    from .search_documents import index_framework

    index_framework(session)
    from .level_counts import rebuild

    rebuild(session)  # the needs analysis counts workers behind each requirement of the framework
    return LoadResult(framework, status, _counts(framework))


def _counts(framework: Framework) -> dict[str, int]:
    return {
        "roles": len(framework.roles),
        "areas": len(framework.areas),
        "competences": len(framework.competences),
        "required levels": sum(len(r.required) for r in framework.roles),
    }


def _sync_scale(session: Session, framework: Framework, scale: list[dict]) -> None:
    existing = {s.level: s for s in framework.scale}
    for item in scale:
        row = existing.pop(item["level"], None) or ScaleLevel(framework=framework, level=item["level"])
        row.name, row.description = item["name"], item["description"]
        session.add(row)
    for row in existing.values():
        session.delete(row)


def _sync_roles(session: Session, framework: Framework, roles: list[dict]) -> dict[str, Role]:
    existing = {r.code: r for r in framework.roles}
    out = {}
    for position, item in enumerate(roles):
        row = existing.pop(item["code"], None) or Role(framework=framework, code=item["code"])
        row.name, row.description, row.aliases, row.position = item["name"], item["description"], list(item["aliases"]), position
        session.add(row)
        out[row.code] = row
    for row in existing.values():
        session.delete(row)
    return out


def _sync_areas(session: Session, framework: Framework, area_files: list[tuple[str, dict]]) -> dict[str, Competence]:
    areas = {a.code: a for a in framework.areas}
    comps = {c.code: c for c in framework.competences}
    kept_areas: dict[str, Area] = {}
    kept: dict[str, Competence] = {}
    area_pos = comp_pos = 0
    for _name, data in sorted(area_files, key=lambda f: _ROLE_ORDER.get(f[1]["role"], 9)):
        for item in data["areas"]:
            area = areas.pop(item["code"], None) or Area(framework=framework, code=item["code"])
            area.role_code, area.name, area.description, area.position = data["role"], item["name"], item["description"], area_pos
            area_pos += 1
            session.add(area)
            kept_areas[area.code] = area
            for citem in item["competences"]:
                comp = comps.pop(citem["code"], None) or Competence(framework=framework, code=citem["code"])
                comp.area = area
                comp.name, comp.description, comp.category = citem["name"], citem["description"], citem["category"]
                comp.indicators = {k: list(v) for k, v in citem["indicators"].items()}
                comp.position = comp_pos
                comp_pos += 1
                session.add(comp)
                kept[comp.code] = comp
    for comp in comps.values():
        session.delete(comp)
    for area in areas.values():
        session.delete(area)
    session.flush()
    return kept


_ROLE_ORDER = {"wspolne": 0, "animator": 1, "mediator": 2, "polityk": 3}


def _sync_profiles(
    session: Session, framework: Framework, roles: dict[str, Role], competences: dict[str, Competence], profiles: dict
) -> None:
    existing = {
        (r.role.code, r.competence.code): r
        for r in session.scalars(select(RequiredLevel).where(RequiredLevel.framework_id == framework.id))
    }
    for role_code, profile in profiles.items():
        for code, level in profile.items():
            row = existing.pop((role_code, code), None)
            if row is None:
                row = RequiredLevel(framework_id=framework.id, role=roles[role_code], competence=competences[code], level=level)
                session.add(row)
            row.level = level
    for row in existing.values():
        session.delete(row)


# --- lookups ---------------------------------------------------------------------------------------------------


DEFAULT_PROFILE_FRAMEWORK = "osl"
PROFILE_FRAMEWORK_SETTING = "profile_framework"


def _memo(session: Session) -> dict:
    """What this request's session already looked up (the current framework, its roles, a person's levels): kept
    until the session writes anything or its transaction ends, so a page whose panels ask a dozen times reads each
    once. Outside a request (CLI, background jobs, long-lived sessions that must see other sessions' commits)
    nothing is kept."""
    if not has_request_context():
        return {}
    return session.info.setdefault(_MEMO_KEY, {})


_MEMO_KEY = "competencies.framework_memo"


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session, *_args) -> None:
    session.info.pop(_MEMO_KEY, None)


@event.listens_for(Session, "do_orm_execute")
def _forget_on_write(state) -> None:
    if not state.is_select:  # an INSERT, UPDATE or DELETE statement run without the unit of work
        _forget(state.session)


def memoised(session: Session, key, load):
    """`load()` once per session until it writes or its transaction ends (for reads several panels repeat)."""
    memo = _memo(session)
    if key not in memo:
        memo[key] = load()
    return memo[key]


def forget_current_framework(session: Session) -> None:
    """Drop the session's memo (after loading or choosing a framework inside the same transaction)."""
    _forget(session)


def profile_framework_key(session: Session) -> str:
    """The key of the framework role profiles use: the admin's choice, by default the OSL framework."""
    memo = _memo(session)
    if "key" not in memo:
        row = session.get(CompetencySetting, PROFILE_FRAMEWORK_SETTING)
        memo["key"] = row.value if row else DEFAULT_PROFILE_FRAMEWORK
    return memo["key"]


def set_profile_framework(session: Session, key: str) -> Framework:
    """Make role profiles use another stored framework (imports never do this by themselves)."""
    framework = newest_version(session, key)
    if framework is None:
        raise FrameworkError(f"no framework with the key {key!r} is stored")
    row = session.get(CompetencySetting, PROFILE_FRAMEWORK_SETTING)
    if row is None:
        row = CompetencySetting(name=PROFILE_FRAMEWORK_SETTING, value=key)
        session.add(row)
    row.value = key
    session.flush()
    forget_current_framework(session)
    from .level_counts import rebuild

    rebuild(session)  # the requirements the level-count summary keeps are this framework's
    return framework


def current_framework(session: Session, key: str | None = None) -> Framework | None:
    """The newest version of the given framework, or of the one role profiles use (imported frameworks sit beside
    it and never replace it); with no such framework stored, the newest of any. Without a key, looked up once per
    transaction (see _memo)."""
    if key:
        return newest_version(session, key)
    memo = _memo(session)
    if "current" not in memo:
        chosen = newest_version(session, profile_framework_key(session))
        if chosen is None:
            chosen = session.scalar(select(Framework).order_by(Framework.loaded_at.desc(), Framework.id.desc()).limit(1))
        memo["current"] = chosen  # held here: the session's identity map alone would let it go
    return memo["current"]


# --- the immutable facts of a framework version, cached per process -----------------------------------------------


@dataclass(frozen=True)
class RoleFacts:
    code: str
    name: str
    profile: dict[str, int]  # {competence code: required level}, in the competences' order; empty without a profile


@dataclass(frozen=True)
class FrameworkFacts:
    """What pages need of a stored framework version: its roles with their profiles and its scale. A version whose
    content changes is stored with a new content hash and load time, so the cache key changes with it."""

    id: int
    roles: tuple[RoleFacts, ...]
    scale: dict[int, str]

    @property
    def profiled_roles(self) -> tuple[RoleFacts, ...]:
        return tuple(r for r in self.roles if r.profile)

    def profile(self, role_code: str) -> dict[str, int]:
        return next((dict(r.profile) for r in self.roles if r.code == role_code), {})

    def highest_required(self) -> dict[str, int]:
        """{code: the highest level any role requires}."""
        out: dict[str, int] = {}
        for role in self.roles:
            for code, level in role.profile.items():
                out[code] = max(out.get(code, 0), level)
        return out


FACTS_CACHE_SIZE = 32
_FACTS: VersionCache[FrameworkFacts] = VersionCache(FACTS_CACHE_SIZE)


def framework_facts(session: Session, framework: Framework | None = None) -> FrameworkFacts | None:
    """The roles, profiles and scale of the current (or given) framework, read from the database once per process
    and framework version (keyed by id, content hash and load time, as course outlines are)."""
    framework = framework or current_framework(session)
    if framework is None:
        return None
    cache_key = (framework.id, framework.content_hash, framework.loaded_at)
    return _FACTS.get_or_load(cache_key, lambda: _load_facts(session, framework.id))


def _load_facts(session: Session, framework_id: int) -> FrameworkFacts:
    roles_found = session.execute(
        select(Role.id, Role.code, Role.name).where(Role.framework_id == framework_id).order_by(Role.position, Role.id)
    ).all()
    profiles: dict[int, dict[str, int]] = {role_id: {} for role_id, _code, _name in roles_found}
    for role_id, code, level in session.execute(
        select(RequiredLevel.role_id, Competence.code, RequiredLevel.level)
        .join(Competence, Competence.id == RequiredLevel.competence_id)
        .where(RequiredLevel.framework_id == framework_id)
        .order_by(RequiredLevel.role_id, Competence.position, Competence.id)
    ):
        profiles.setdefault(role_id, {})[code] = level
    scale = dict(
        session.execute(
            select(ScaleLevel.level, ScaleLevel.name).where(ScaleLevel.framework_id == framework_id).order_by(ScaleLevel.level)
        ).all()
    )
    return FrameworkFacts(framework_id, tuple(RoleFacts(code, name, profiles[role_id]) for role_id, code, name in roles_found), scale)


def newest_version(session: Session, key: str) -> Framework | None:
    """The most recently stored version of one framework."""
    return session.scalar(select(Framework).where(Framework.key == key).order_by(Framework.loaded_at.desc(), Framework.id.desc()).limit(1))


def competences_by_code(session: Session, framework: Framework | None = None) -> dict[str, Competence]:
    framework = framework or current_framework(session)
    if framework is None:
        return {}
    rows = session.scalars(select(Competence).where(Competence.framework_id == framework.id).order_by(Competence.position))
    return {c.code: c for c in rows}


def competence_names(session: Session, codes) -> dict[str, str]:
    """Names of the given codes in the current framework (codes it no longer has keep their newest known name)."""
    codes = set(codes)
    names: dict[str, str] = {}
    if not codes:
        return names
    rows = session.execute(
        select(Competence.code, Competence.name)
        .join(Framework, Framework.id == Competence.framework_id)
        .where(Competence.code.in_(codes))
        .order_by(case((Framework.key == profile_framework_key(session), 1), else_=0), Framework.loaded_at, Framework.id)
    )
    for code, name in rows:
        names[code] = name  # later versions overwrite earlier ones; the profile framework's names win
    return names


def scale_names(session: Session) -> dict[int, str]:
    """Level names as the framework writes them (Polish): for documents of record (certificates, badges)."""
    facts = framework_facts(session)
    return dict(facts.scale) if facts else {}


# The shipped framework's level names, shown in the reader's language on pages; another framework's names are
# shown as written.
LEVEL_LABELS = {
    "brak": _l("no level"),
    "podstawowy": _l("basic"),
    "samodzielny": _l("independent"),
    "ekspercki": _l("expert"),
}


def scale_labels(session: Session, framework: Framework | None = None) -> dict[int, str]:
    """Level names for pages: translated when the framework is the shipped one."""
    # the current framework's names come from the per-process cache
    names = scale_names(session) if framework is None else {s.level: s.name for s in framework.scale}
    return {level: str(LEVEL_LABELS.get(name, name)) for level, name in names.items()}


def roles(session: Session, framework: Framework | None = None, *, with_profile: bool = True) -> list[Role]:
    """The framework's roles (ORM rows, with their required levels), read once per transaction (see _memo)."""
    framework = framework or current_framework(session)
    if framework is None:
        return []
    memo = _memo(session).setdefault("roles", {})
    if framework.id not in memo:
        # Required levels in one more query, not one per role (the dashboard lists every role).
        memo[framework.id] = list(
            session.scalars(
                select(Role).where(Role.framework_id == framework.id).order_by(Role.position).options(selectinload(Role.required))
            )
        )
    return [r for r in memo[framework.id] if r.required or not with_profile]


def role_by_code(session: Session, code: str, framework: Framework | None = None) -> Role | None:
    return next((r for r in roles(session, framework, with_profile=False) if r.code == code), None)


def required_profile(session: Session, role: str) -> dict[str, int]:
    """{competence code: required level} of a role in the current framework (empty for an unknown role)."""
    facts = framework_facts(session)
    return facts.profile(role) if facts else {}


def unknown_codes(session: Session, codes) -> list[str]:
    """Codes not present in the current framework (used to reject course content that names them)."""
    known = set(competences_by_code(session))
    return sorted(c for c in set(codes) if c not in known)


def versions(session: Session) -> list[Framework]:
    """Every loaded framework version, newest first."""
    return list(session.scalars(select(Framework).order_by(Framework.loaded_at.desc(), Framework.id.desc())))
