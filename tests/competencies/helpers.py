"""Helpers for the competency tests: what Moodle's importer checks in a framework CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def moodle_problems(text: str) -> list[str]:
    """What Moodle's importer (tool_lpimportcsv) and competency_framework validation would refuse, as messages.

    Columns by position; one framework row with scale values and a configuration that names a default and a
    proficient value; every parent ID number present earlier in the file; description formats Moodle knows.
    """
    rows = list(csv.reader(io.StringIO(text)))
    problems = []
    if len(rows[0]) < 13:
        problems.append("header too narrow")
    frameworks = [r for r in rows[1:] if r[12] not in ("", "0")]
    if len(frameworks) != 1:
        return [*problems, "not exactly one framework row"]
    head = frameworks[0]
    if not head[5].strip():
        problems.append("no scale values")
    config = json.loads(head[6])
    if "scaleid" not in config[0]:
        problems.append("scale configuration has no scaleid")
    if not any(item.get("proficient") in (1, "1") for item in config[1:]):
        problems.append("no proficient scale value")
    if not any(item.get("scaledefault") in (1, "1") for item in config[1:]):
        problems.append("no default scale value")
    seen = {head[1]}
    for row in rows[1:]:
        if row is head:
            continue
        if row[0] and row[0] not in seen:
            problems.append(f"{row[1]}: parent {row[0]} not defined before it")
        if row[4] not in ("0", "1", "2", "4"):
            problems.append(f"{row[1]}: description format {row[4]!r}")
        seen.add(row[1])
    return problems


def complete_module(user_id: int, slug: str, position: int = 0):
    """Complete a shipped module the way a learner does: enrol, mark every lesson done, pass the quiz."""
    from elearn.courses.services import learning
    from elearn.extensions import db

    course, version = learning.published_course(db.session, slug)
    learning.enrol(db.session, user_id, course, version)
    module = learning.version_modules(db.session, version)[position]
    for lesson in module.lessons:
        learning.mark_lesson_done(db.session, user_id, course, version, lesson.key)
    answers = {q.position: [o.position for o in q.options if o.correct] for q in module.questions}
    assert learning.submit_quiz(db.session, user_id, course, version, module, answers).passed
    db.session.commit()
    return module
