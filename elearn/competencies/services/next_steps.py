"""What comes next: per competence, the steps that would raise a person's level, gathered from providers.

Any domain can offer steps. A provider is a function

    provider(session: Session, user_id: int, codes: dict[str, int]) -> dict[str, list[NextStep]]

that receives the competences asked about with the person's current level ({code: level}) and returns, for the
codes it has something for, the steps it offers. It registers once at import, from the module the app loads
(the practice domain for assignments, events for training events), e.g. in its blueprint.py:

    from elearn.competencies.services.next_steps import NextStep, register_next_step_provider

    def assignment_steps(session, user_id, codes):
        return {code: [NextStep("assignment", title, path_for("practice.assignment", id=...), level=2)] ...}

    register_next_step_provider(assignment_steps)

A step's `level` is the level it can bring the competence to; only steps above the current level are shown, the
best one of each kind, lowest level first, then by kind in KIND_ORDER. The competency domain provides modules (0 → 1) and assessment
requests (→ the next level). Providers run inside a request or an app context (URLs via core's path_for).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.notifications import path_for
from ...courses.models import Course, ModuleCompletion
from ...courses.services.learning import published_module_facts
from ..models import MAX_LEVEL
from .levels import levels_for_codes
from .requests import open_request_codes

MODULE, ASSIGNMENT, ASSESSMENT_REQUEST, EVENT = "module", "assignment", "assessment_request", "event"
KIND_ORDER = {MODULE: 0, ASSIGNMENT: 1, EVENT: 2, ASSESSMENT_REQUEST: 3}
KIND_LABELS = {
    MODULE: _l("Module"),
    ASSIGNMENT: _l("Practical assignment"),
    ASSESSMENT_REQUEST: _l("Assessment by a trainer"),
    EVENT: _l("Training event"),
}


@dataclass(frozen=True)
class NextStep:
    kind: str  # MODULE, ASSIGNMENT, ASSESSMENT_REQUEST, EVENT or another domain's own kind
    label: str
    url: str
    level: int  # the level the step can bring the competence to

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


NextStepProvider = Callable[[Session, int, dict[str, int]], dict[str, list[NextStep]]]
_providers: list[NextStepProvider] = []


def register_next_step_provider(provider: NextStepProvider) -> NextStepProvider:
    """Add a provider (registering the same function again changes nothing); returns it, so it works as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def next_steps(session: Session, user_id: int, codes, *, limit: int = 4) -> dict[str, list[NextStep]]:
    """{code: steps above the current level, one per kind, best first (at most limit)} for the given codes."""
    current = levels_for_codes(session, user_id, list(codes))
    wanted = {code: level for code, level in current.items() if level < MAX_LEVEL}
    found: dict[str, list[NextStep]] = {}
    for provider in list(_providers):
        for code, steps in (provider(session, user_id, wanted) or {}).items():
            if code in wanted:
                found.setdefault(code, []).extend(s for s in steps if s.level > wanted[code])
    return {code: _best_per_kind(steps)[:limit] for code, steps in found.items() if steps}


def _best_per_kind(steps: list[NextStep]) -> list[NextStep]:
    """One step of each kind (the lowest level that still raises it), so a long list of modules cannot hide a request."""
    best: dict[str, NextStep] = {}
    for step in sorted(steps, key=lambda s: (s.level, s.label)):
        best.setdefault(step.kind, step)
    return sorted(best.values(), key=lambda s: (s.level, KIND_ORDER.get(s.kind, 9), s.label))


def module_steps(session: Session, user_id: int, codes: dict[str, int]) -> dict[str, list[NextStep]]:
    """Published modules the person has not completed that evidence the competence above the current level."""
    done = set(
        session.execute(
            select(Course.slug, ModuleCompletion.module_key)
            .join(ModuleCompletion, ModuleCompletion.course_id == Course.id)
            .where(ModuleCompletion.user_id == user_id)
        ).all()
    )
    out: dict[str, list[NextStep]] = {}
    for module in published_module_facts(session):
        if (module.course_slug, module.key) in done:
            continue
        for code, level in module.competences.items():
            if code in codes and int(level) > codes[code]:
                label = f"{module.title} ({module.version_title})"
                out.setdefault(code, []).append(NextStep(MODULE, label, path_for("courses.course", slug=module.course_slug), int(level)))
    return out


def request_steps(session: Session, user_id: int, codes: dict[str, int]) -> dict[str, list[NextStep]]:
    """Asking a trainer for an assessment, one level up (or where a request already waits, that request)."""
    waiting = open_request_codes(session, user_id)
    out: dict[str, list[NextStep]] = {}
    for code, level in codes.items():
        if code in waiting:
            label = str(_l("Your request waits for a trainer"))
            out[code] = [NextStep(ASSESSMENT_REQUEST, label, path_for("competencies.my_requests"), level + 1)]
        else:
            url = path_for("competencies.request_new", code=code)
            out[code] = [NextStep(ASSESSMENT_REQUEST, str(_l("Ask a trainer for an assessment")), url, level + 1)]
    return out


register_next_step_provider(module_steps)
register_next_step_provider(request_steps)
