"""Content checks for certification: quiz bias, lesson shape, images, links, glossary terms and fictional names.

The parser (format.py) says whether a course can be imported at all; these checks say whether it is fit to certify
anyone. Errors fail `flask courses check` and CI; warnings point at something to fix or to accept with a reason in
course.yml (`checks: accept:`), see courses/README.md. The same checks run on a browser-authored draft before it is
published, where every finding is shown to the trainer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import has_app_context, has_request_context
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Attachment, Course, Lesson, Module
from . import content, uploads
from . import format as fmt
from .glossary import GLOSSARY_FILE, Glossary, GlossaryError, Name, default_glossary, load_glossary

ERROR, WARNING = "error", "warning"

# Rule -> level. Bias rules are warnings: a quiz that leaks its key is unfit for certification, but a trainer may
# accept a finding with a reason; `--strict` (which CI runs on the shipped courses) treats unaccepted ones as errors.
RULES = {
    "format": ERROR,  # the file cannot be parsed (format.py)
    "glossary-file": ERROR,  # glossary.yml is missing a field, has a bad pattern or fails its schema
    "glossary-term": ERROR,  # a forbidden variant of a glossary term (per term `level` may lower it)
    "broken-link": ERROR,  # a relative link or image whose target does not exist
    "image-alt": ERROR,  # an image without alternative text (WCAG 2.1 1.1.1)
    "media-file": ERROR,  # a file in media/ that the upload checks refuse (type by content, size)
    "accept-invalid": ERROR,  # a `checks: accept:` entry that names an unknown rule, an error rule or no reason
    "quiz-longest": WARNING,  # the correct option is the longest one too often
    "quiz-position": WARNING,  # the correct option sits in one position too often
    "quiz-true-false": WARNING,  # the true/false key is unbalanced
    "quiz-all-but-one": WARNING,  # multiple-choice questions where every option but one is correct
    "lesson-length": WARNING,  # a lesson over the word limit
    "lesson-headings": WARNING,  # a long lesson without a single ### subheading
    "duplicate-name": WARNING,  # a fictional person or place from the glossary's names list in several courses
    "accept-unused": WARNING,  # an acceptance that matches no finding (the problem was fixed: remove it)
    "quiz-rules-unused": WARNING,  # quiz_attempts or quiz_wait_minutes set on a course without a quiz
}

# Rules whose warnings a course may accept: the warning rules, and glossary terms a glossary entry lowers to a warning
# (a quoted anti-example of labelling language is the course teaching, not using, the term).
ACCEPTABLE = (*(rule for rule, level in RULES.items() if level == WARNING), "glossary-term")

# Thresholds (documented in courses/README.md). With three or four options a correct option is the longest, or in a
# given position, by chance in 25–33% of questions; more than half means the key can be guessed without the content.
LONGEST_MIN_QUESTIONS, LONGEST_MAX_SHARE = 4, 0.5
POSITION_MIN_QUESTIONS, POSITION_MAX_SHARE = 6, 0.5
TRUE_FALSE_MIN_QUESTIONS, FALSE_SHARE_RANGE = 4, (0.35, 0.65)
ALL_BUT_ONE_MIN_QUESTIONS, ALL_BUT_ONE_MAX_SHARE = 3, 1 / 3
LESSON_MAX_WORDS = 1500
LESSON_WORDS_NEEDING_SUBHEADING = 600
SHOWN_LOCATIONS = 8

_LINK_RE = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_IMG_TAG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT_ATTR_RE = re.compile(r"\balt\s*=\s*([\"'])\s*\S", re.IGNORECASE)
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_WORD_RE = re.compile(r"\w+")


def _t(message: str, **params) -> str:
    """Translated for a trainer in the browser, English for the CLI and CI logs (as format.py does)."""
    return gettext(message, **params) if has_request_context() else message % params


@dataclass
class Finding:
    rule: str
    level: str
    message: str
    course: str
    file: str = ""  # file name inside the course folder ("03-x.md", "course.yml"), or a module key in the browser
    line: int = 0  # 0 when there is no line (a browser-authored course)
    path: str = ""  # the path shown to the user
    accepted: str = ""  # the reason from course.yml when the warning is accepted

    @property
    def location(self) -> str:
        where = self.path or self.file
        return f"{where}:{self.line}" if self.line else where

    @property
    def blocking(self) -> bool:
        return self.level == ERROR and not self.accepted


# --- what is checked -------------------------------------------------------------------------------------------


@dataclass
class TextUnit:
    """A piece of text whose offsets map to lines: a whole file, or one browser-edited field."""

    file: str
    path: str
    text: str
    first_line: int = 1  # 0: no line numbers (browser)
    base_dir: Path | None = None  # where relative links resolve; None: they cannot (browser)

    def line_at(self, offset: int) -> int:
        return self.first_line + self.text.count("\n", 0, offset) if self.first_line else 0


@dataclass
class CourseInput:
    course: fmt.Course
    units: list[TextUnit]
    accepts: list[dict] = field(default_factory=list)
    accepts_line: int = 0
    known_uploads: set[str] | None = None  # stored names of /uploads/ files, when known

    @property
    def known_media(self) -> set[str]:
        return {m.name for m in self.course.media}


def file_course_input(course: fmt.Course, folder: Path, shown_folder: str) -> CourseInput:
    """Raw files of a course folder (so lines are exact), plus its `checks: accept:` list from course.yml."""
    units = []
    for name in ["course.yml", *(Path(m.path).name for m in course.modules)]:
        text = (folder / name).read_text(encoding="utf-8")
        units.append(TextUnit(file=name, path=f"{shown_folder}/{name}", text=text, base_dir=folder))
    data = yaml.safe_load(units[0].text) or {}
    checks = data.get("checks")
    line = next((n for n, text in enumerate(units[0].text.split("\n"), start=1) if text.startswith("checks:")), 1)
    if checks is None:
        return CourseInput(course, units)
    accepts = checks.get("accept") if isinstance(checks, dict) and set(checks) == {"accept"} else None
    return CourseInput(course, units, accepts if isinstance(accepts, list) else [{"invalid": checks}], line)


def draft_course_input(course: fmt.Course, known_uploads: set[str] | None = None) -> CourseInput:
    """A course held in the database (browser authoring): one unit per field, no line numbers."""
    units = [TextUnit("course", course.title, "\n".join([course.title, course.summary]), first_line=0)]
    for module in course.modules:
        units.append(TextUnit(module.key, module.title, module.intro, first_line=0))
        for lesson in module.lessons:
            units.append(TextUnit(module.key, f"{module.title} › {lesson.title}", f"{lesson.title}\n{lesson.source}", first_line=0))
        quiz = fmt.quiz_text(module.questions)
        if quiz:
            units.append(TextUnit(module.key, f"{module.title} › {_t('quiz')}", quiz, first_line=0))
    return CourseInput(course, units, known_uploads=known_uploads)


def _module_file(course_input: CourseInput, module: fmt.Module) -> tuple[str, str]:
    if module.path:
        name = Path(module.path).name
        unit = next((u for u in course_input.units if u.file == name), None)
        return name, unit.path if unit else module.path
    return module.key, module.title


# --- rules -----------------------------------------------------------------------------------------------------


def _finding(rule: str, message: str, course: str, file: str = "", line: int = 0, path: str = "", level: str = "") -> Finding:
    return Finding(rule, level or RULES[rule], message, course, file, line, path)


def _where(course_input: CourseInput, items: list[tuple[fmt.Module, fmt.Question]]) -> str:
    labels = []
    for module, question in items[:SHOWN_LOCATIONS]:
        name, shown = _module_file(course_input, module)
        labels.append(f"{name}:{question.line}" if question.line else f"{shown}: {question.text[:40]}")
    more = len(items) - SHOWN_LOCATIONS
    return ", ".join(labels) + (f" (+{more})" if more > 0 else "")


def _quiz_bias(course_input: CourseInput) -> list[Finding]:
    """Course-wide: a module has too few questions for a share to mean anything, a course has enough."""
    course = course_input.course
    questions = [(m, q) for m in course.modules for q in m.questions]
    single = [(m, q) for m, q in questions if q.kind == "single" and len(q.options) >= 2]
    truefalse = [(m, q) for m, q in questions if q.kind == "truefalse"]
    multiple = [(m, q) for m, q in questions if q.kind == "multiple" and len(q.options) >= 3]
    found = [
        ("quiz-longest", _longest_bias(course_input, single)),
        ("quiz-position", _position_bias(single)),
        ("quiz-true-false", _true_false_bias(truefalse)),
        ("quiz-all-but-one", _all_but_one_bias(course_input, multiple)),
    ]
    return [_finding(rule, message, course.slug, "course.yml", 0, course.path or course.slug) for rule, message in found if message]


def _quiz_rules(course_input: CourseInput) -> list[Finding]:
    """An attempt limit or a waiting time on a course without questions is a leftover or a mistake."""
    course = course_input.course
    if (course.quiz_attempts is None and course.quiz_wait_minutes is None) or any(m.questions for m in course.modules):
        return []
    line = course.key_lines.get("quiz_attempts") or course.key_lines.get("quiz_wait_minutes") or 0
    message = _t("quiz_attempts or quiz_wait_minutes is set but no module of the course has a quiz")
    return [_finding("quiz-rules-unused", message, course.slug, "course.yml", line, course.path or course.slug)]


def _longest_bias(course_input: CourseInput, single: list) -> str | None:
    longest = [(m, q) for m, q in single if _correct_is_longest(q)]
    if len(single) < LONGEST_MIN_QUESTIONS or len(longest) / len(single) <= LONGEST_MAX_SHARE:
        return None
    return _t(
        "in %(found)d of %(total)d single-choice questions the correct option is the longest; write distractors of "
        "similar length: %(where)s", found=len(longest), total=len(single), where=_where(course_input, longest),
    )  # fmt: skip


def _position_bias(single: list) -> str | None:
    if len(single) < POSITION_MIN_QUESTIONS:
        return None
    positions = Counter(next(i for i, o in enumerate(q.options, start=1) if o.correct) for _m, q in single if _one_correct(q))
    if not positions:
        return None
    position, count = positions.most_common(1)[0]
    if count / len(single) <= POSITION_MAX_SHARE:
        return None
    return _t(
        "in %(found)d of %(total)d single-choice questions the correct option is number %(position)d; vary "
        "its position", found=count, total=len(single), position=position,
    )  # fmt: skip


def _true_false_bias(truefalse: list) -> str | None:
    if len(truefalse) < TRUE_FALSE_MIN_QUESTIONS:
        return None
    false = [(m, q) for m, q in truefalse if any(o.correct and o.text == fmt.TRUE_FALSE[1] for o in q.options)]
    share = len(false) / len(truefalse)
    low, high = FALSE_SHARE_RANGE
    if low <= share <= high:
        return None
    return _t(
        "%(found)d of %(total)d true/false statements are false (%(share)d%%); keep the key between "
        "%(low)d%% and %(high)d%%", found=len(false), total=len(truefalse), share=round(share * 100),
        low=round(low * 100), high=round(high * 100),
    )  # fmt: skip


def _all_but_one_bias(course_input: CourseInput, multiple: list) -> str | None:
    all_but_one = [(m, q) for m, q in multiple if sum(o.correct for o in q.options) == len(q.options) - 1]
    if len(multiple) < ALL_BUT_ONE_MIN_QUESTIONS or len(all_but_one) / len(multiple) <= ALL_BUT_ONE_MAX_SHARE:
        return None
    return _t(
        "in %(found)d of %(total)d multiple-choice questions every option but one is correct; vary the number of "
        "correct options: %(where)s", found=len(all_but_one), total=len(multiple), where=_where(course_input, all_but_one),
    )  # fmt: skip


def _one_correct(question: fmt.Question) -> bool:
    return sum(o.correct for o in question.options) == 1


def _correct_is_longest(question: fmt.Question) -> bool:
    if not _one_correct(question):
        return False
    correct = next(len(o.text) for o in question.options if o.correct)
    return all(correct > len(o.text) for o in question.options if not o.correct)


def _lessons(course_input: CourseInput) -> list[Finding]:
    findings = []
    for module in course_input.course.modules:
        name, path = _module_file(course_input, module)
        for lesson in module.lessons:
            words = len(_WORD_RE.findall(lesson.source))
            label = lesson.title if not lesson.line else ""
            prefix = f"{label}: " if label else ""
            if words > LESSON_MAX_WORDS:
                message = _t("the lesson has %(words)d words (limit %(limit)d); split it", words=words, limit=LESSON_MAX_WORDS)
                findings.append(_finding("lesson-length", prefix + message, course_input.course.slug, name, lesson.line, path))
            has_subheading = any(line.startswith("### ") for line in lesson.source.split("\n"))
            if words > LESSON_WORDS_NEEDING_SUBHEADING and not has_subheading:
                message = _t(
                    "the lesson has %(words)d words and no ### subheading; add headings so it can be skimmed and navigated",
                    words=words,
                )
                findings.append(_finding("lesson-headings", prefix + message, course_input.course.slug, name, lesson.line, path))
    return findings


def _links(course_input: CourseInput) -> list[Finding]:
    findings = []
    slug = course_input.course.slug
    for unit in course_input.units:
        for match in _LINK_RE.finditer(unit.text):
            image, label, target = match.group(1) == "!", match.group(2), match.group(3)
            line = unit.line_at(match.start())
            if image and not label.strip():
                findings.append(_finding("image-alt", _t("image %(target)s has no alternative text: write it between the "
                                                         "brackets ![…]", target=target), slug, unit.file, line, unit.path))  # fmt: skip
            problem = _link_problem(target, unit, course_input.known_uploads, course_input.known_media)
            if problem:
                findings.append(_finding("broken-link", problem, slug, unit.file, line, unit.path))
        for match in _IMG_TAG_RE.finditer(unit.text):
            if not _ALT_ATTR_RE.search(match.group(0)):
                findings.append(_finding("image-alt", _t("an <img> tag has no alternative text (alt)"), slug, unit.file,
                                         unit.line_at(match.start()), unit.path))  # fmt: skip
    return findings


def _link_problem(target: str, unit: TextUnit, known_uploads: set[str] | None, known_media: set[str]) -> str:
    if not target or target.startswith("#") or target.startswith("//") or _SCHEME_RE.match(target):
        return ""
    file_part = re.split(r"[#?]", target, maxsplit=1)[0]
    if target.startswith("/"):
        if known_uploads is not None and file_part.startswith("/uploads/") and file_part[len("/uploads/") :] not in known_uploads:
            return _t("link to %(target)s: no such uploaded file", target=target)
        return ""
    if unit.base_dir is None and file_part.startswith(f"{fmt.MEDIA_DIR}/"):
        if file_part[len(fmt.MEDIA_DIR) + 1 :] in known_media:
            return ""
        return _t("link to %(target)s: no such file among the course's images and attachments", target=target)
    if unit.base_dir is None:
        return _t("relative link %(target)s cannot work in a course written in the browser; use a full address or an "
                  "uploaded file", target=target)  # fmt: skip
    if not (unit.base_dir / file_part).exists():
        return _t("link to %(target)s: the file does not exist", target=target)
    return ""


def _media(course_input: CourseInput) -> list[Finding]:
    """A file course's media/ files pass the checks and limits of every upload (browser uploads are checked on upload)."""
    if not has_app_context():
        return []  # the limits are configuration
    slug = course_input.course.slug
    findings = []
    for media, refusal in uploads.media_problems(course_input.course):
        message = str(refusal) if has_request_context() else refusal.english()
        name = f"{fmt.MEDIA_DIR}/{media.name}"
        findings.append(_finding("media-file", message, slug, name, 0, f"{slug}/{name}"))
    return findings


