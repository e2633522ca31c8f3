"""Module files (NN-key.md): front matter checked against module.schema.json, then lessons and the quiz."""

from __future__ import annotations

import re

from .assignment import parse_assignment
from .course_file import outcomes_of
from .model import ASSIGNMENT_PREFIX, DEFAULT_QUIZ_PASS, Errors, Lesson, Module
from .quiz import parse_quiz
from .schema import MODULE_VALIDATOR, check, load_yaml

_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")


def parse_module(text: str, path: str, key: str, errors: Errors) -> Module | None:
    lines = text.replace("\r\n", "\n").split("\n")
    end = _front_matter_end(lines, path, errors)
    if end is None:
        return None
    data, key_lines = load_yaml("\n".join(lines[1:end]), path, 2, errors)
    if data is None:
        if not any(e.startswith(f"{path}:") for e in errors):
            errors.add(path, 1, "the front matter is empty")
        return None
    bad = check(MODULE_VALIDATOR, data, path, key_lines, errors)
    if not isinstance(data, dict):
        return None

    def good(name: str, default):
        value = data.get(name)
        return default if name in bad or value is None else value

    module = Module(
        key=key, title=good("title", "").strip(), hours=good("hours", 0), outcomes=outcomes_of(good("outcomes", {})),
        competences=dict(good("competences", {})), quiz_pass=good("quiz_pass", DEFAULT_QUIZ_PASS),
        path=path, competence_lines=key_lines.keys("competences"),
    )  # fmt: skip
    _parse_body(lines, end + 1, module, path, errors)
    return module


def _front_matter_end(lines: list[str], path: str, errors: Errors) -> int | None:
    """Index of the closing '---' line of the front matter."""
    if not lines or lines[0].strip() != "---":
        errors.add(path, 1, "a module file must start with YAML front matter between two '---' lines")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        errors.add(path, 1, "the front matter is not closed with a '---' line")
    return end


def _split_sections(lines: list[str], start: int) -> list[tuple[int, str | None, list[str]]]:
    """(line number of the heading, heading text or None for the intro, body lines); `##` inside code fences ignored."""
    sections: list[tuple[int, str | None, list[str]]] = [(start + 1, None, [])]
    fence: str | None = None
    for index in range(start, len(lines)):
        text = lines[index]
        match = _FENCE_RE.match(text)
        if match:
            fence = None if fence == match.group(1) else (fence or match.group(1))
        if fence is None and text.startswith("## "):
            sections.append((index + 1, text[3:].strip(), []))
        elif fence is None and text.rstrip() == "##":
            sections.append((index + 1, "", []))
        else:
            sections[-1][2].append(text)
    return sections


def _strip_blank(body: list[str]) -> str:
    return "\n".join(body).strip("\n").rstrip()


def _parse_body(lines: list[str], start: int, module: Module, path: str, errors: Errors) -> None:
    sections = _split_sections(lines, start)
    module.intro = _strip_blank(sections[0][2])
    quiz_seen = False
    for number, heading, body in sections[1:]:
        if quiz_seen:
            errors.add(path, number, "'## Quiz' must be the last section of the module; move this section before it")
            continue
        if heading == "Quiz":
            quiz_seen = True
            module.questions = parse_quiz(body, number, path, errors)
            continue
        if heading.lower() == "quiz":
            errors.add(path, number, f"write the quiz heading exactly as '## Quiz', not '## {heading}'")
            continue
        if not heading:
            errors.add(path, number, "a lesson heading needs a title after '## '")
            continue
        if heading.startswith(ASSIGNMENT_PREFIX):
            assignment = parse_assignment(heading, body, number, path, errors)
            if assignment is not None:
                if any(a.key == assignment.key for a in module.assignments):
                    errors.add(path, number, f"assignment key {assignment.key!r} is used twice in this module")
                else:
                    module.assignments.append(assignment)
            continue
        source = _strip_blank(body)
        if not source:
            errors.add(path, number, f"lesson '{heading}' has no text")
        module.lessons.append(Lesson(title=heading, source=source, line=number))
    if not module.lessons:
        errors.add(path, start + 1, "a module needs at least one lesson (a '## Title' heading)")
