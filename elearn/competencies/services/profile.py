"""A person's profile against the framework: share of each role's profile met, per-area summaries and gaps.

Gap rule (documented in competency_model/README.md and the competencies README section): a confirmed gap is
required level − current (confirmed) level, where positive. Self-assessed levels are shown beside it so a person
sees where they believe they stand, but they never close a gap: only assessed evidence does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import Area, Competence
from .framework import competences_by_code, current_framework, framework_facts, required_profile
from .levels import current_levels, latest_self_assessed


@dataclass(frozen=True)
class Gap:
    code: str
    name: str
    required: int
    current: int
    self_assessed: int | None

    @property
    def size(self) -> int:
        return max(self.required - self.current, 0)


def gaps(session: Session, user_id: int, role: str) -> list[Gap]:
    """Competences of a role's profile where the current level is below the required one, biggest gap first."""
    profile = required_profile(session, role)
    levels = current_levels(session, user_id)
    selfs = latest_self_assessed(session, user_id)
    comps = competences_by_code(session)
    out = [
        Gap(code, comps[code].name if code in comps else code, required, levels.get(code, 0), selfs.get(code))
        for code, required in profile.items()
        if levels.get(code, 0) < required
    ]
    return sorted(out, key=lambda g: (-g.size, list(profile).index(g.code)))


@dataclass
class RoleSummary:
    code: str
    name: str
    required: int
    met: int

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.required) if self.required else 0


def role_summaries(session: Session, user_id: int) -> list[RoleSummary]:
    """Per role: how many of its required competences the person meets."""
    levels = current_levels(session, user_id)
    facts = framework_facts(session)
    out = []
    for role in facts.profiled_roles if facts else ():
        met = sum(1 for code, level in role.profile.items() if levels.get(code, 0) >= level)
        out.append(RoleSummary(role.code, role.name, len(role.profile), met))
    return out


@dataclass
class CompetenceRow:
    competence: Competence
    current: int
    required: int  # highest level any role requires (or the chosen role's), 0 if none
    self_assessed: int | None
    evidence: list = field(default_factory=list)


@dataclass
class AreaRow:
    code: str
    name: str
    competences: list[CompetenceRow]

    @property
    def mean_current(self) -> float:
        return sum(c.current for c in self.competences) / len(self.competences) if self.competences else 0.0

    @property
    def required_count(self) -> int:
        return sum(1 for c in self.competences if c.required)

    @property
    def met_count(self) -> int:
        return sum(1 for c in self.competences if c.required and c.current >= c.required)

    @property
    def mean_required(self) -> float:
        return sum(c.required for c in self.competences) / len(self.competences) if self.competences else 0.0


def area_rows(session: Session, user_id: int, role: str | None, evidence: list) -> list[AreaRow]:
    """Every area of the current framework with each competence's current vs required level and its evidence.

    required is the chosen role's level (0 where the role does not require it) or, without a role, the highest
    level any role requires.
    """
    framework = current_framework(session)
    if framework is None:
        return []
    levels = current_levels(session, user_id)
    selfs = latest_self_assessed(session, user_id)
    facts = framework_facts(session, framework)
    required = facts.profile(role) if role else facts.highest_required()
    by_code: dict[str, list] = {}
    for item in evidence:
        by_code.setdefault(item.competence_code, []).append(item)
    out = []
    areas = session.scalars(
        select(Area).where(Area.framework_id == framework.id).order_by(Area.position).options(selectinload(Area.competences))
    )
    for area in areas:
        rows = [
            CompetenceRow(c, levels.get(c.code, 0), required.get(c.code, 0), selfs.get(c.code), by_code.get(c.code, []))
            for c in area.competences
        ]
        out.append(AreaRow(area.code, area.name, rows))
    return out


@dataclass(frozen=True)
class NextForGap:
    code: str
    name: str
    current: int
    required: int
    step: object  # next_steps.NextStep


def next_for_gaps(session: Session, user_id: int, *, limit: int = 3) -> list[NextForGap]:
    """The first step for the person's smallest gaps (against the highest level any role requires): the dashboard's
    "what comes next", chosen so that a step finishes a competence as soon as possible."""
    from .next_steps import next_steps

    facts = framework_facts(session)
    required = facts.highest_required() if facts else {}
    levels = current_levels(session, user_id)
    open_gaps = [code for code, level in required.items() if levels.get(code, 0) < level]
    steps = next_steps(session, user_id, open_gaps, limit=1)
    comps = competences_by_code(session)
    order = {code: i for i, code in enumerate(comps)}
    ranked = sorted((code for code in open_gaps if code in steps), key=lambda c: (required[c] - levels.get(c, 0), order.get(c, len(order))))
    return [
        NextForGap(code, comps[code].name if code in comps else code, levels.get(code, 0), required[code], steps[code][0])
        for code in ranked[:limit]
    ]