def _terms(course_input: CourseInput, glossary: Glossary) -> list[Finding]:
    findings = []
    for unit in course_input.units:
        for term in glossary.terms:
            for pattern in term.patterns:
                for match in pattern.finditer(unit.text):
                    found = match.group(0)
                    if term.exact and re.sub(r"\s+", " ", found) == term.preferred:
                        continue
                    message = _t("“%(found)s”: write “%(preferred)s”", found=re.sub(r"\s+", " ", found), preferred=term.preferred)
                    if term.note:
                        message += f" ({term.note})"
                    findings.append(_finding("glossary-term", message, course_input.course.slug, unit.file,
                                             unit.line_at(match.start()), unit.path, level=term.level))  # fmt: skip
    return findings


def _name_uses(course_input: CourseInput, name: Name) -> tuple[TextUnit, int] | None:
    for unit in course_input.units:
        for pattern in name.patterns:
            match = pattern.search(unit.text)
            if match:
                return unit, unit.line_at(match.start())
    return None


def _names(inputs: list[CourseInput], others: list[CourseInput], glossary: Glossary) -> list[Finding]:
    """A fictional person or place must mean one thing on the whole platform: flag it in every course but one."""
    findings = []
    for name in glossary.names:
        uses = {ci.course.slug: _name_uses(ci, name) for ci in [*inputs, *others]}
        courses = sorted(slug for slug, use in uses.items() if use)
        if len(courses) < 2:
            continue
        for ci in inputs:
            use = uses[ci.course.slug]
            if use is None:
                continue
            elsewhere = ", ".join(s for s in courses if s != ci.course.slug)
            message = _t("fictional name “%(name)s” is also used in %(courses)s; give each course its own people and places",
                         name=name.name, courses=elsewhere)  # fmt: skip
            findings.append(_finding("duplicate-name", message, ci.course.slug, use[0].file, use[1], use[0].path))
    return findings


