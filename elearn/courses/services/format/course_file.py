"""course.yml: the course's description, checked against course.schema.json, then the rules a schema cannot say."""

from __future__ import annotations

from .model import Course, Errors
from .schema import COURSE_VALIDATOR, check, load_yaml


def parse_course_yml(text: str, path: str, errors: Errors) -> Course | None:
    data, lines = load_yaml(text, path, 1, errors)
    if data is None and not errors:
        errors.add(path, 1, "course.yml is empty")
    if data is None:
        return None
    if isinstance(data, dict):
        # An empty value (`title:`) of a required key counts as a missing key, as authors read it.
        required = COURSE_VALIDATOR.schema["required"]
        data = {k: v for k, v in data.items() if not (k in required and v in (None, ""))}
    bad = check(COURSE_VALIDATOR, data, path, lines, errors)
    if not isinstance(data, dict):
        return None

    def good(key: str, default):
        value = data.get(key)
        return default if key in bad or value is None else value

    slug = str(good("slug", ""))
    prerequisites = list(good("prerequisites", []))
    if slug and slug in prerequisites:
        errors.add(path, lines("prerequisites"), "a course cannot be its own prerequisite")
    return Course(
        slug=slug,
        title=str(good("title", "")).strip(),
        summary=str(good("summary", "")).strip(),
        role=str(good("role", "")),
        hours=good("hours", 1) if "hours" in data else 0,
        version=good("version", 1),
        authors=[a.strip() for a in good("authors", [])],
        prerequisites=prerequisites,
        outcomes=outcomes_of(good("outcomes", {})),
        quiz_attempts=good("quiz_attempts", None),
        quiz_wait_minutes=good("quiz_wait_minutes", None),
        path=path,
        key_lines=lines.keys(),
    )


def outcomes_of(value: dict) -> dict[str, list[str]]:
    """Outcomes as stored: texts without surrounding blanks."""
    return {kind: [item.strip() for item in items] for kind, items in value.items()}
