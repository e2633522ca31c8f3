"""The course file format (courses/README.md): parse into plain dataclasses and write back, exactly.

Parsing never touches the database; every problem is reported as `path:line: message` and all problems of a
run are collected, so an author fixes a folder in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import has_request_context
from flask_babel import gettext

ROLES = ("animator", "mediator", "polityk", "wspolne")
OUTCOME_KINDS = ("wiedza", "umiejetnosci", "kompetencje_spoleczne")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MODULE_FILE_RE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
COMPETENCE_RE = re.compile(r"^(WSP|ANI|MED|POL)\.\d+\.\d+$")
QUIZ_HEADING = "## Quiz"
TRUE_FALSE = ("Prawda", "Fałsz")
# "checks" (accepted content-check warnings) is read by services/checks.py, not by the parser.
COURSE_KEYS = ("slug", "title", "summary", "role", "hours", "version", "authors", "prerequisites", "outcomes", "checks")
COURSE_REQUIRED = ("slug", "title", "summary", "role", "hours")
MODULE_KEYS = ("title", "hours", "outcomes", "competences", "quiz_pass")
DEFAULT_QUIZ_PASS = 70

_OPTION_RE = re.compile(r"^- (\(( |x|X)\)|\[( |x|X)\]) (.*\S)\s*$")
_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")


@dataclass
class Option:
    text: str
    correct: bool


@dataclass
class Question:
    text: str
    kind: str  # single | multiple | truefalse
    options: list[Option] = field(default_factory=list)
    feedback: str = ""
    line: int = field(default=0, compare=False, repr=False)


@dataclass
class Lesson:
    title: str
    source: str
    line: int = field(default=0, compare=False, repr=False)


@dataclass
class Module:
    key: str
    title: str
    hours: int
    outcomes: dict[str, list[str]] = field(default_factory=dict)
    competences: dict[str, int] = field(default_factory=dict)
    quiz_pass: int = DEFAULT_QUIZ_PASS
    intro: str = ""
    lessons: list[Lesson] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    path: str = field(default="", compare=False, repr=False)
    competence_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Course:
    slug: str
    title: str
    summary: str
    role: str
    hours: int
    version: int = 1
    authors: list[str] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
    outcomes: dict[str, list[str]] = field(default_factory=dict)
    modules: list[Module] = field(default_factory=list)
    path: str = field(default="", compare=False, repr=False)
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


def _t(message: str, **params) -> str:
    """Quiz messages: translated for a trainer in the browser editor, English for the sync CLI and its logs."""
    return gettext(message, **params) if has_request_context() else message % params


class FormatError(Exception):
    """One or more `path:line: message` problems."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class _Errors(list):
    def add(self, path: str, line: int, message: str) -> None:
        self.append(f"{path}:{line}: {message}")


# --- YAML with line numbers ---------------------------------------------------------------------------------


class _Lines:
    """Line numbers (1-based, in the file) of YAML keys and list items, looked up by path: ("outcomes", "wiedza", 0)."""

    def __init__(self, node, first_line: int):
        self.node, self.first_line = node, first_line

    def __call__(self, *path, default: int | None = None) -> int:
        node, line = self.node, None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if str(k.value) == str(step)), None)
                if found is None:
                    break
                line, node = found[0].start_mark.line, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line
            else:
                break
        if line is None:
            return default if default is not None else self.first_line
        return self.first_line + line

    def keys(self, *path) -> dict[str, int]:
        node = self.node
        for step in path:
            if not isinstance(node, yaml.MappingNode):
                return {}
            node = next((v for k, v in node.value if str(k.value) == step), None)
        if not isinstance(node, yaml.MappingNode):
            return {}
        return {str(k.value): self.first_line + k.start_mark.line for k, _ in node.value}


