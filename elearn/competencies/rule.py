"""THE DERIVATION RULE as a pure function over plain values, so the levels service and migrations share it.

This module imports nothing from the application (no models, no Flask): a migration can recompute stored levels
from raw evidence rows with it. elearn/competencies/services/levels.py documents the rule and applies it.
"""

from __future__ import annotations

from collections.abc import Iterable

# Evidence sources (the values of comp_evidence.source).
MODULE_COMPLETED = "module_completed"
QUIZ_PASSED = "quiz_passed"
TRAINER_ASSESSMENT = "trainer_assessment"
SELF_ASSESSMENT = "self_assessment"
PRIOR_LEARNING = "prior_learning"
IMPORTED = "imported"
ASSIGNMENT = "assignment"
EVENT_ASSESSMENT = "event_assessment"
SOURCES = (MODULE_COMPLETED, QUIZ_PASSED, TRAINER_ASSESSMENT, SELF_ASSESSMENT, PRIOR_LEARNING, IMPORTED, ASSIGNMENT, EVENT_ASSESSMENT)

ACCEPTED = "accepted"

# Reading and a passed quiz show knowledge: they confirm at most level 1.
KNOWLEDGE_SOURCES = frozenset({MODULE_COMPLETED, QUIZ_PASSED})
# Assessed practice: a trainer (or, for imports, another system) judged what the person did. Each such piece at
# level 2 or higher is "level-2 evidence"; on its own it confirms at most level 2.
PRACTICE_SOURCES = frozenset({ASSIGNMENT, EVENT_ASSESSMENT, PRIOR_LEARNING, TRAINER_ASSESSMENT, IMPORTED})
# A trainer's direct assessment at level 3 (in person or at a training event) is what can open level 3.
DIRECT_SOURCES = frozenset({TRAINER_ASSESSMENT, EVENT_ASSESSMENT})
LEVEL_3_PRACTICE = 2  # pieces of level-2 evidence needed besides the direct assessment


def confirming(source: str, status: str | None) -> bool:
    """Whether evidence of this source and review status may confirm anything (self-assessment never does)."""
    if source == PRIOR_LEARNING:
        return status == ACCEPTED
    return source in KNOWLEDGE_SOURCES or source in PRACTICE_SOURCES


def level_for(items: Iterable[tuple[str, int, str | None]]) -> int:
    """The level confirmed by one competence's evidence, given as (source, level, status) triples."""
    best = 0
    practice = 0  # pieces of level-2 evidence, counting a direct level-3 assessment too
    direct = False
    for source, level, status in items:
        if level <= 0 or not confirming(source, status):
            continue
        if source in KNOWLEDGE_SOURCES:
            best = max(best, 1)
            continue
        best = max(best, min(level, 2))
        if level >= 2:
            practice += 1
        if level >= 3 and source in DIRECT_SOURCES:
            direct = True
    if direct and practice >= LEVEL_3_PRACTICE + 1:
        return 3
    return best


def derive(rows: Iterable[tuple[str, str, int, str | None]]) -> dict[str, int]:
    """{code: level} from (code, source, level, status) rows of one person; codes at 0 are left out."""
    by_code: dict[str, list[tuple[str, int, str | None]]] = {}
    for code, source, level, status in rows:
        by_code.setdefault(code, []).append((source, level, status))
    derived = {code: level_for(items) for code, items in by_code.items()}
    return {code: level for code, level in derived.items() if level > 0}
