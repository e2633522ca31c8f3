"""The quiz after '## Quiz' (and in the browser's quiz editor): parse and write back."""

from __future__ import annotations

import re

from .model import TRUE_FALSE, Errors, FormatError, Option, Question
from .model import translated as _t

_OPTION_RE = re.compile(r"^- (\(( |x|X)\)|\[( |x|X)\]) (.*\S)\s*$")


def parse_quiz(body: list[str], heading_line: int, path: str, errors: Errors) -> list[Question]:
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


def _check_question(question: Question, brackets: set[str], path: str, errors: Errors) -> None:
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


def parse_quiz_text(text: str, label: str = "quiz") -> list[Question]:
    """The quiz editor in the browser: the same syntax as after '## Quiz'; empty text means no quiz."""
    errors = Errors()
    body = text.replace("\r\n", "\n").split("\n")
    if not text.strip():
        return []
    questions = parse_quiz(body, 0, label, errors)
    if errors:
        raise FormatError(list(errors))
    return questions


def quiz_text(questions: list[Question]) -> str:
    out: list[str] = []
    for question in questions:
        if out:
            out.append("")
        out.append(f"### {question.text}")
        mark = "[{}]" if question.kind == "multiple" else "({})"
        out.extend(f"- {mark.format('x' if option.correct else ' ')} {option.text}" for option in question.options)
        for line in question.feedback.split("\n") if question.feedback else []:
            out.append(f"> {line}" if line else ">")
    return "\n".join(out) + ("\n" if out else "")