# --- acceptances -----------------------------------------------------------------------------------------------


def _apply_accepts(course_input: CourseInput, findings: list[Finding]) -> list[Finding]:
    """Mark accepted warnings; an acceptance must name a warning rule and a reason, and should still match."""
    extra = []
    slug, yml = course_input.course.slug, next((u for u in course_input.units if u.file == "course.yml"), None)
    path, line = (yml.path if yml else slug), course_input.accepts_line
    for index, entry in enumerate(course_input.accepts):
        rule = entry.get("rule") if isinstance(entry, dict) else None
        reason = str(entry.get("reason") or "").strip() if isinstance(entry, dict) else ""
        where = str(entry.get("where") or "").strip() if isinstance(entry, dict) else ""
        unknown = set(entry) - {"rule", "where", "reason"} if isinstance(entry, dict) else {"?"}
        if rule not in ACCEPTABLE or not reason or unknown:
            message = (f"checks.accept[{index}]: each entry needs 'rule' (a warning rule: "
                       f"{', '.join(ACCEPTABLE)}), 'reason' and optionally 'where'")  # fmt: skip
            extra.append(_finding("accept-invalid", message, slug, "course.yml", line, path))
            continue
        matched = False
        for finding in findings:
            if finding.rule == rule and finding.level == WARNING and _matches(where, finding):
                finding.accepted, matched = reason, True
        if not matched:
            message = f"checks.accept[{index}]: no {rule} warning{' at ' + where if where else ''} any more; remove the entry"
            extra.append(_finding("accept-unused", message, slug, "course.yml", line, path))
    return findings + extra


