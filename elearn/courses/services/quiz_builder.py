"""The quiz builder of the browser editor: questions as form data <-> the quiz format (format/quiz.py).

The builder and the text syntax ("advanced view") are two views of the same questions: the builder's data is
written as quiz text and read back by the one parser, so both are checked by the same rules and round trip exactly.
Pure functions: the view reads the form, these turn it into questions or messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from . import format as fmt

SINGLE, MULTIPLE = "single", "multiple"


@dataclass
class DraftOption:
    text: str = ""
    correct: bool = False


@dataclass
class DraftQuestion:
    """A question as the builder shows it, blanks included (an empty option is dropped when saved)."""

    text: str = ""
    kind: str = SINGLE
    feedback: str = ""
    options: list[DraftOption] = field(default_factory=lambda: [DraftOption(), DraftOption(), DraftOption()])


def from_form_data(rows: list[dict]) -> list[DraftQuestion]:
    """The builder's FieldList data (questions-N-…) as draft questions."""
    return [
        DraftQuestion(
            text=(row.get("text") or "").strip(), kind=MULTIPLE if row.get("kind") == MULTIPLE else SINGLE,
            feedback=_clean_feedback(row.get("feedback") or ""),
            options=[DraftOption((o.get("text") or "").strip(), bool(o.get("correct"))) for o in row.get("options") or []],
        )
        for row in rows
    ]  # fmt: skip


def to_form_data(drafts: list[DraftQuestion]) -> list[dict]:
    return [
        {"text": d.text, "kind": d.kind, "feedback": d.feedback, "options": [{"text": o.text, "correct": o.correct} for o in d.options]}
        for d in drafts
    ]


def from_questions(questions: list[fmt.Question]) -> list[DraftQuestion]:
    return [
        DraftQuestion(
            text=q.text, kind=MULTIPLE if q.kind == MULTIPLE else SINGLE, feedback=q.feedback,
            options=[DraftOption(o.text, o.correct) for o in q.options],
        )
        for q in questions
    ]  # fmt: skip


def _clean_feedback(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def _filled(drafts: list[DraftQuestion]) -> list[DraftQuestion]:
    """Without the options left empty and the questions left wholly empty."""
    kept = []
    for draft in drafts:
        options = [o for o in draft.options if o.text]
        if draft.text or options or draft.feedback:
            kept.append(DraftQuestion(draft.text, draft.kind, draft.feedback, options))
    return kept


def as_text(drafts: list[DraftQuestion]) -> str:
    """The advanced view: the quiz syntax of courses/README.md."""
    questions = [
        fmt.Question(text=d.text, kind=d.kind, options=[fmt.Option(o.text, o.correct) for o in d.options], feedback=d.feedback)
        for d in _filled(drafts)
    ]
    return fmt.quiz_text(questions)


def problems(drafts: list[DraftQuestion]) -> dict[int, list[str]]:
    """Index of a question in `drafts` -> what is wrong with it, in words a trainer reads next to the question."""
    found: dict[int, list[str]] = {}
    for index, draft in enumerate(drafts):
        options = [o for o in draft.options if o.text]
        if not (draft.text or options or draft.feedback):
            continue  # an empty question is simply left out
        messages = []
        if not draft.text:
            messages.append(_l("Write the question."))
        if len(options) < 2:
            messages.append(_l("Give at least two answers."))
        correct = sum(o.correct for o in options)
        if draft.kind == SINGLE and correct != 1:
            messages.append(_l("Mark exactly one correct answer (or choose “several correct answers”)."))
        if draft.kind == MULTIPLE and correct < 1:
            messages.append(_l("Mark at least one correct answer."))
        if messages:
            found[index] = messages
    return found


def to_questions(drafts: list[DraftQuestion]) -> list[fmt.Question]:
    """Questions to save, read back through the parser (which also tells a true/false statement from the rest).
    Call only when problems() found nothing; FormatError otherwise."""
    return fmt.parse_quiz_text(as_text(drafts), label=str(_l("quiz")))


def new_question() -> DraftQuestion:
    return DraftQuestion()
