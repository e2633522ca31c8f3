"""Practical assignments in module files: a '## Zadanie: <title>' section, a ```yaml block, then the instructions.

The yaml block is checked against assignment.schema.json; problems are reported as `path:line: message`.
"""

from __future__ import annotations

from .model import ASSIGNMENT_PREFIX, Assignment, Errors
from .schema import ASSIGNMENT_VALIDATOR, check, load_yaml

_OPEN, _CLOSE = "```yaml", "```"


def parse_assignment(heading: str, body: list[str], number: int, path: str, errors: Errors) -> Assignment | None:
    """One assignment section; `number` is the line of its heading, body the lines after it."""
    title = heading[len(ASSIGNMENT_PREFIX) :].strip()
    if not title:
        errors.add(path, number, f"an assignment heading needs a title after '## {ASSIGNMENT_PREFIX} '")
    start = next((i for i, text in enumerate(body) if text.strip()), None)
    if start is None or body[start].strip() != _OPEN:
        errors.add(path, number + 1 + (start or 0), f"assignment '{title}' must start with a ```yaml block (key, competences, …)")
        return None
    end = next((i for i in range(start + 1, len(body)) if body[i].strip() == _CLOSE), None)
    if end is None:
        errors.add(path, number + 1 + start, "the assignment's ```yaml block is not closed with ```")
        return None
    first_line = number + 2 + start
    data, lines = load_yaml("\n".join(body[start + 1 : end]), path, first_line, errors)
    if data is None:
        errors.add(path, number + 1 + start, "the assignment's yaml block is empty")
        return None
    bad = check(ASSIGNMENT_VALIDATOR, data, path, lines, errors)
    instructions = "\n".join(body[end + 1 :]).strip("\n").rstrip()
    if not instructions:
        errors.add(path, number, f"assignment '{title}' has no instructions after its yaml block")
    if bad or not isinstance(data, dict) or not title:
        return None
    return Assignment(
        key=data["key"], title=title, instructions=instructions, competences=dict(data["competences"]),
        criteria=[c.strip() for c in data.get("criteria") or []], form=list(data.get("form") or ["text"]),
        due_days=data.get("due_days"), line=number, competence_lines=lines.keys("competences"),
    )  # fmt: skip


def assignment_text(assignment: Assignment, dump) -> str:
    """The section as the parser reads it back (dump: the format's YAML writer)."""
    data: dict = {"key": assignment.key, "competences": dict(assignment.competences)}
    if assignment.criteria:
        data["criteria"] = list(assignment.criteria)
    data["form"] = list(assignment.form)
    if assignment.due_days is not None:
        data["due_days"] = assignment.due_days
    return f"## {ASSIGNMENT_PREFIX} {assignment.title}\n\n{_OPEN}\n{dump(data)}{_CLOSE}\n\n{assignment.instructions}\n"