def _matches(where: str, finding: Finding) -> bool:
    if not where:
        return True
    file, _sep, line = where.partition(":")
    return file == finding.file and (not line or line == str(finding.line))


# --- entry points ----------------------------------------------------------------------------------------------


def check_inputs(inputs: list[CourseInput], glossary: Glossary | None, others: list[CourseInput] | None = None) -> list[Finding]:
    """Every finding for the given courses; `others` are only compared with (fictional names), not reported."""
    findings: list[Finding] = []
    for course_input in inputs:
        own = _quiz_bias(course_input) + _quiz_rules(course_input) + _lessons(course_input) + _links(course_input) + _media(course_input)
        if glossary is not None:
            own += _terms(course_input, glossary)
        findings += own
    if glossary is not None:
        findings += _names(inputs, others or [], glossary)
    result = []
    for course_input in inputs:
        own = [f for f in findings if f.course == course_input.course.slug]
        result += _apply_accepts(course_input, own)
    return sorted(result, key=lambda f: (f.course, f.path != f"{f.course}/course.yml", f.path, f.line, f.rule))


@dataclass
class Report:
    findings: list[Finding]
    courses: list[str]
    glossary: Path | None

    def errors(self, strict: bool = False) -> list[Finding]:
        return [f for f in self.findings if not f.accepted and (f.level == ERROR or strict)]