def _load_yaml(text: str, path: str, first_line: int, errors: _Errors) -> tuple[object, _Lines]:
    """Load YAML and keep a line locator for precise messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc)
        errors.add(path, line, f"invalid YAML: {problem}")
        return None, _Lines(None, first_line)
    return data, _Lines(node, first_line)


def _check_outcomes(value, path: str, lines: _Lines, errors: _Errors) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.add(path, lines("outcomes"), "outcomes must be a mapping of wiedza / umiejetnosci / kompetencje_spoleczne to lists")
        return {}
    result: dict[str, list[str]] = {}
    for kind, items in value.items():
        if kind not in OUTCOME_KINDS:
            errors.add(path, lines("outcomes", kind), f"unknown outcome category {kind!r} (use {', '.join(OUTCOME_KINDS)})")
            continue
        if not isinstance(items, list):
            errors.add(path, lines("outcomes", kind), f"outcomes.{kind} must be a list of texts")
            continue
        good = True
        for index, item in enumerate(items):
            if isinstance(item, dict):
                message = "this item is read as a mapping because it contains ': '; put the whole text in quotes"
                errors.add(path, lines("outcomes", kind, index), message)
                good = False
            elif not isinstance(item, str) or not item.strip():
                errors.add(path, lines("outcomes", kind, index), f"outcomes.{kind} items must be non-empty texts")
                good = False
        if good:
            result[kind] = [i.strip() for i in items]
    return result


def _whole_number(value, path: str, line: int, name: str, errors: _Errors, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        errors.add(path, line, f"{name} must be a whole number {bound}, not {value!r}")
        return low
    return value


# --- course.yml -----------------------------------------------------------------------------------------------


def parse_course_yml(text: str, path: str, errors: _Errors) -> Course | None:
    data, lines = _load_yaml(text, path, 1, errors)
    if data is None and not errors:
        errors.add(path, 1, "course.yml is empty")
    if data is None:
        return None
    if not isinstance(data, dict):
        errors.add(path, 1, "course.yml must be a mapping of keys to values")
        return None
    for key in data:
        if key not in COURSE_KEYS:
            errors.add(path, lines(key), f"unknown key {key!r} (allowed: {', '.join(COURSE_KEYS)})")
    for key in COURSE_REQUIRED:
        if key not in data or data[key] in (None, ""):
            errors.add(path, lines(key), f"missing required key {key!r}")
    line = lines
    slug = str(data.get("slug") or "")
    if slug and not SLUG_RE.match(slug):
        errors.add(path, line("slug"), f"slug {slug!r} may contain only a-z, 0-9 and single hyphens")
    for key in ("title", "summary"):
        if key in data and data[key] is not None and not isinstance(data[key], str):
            errors.add(path, line(key), f"{key} must be text")
    role = data.get("role")
    if role is not None and role not in ROLES:
        errors.add(path, line("role"), f"role must be one of {', '.join(ROLES)}, not {role!r}")
    hours = _whole_number(data.get("hours", 0), path, line("hours"), "hours", errors, 1) if "hours" in data else 0
    version = _whole_number(data.get("version", 1), path, line("version"), "version", errors, 1)
    authors = data.get("authors") or []
    if not isinstance(authors, list) or not all(isinstance(a, str) and a.strip() for a in authors):
        errors.add(path, line("authors"), "authors must be a list of names")
        authors = []
    prerequisites = data.get("prerequisites") or []
    if not isinstance(prerequisites, list) or not all(isinstance(p, str) and SLUG_RE.match(p) for p in prerequisites):
        errors.add(path, line("prerequisites"), "prerequisites must be a list of course slugs")
        prerequisites = []
    if slug and slug in prerequisites:
        errors.add(path, line("prerequisites"), "a course cannot be its own prerequisite")
    outcomes = _check_outcomes(data.get("outcomes"), path, lines, errors)
    return Course(
        slug=slug,
        title=str(data.get("title") or "").strip(),
        summary=str(data.get("summary") or "").strip(),
        role=str(role or ""),
        hours=hours,
        version=version,
        authors=[a.strip() for a in authors],
        prerequisites=list(prerequisites),
        outcomes=outcomes,
        path=path,
        key_lines=lines.keys(),
    )


# --- module files ----------------------------------------------------------------------------------------------


def parse_module(text: str, path: str, key: str, errors: _Errors) -> Module | None:
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        errors.add(path, 1, "a module file must start with YAML front matter between two '---' lines")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        errors.add(path, 1, "the front matter is not closed with a '---' line")
        return None
    data, key_lines = _load_yaml("\n".join(lines[1:end]), path, 2, errors)
    if data is None:
        if not any(e.startswith(f"{path}:") for e in errors):
            errors.add(path, 1, "the front matter is empty")
        return None
    if not isinstance(data, dict):
        errors.add(path, 2, "the front matter must be a mapping of keys to values")
        return None
    line = key_lines
    for k in data:
        if k not in MODULE_KEYS:
            errors.add(path, line(str(k)), f"unknown key {k!r} (allowed: {', '.join(MODULE_KEYS)})")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.add(path, line("title"), "missing required key 'title'")
        title = ""
    if "hours" not in data:
        errors.add(path, 2, "missing required key 'hours'")
    hours = _whole_number(data.get("hours", 0), path, line("hours"), "hours", errors, 0)
    quiz_pass = _whole_number(data.get("quiz_pass", DEFAULT_QUIZ_PASS), path, line("quiz_pass"), "quiz_pass", errors, 0, 100)
    outcomes = _check_outcomes(data.get("outcomes"), path, key_lines, errors)
    competences: dict[str, int] = {}
    competence_lines = key_lines.keys("competences")
    raw = data.get("competences") or {}
    if not isinstance(raw, dict):
        errors.add(path, line("competences"), "competences must be a mapping of competence code to level (1–3)")
        raw = {}
    for code, level in raw.items():
        code_line = competence_lines.get(str(code), line("competences"))
        if not isinstance(code, str) or not COMPETENCE_RE.match(code):
            errors.add(path, code_line, f"competence code {code!r} must look like WSP.1.2, ANI.1.1, MED.2.3 or POL.4.1")
            continue
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 3:
            errors.add(path, code_line, f"level of {code} must be 1, 2 or 3, not {level!r}")
            continue
        competences[code] = level
    module = Module(
        key=key, title=title.strip(), hours=hours, outcomes=outcomes, competences=competences, quiz_pass=quiz_pass,
        path=path, competence_lines=competence_lines,
    )  # fmt: skip
    _parse_body(lines, end + 1, module, path, errors)
    return module


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


def _parse_body(lines: list[str], start: int, module: Module, path: str, errors: _Errors) -> None:
    sections = _split_sections(lines, start)
    module.intro = _strip_blank(sections[0][2])
    quiz_seen = False
    for number, heading, body in sections[1:]:
        if quiz_seen:
            errors.add(path, number, "'## Quiz' must be the last section of the module; move this section before it")
            continue
        if heading == "Quiz":
            quiz_seen = True
            module.questions = _parse_quiz(body, number, path, errors)
            continue
        if heading.lower() == "quiz":
            errors.add(path, number, f"write the quiz heading exactly as '## Quiz', not '## {heading}'")
            continue
        if not heading:
            errors.add(path, number, "a lesson heading needs a title after '## '")
            continue
        source = _strip_blank(body)
        if not source:
            errors.add(path, number, f"lesson '{heading}' has no text")
        module.lessons.append(Lesson(title=heading, source=source, line=number))
    if not module.lessons:
        errors.add(path, start + 1, "a module needs at least one lesson (a '## Title' heading)")


def _parse_quiz(body: list[str], heading_line: int, path: str, errors: _Errors) -> list[Question]:
    questions: list[Question] = []
    current: Question | None = None
    brackets: set[str] = set()
    feedback: list[str] = []

    def finish() -> None:
        if current is None:
            return
        current.feedback = "\n".join(feedback).strip()
        _check_question(current, brackets, path, errors)
        questions.append(current)

    for offset, text in enumerate(body, start=1):
        number = heading_line + offset
        if not text.strip():
            continue
        if text.startswith("### "):
            finish()
            current, brackets, feedback = Question(text=text[4:].strip(), kind="", line=number), set(), []
            if not current.text:
                errors.add(path, number, _t("a question needs text after '### '"))
            continue
        if current is None:
            errors.add(path, number, _t("the quiz must start with a question ('### Question text')"))
            continue
        if text.startswith(">"):
            feedback.append(text[2:] if text.startswith("> ") else text[1:])
            continue
        match = _OPTION_RE.match(text)
        if match:
            if feedback:
                errors.add(path, number, _t("options must come before the feedback ('>') of the question"))
            marker, round_mark, square_mark, option_text = match.groups()
            brackets.add(marker[0])
            current.options.append(Option(text=option_text.strip(), correct=(round_mark or square_mark) in ("x", "X")))
            continue
        if text.startswith("- "):
            errors.add(path, number, _t("an option must start with '- ( ) ', '- (x) ', '- [ ] ' or '- [x] ' followed by text"))
            continue
        errors.add(path, number, _t("unexpected line in the quiz: use '### question', '- ( ) option' or '> feedback'"))
    finish()
    if not questions:
        errors.add(path, heading_line, _t("'## Quiz' has no questions ('### Question text')"))
    return questions


def _check_question(question: Question, brackets: set[str], path: str, errors: _Errors) -> None:
    line = question.line
    if len(brackets) > 1:
        errors.add(path, line, _t("do not mix ( ) and [ ] options in one question"))
        question.kind = "single"
        return
    if len(question.options) < 2:
        errors.add(path, line, _t("a question needs at least two options"))
    correct = sum(o.correct for o in question.options)
    if brackets == {"("}:
        if correct != 1:
            errors.add(path, line, _t("a single-choice question needs exactly one (x), found %(found)d", found=correct))
        texts = tuple(o.text for o in question.options)
        question.kind = "truefalse" if sorted(texts) == sorted(TRUE_FALSE) and len(texts) == 2 else "single"
    elif brackets == {"["}:
        if correct < 1:
            errors.add(path, line, _t("a multiple-choice question needs at least one [x]"))
        question.kind = "multiple"


# --- folders -------------------------------------------------------------------------------------------------


def parse_course_dir(folder: Path, errors: _Errors, display_root: Path | None = None) -> Course | None:
    def shown(p: Path) -> str:
        try:
            return str(p.relative_to(display_root)) if display_root else str(p)
        except ValueError:
            return str(p)

    yml = folder / "course.yml"
    if not yml.is_file():
        errors.add(shown(yml), 1, "course.yml is missing")
        return None
    course = parse_course_yml(_read(yml, shown(yml), errors), shown(yml), errors)
    if course is None:
        return None
    if course.slug and course.slug != folder.name:
        errors.add(shown(yml), course.key_lines.get("slug", 1), f"slug {course.slug!r} must equal the folder name {folder.name!r}")
    numbers: dict[str, str] = {}
    for md in sorted(folder.glob("*.md")):
        if md.name.lower() == "readme.md":
            continue
        match = MODULE_FILE_RE.match(md.name)
        if not match:
            errors.add(shown(md), 1, "module file names must look like 01-module-name.md (two digits, a hyphen, a-z0-9-)")
            continue
        if match.group(1) in numbers:
            errors.add(shown(md), 1, f"module number {match.group(1)} is also used by {numbers[match.group(1)]}")
            continue
        numbers[match.group(1)] = md.name
        module = parse_module(_read(md, shown(md), errors), shown(md), match.group(2), errors)
        if module is not None:
            course.modules.append(module)
    keys = [m.key for m in course.modules]
    for module in course.modules:
        if keys.count(module.key) > 1:
            errors.add(module.path, 1, f"two modules have the same name {module.key!r}")
    if not course.modules and not numbers:
        errors.add(shown(yml), 1, "the course has no module files (01-name.md, …)")
    elif course.modules and course.hours and sum(m.hours for m in course.modules) != course.hours:
        total = sum(m.hours for m in course.modules)
        errors.add(shown(yml), course.key_lines.get("hours", 1), f"hours is {course.hours} but the modules add up to {total}")
    return course


def _read(path: Path, shown: str, errors: _Errors) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        errors.add(shown, 1, f"the file is not UTF-8 text ({exc.reason})")
        return ""


def parse_course_tree(root: Path) -> list[Course]:
    """Every course folder under root (or root itself when it holds course.yml); FormatError lists all problems."""
    errors = _Errors()
    root = Path(root)
    if (root / "course.yml").is_file():
        folders, display = [root], root.parent
    else:
        folders, display = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), root
    courses = []
    for folder in folders:
        course = parse_course_dir(folder, errors, display)
        if course is not None:
            courses.append(course)
    if errors:
        raise FormatError(list(errors))
    return courses


def parse_quiz_text(text: str, label: str = "quiz") -> list[Question]:
    """The quiz editor in the browser: the same syntax as after '## Quiz'; empty text means no quiz."""
    errors = _Errors()
    body = text.replace("\r\n", "\n").split("\n")
    if not text.strip():
        return []
    questions = _parse_quiz(body, 0, label, errors)
    if errors:
        raise FormatError(list(errors))
    return questions


# --- writing -------------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key and no line wrapping, as authors write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # noqa: ARG002 - PyYAML signature
        return super().increase_indent(flow, False)


def _str_representer(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000, default_flow_style=False)


def course_yml_text(course: Course) -> str:
    data = {
        "slug": course.slug,
        "title": course.title,
        "summary": course.summary,
        "role": course.role,
        "hours": course.hours,
        "version": course.version,
        "authors": list(course.authors),
        "prerequisites": list(course.prerequisites),
        "outcomes": {k: list(course.outcomes[k]) for k in OUTCOME_KINDS if k in course.outcomes},
    }
    return _dump(data)


def quiz_text(questions: list[Question]) -> str:
    out: list[str] = []
    for question in questions:
        if out:
            out.append("")
        out.append(f"### {question.text}")
        for option in question.options:
            if question.kind == "multiple":
                out.append(f"- [{'x' if option.correct else ' '}] {option.text}")
            else:
                out.append(f"- ({'x' if option.correct else ' '}) {option.text}")
        for line in question.feedback.split("\n") if question.feedback else []:
            out.append(f"> {line}" if line else ">")
    return "\n".join(out) + ("\n" if out else "")


def module_text(module: Module) -> str:
    front = {"title": module.title, "hours": module.hours}
    if module.outcomes:
        front["outcomes"] = {k: list(module.outcomes[k]) for k in OUTCOME_KINDS if k in module.outcomes}
    if module.competences:
        front["competences"] = dict(module.competences)
    front["quiz_pass"] = module.quiz_pass
    parts = ["---\n" + _dump(front) + "---\n"]
    if module.intro:
        parts.append(module.intro + "\n")
    for lesson in module.lessons:
        parts.append(f"## {lesson.title}\n\n{lesson.source}\n")
    if module.questions:
        parts.append(f"{QUIZ_HEADING}\n\n" + quiz_text(module.questions))
    return "\n".join(parts)


def write_course_dir(course: Course, folder: Path) -> list[Path]:
    """Write course.yml and NN-key.md files; stale module files from an earlier export are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "course.yml"]
    written[0].write_text(course_yml_text(course), encoding="utf-8")
    for number, module in enumerate(course.modules, start=1):
        path = folder / f"{number:02d}-{module.key}.md"
        path.write_text(module_text(module), encoding="utf-8")
        written.append(path)
    for stale in folder.glob("*.md"):
        if MODULE_FILE_RE.match(stale.name) and stale not in written:
            stale.unlink()
    return written