def check_tree(root: Path, glossary_path: Path | None = None) -> Report:
    """`flask courses check`: parse every course under root (or the one course folder root is), then check."""
    root = Path(root)
    single = (root / "course.yml").is_file()
    display = root.parent if single else root
    glossary_path = glossary_path or (display / GLOSSARY_FILE)
    findings: list[Finding] = []
    glossary = None
    if glossary_path.is_file():
        try:
            glossary = load_glossary(glossary_path)
        except GlossaryError as exc:
            findings += [_finding("glossary-file", error, "", GLOSSARY_FILE) for error in exc.errors]
    else:
        glossary_path = None
    try:
        courses = fmt.parse_course_tree(root)
    except fmt.FormatError as exc:
        findings += [_format_finding(error) for error in exc.errors]
        return Report(findings, [], glossary_path)
    inputs = [file_course_input(c, display / c.slug if not single else root, c.slug) for c in courses]
    others = []
    if single and glossary is not None:  # names must not collide with the sibling courses either
        siblings = [p for p in sorted(display.iterdir()) if p.is_dir() and p != root and (p / "course.yml").is_file()]
        try:
            others = [file_course_input(c, display / c.slug, c.slug) for p in siblings for c in fmt.parse_course_tree(p)]
        except fmt.FormatError:
            others = []
    findings += check_inputs(inputs, glossary, others)
    return Report(findings, [c.slug for c in courses], glossary_path)


def _format_finding(error: str) -> Finding:
    path, _sep, rest = error.partition(":")
    line, _sep, message = rest.partition(":")
    slug = path.split("/", 1)[0] if "/" in path else ""
    if not line.isdigit():
        return _finding("format", error, slug)
    return _finding("format", message.strip(), slug, Path(path).name, int(line), path)


def draft_findings(session: Session, course: Course) -> list[Finding]:
    """What a trainer sees before publishing a browser-authored draft: every finding, none of them blocking."""
    uploads = set(session.scalars(select(Attachment.stored_name).where(Attachment.course_id == course.id)))
    own = draft_course_input(content.draft_to_format(session, course), uploads)
    glossary = default_glossary()
    others = _other_course_texts(session, course) if glossary is not None and glossary.names else []
    return check_inputs([own], glossary, others)


def _other_course_texts(session: Session, course: Course) -> list[CourseInput]:
    """Lesson texts and module intros of every other draft, two queries, for the fictional-names comparison."""
    texts: dict[str, list[str]] = {}
    lessons = select(Course.slug, Lesson.source).join(Lesson, Lesson.course_id == Course.id)
    intros = select(Course.slug, Module.intro).join(Module, Module.course_id == Course.id)
    for query, version in ((lessons, Lesson.version_id), (intros, Module.version_id)):
        for slug, text in session.execute(query.where(Course.id != course.id, version.is_(None))):
            texts.setdefault(slug, []).append(text or "")
    return [
        CourseInput(fmt.Course(slug=slug, title=slug, summary="", role="", hours=0), [TextUnit(slug, slug, "\n".join(parts), first_line=0)])
        for slug, parts in sorted(texts.items())
    ]
