"""Authoring forms. Markdown fields accept anything (it is sanitised when rendered); one-line fields are plain text."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, RadioInput

from ..core.forms import FilterForm, NoControlChars, PlainText
from .models import ROLES as COURSE_ROLES
from .services.format import COMPETENCE_RE
from .services.format import SLUG_RE as COURSE_SLUG_RE

ROLE_CHOICES = [
    SelectChoice("wspolne", _l("Common core")),
    SelectChoice("animator", _l("Community animator")),
    SelectChoice("mediator", _l("Mediator")),
    SelectChoice("polityk", _l("Local social policy maker")),
]
OUTCOME_HINT = _l("One outcome per line.")


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CourseForm(FlaskForm):
    slug = StringField(
        _l("Course address (slug)"),
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", message=_l("Use only a-z, 0-9 and single hyphens.")),
        ],
        description=_l("Part of the course URL, e.g. animator-podstawy. It cannot be changed later."),
    )
    title = StringField(_l("Course title"), validators=[DataRequired(), Length(max=200), PlainText()])
    summary = TextAreaField(_l("Course summary"), validators=[DataRequired(), Length(max=2000), NoControlChars()])
    role = SelectField(_l("Professional role"), choices=ROLE_CHOICES)
    hours = IntegerField(_l("Hours"), validators=[DataRequired(), NumberRange(min=1, max=1000)])
    authors = TextAreaField(
        _l("Authors"), validators=[Optional(), Length(max=2000), NoControlChars()], description=_l("One name per line.")
    )
    prerequisites = StringField(
        _l("Prerequisite courses"), validators=[Optional(), Length(max=500)],
        description=_l("Addresses (slugs) of courses to complete first, separated by commas."),
    )  # fmt: skip
    wiedza = TextAreaField(_l("Knowledge outcomes"), validators=[Optional(), NoControlChars()], description=OUTCOME_HINT)
    umiejetnosci = TextAreaField(_l("Skills outcomes"), validators=[Optional(), NoControlChars()], description=OUTCOME_HINT)
    kompetencje_spoleczne = TextAreaField(
        _l("Social competence outcomes"), validators=[Optional(), NoControlChars()], description=OUTCOME_HINT
    )
    quiz_attempts = IntegerField(
        _l("Quiz attempts allowed"), validators=[Optional(), NumberRange(min=1, max=100)],
        description=_l("How many times a learner may take each module's quiz. Leave empty for no limit."),
    )  # fmt: skip
    quiz_wait_minutes = IntegerField(
        _l("Waiting time between quiz attempts (minutes)"), validators=[Optional(), NumberRange(min=1, max=43200)],
        description=_l("For example 60 for an hour, 1440 for a day. Leave empty to let learners try again at once."),
    )  # fmt: skip
    submit = SubmitField(_l("Save course"))

    def validate_prerequisites(self, field):
        for slug in [s.strip() for s in (field.data or "").split(",") if s.strip()]:
            if not COURSE_SLUG_RE.match(slug):
                # gettext, not _l: a LazyString is rendered as markup (its __html__ is not escaped) and slug is user input.
                raise ValidationError(_("“%(slug)s” is not a course address.", slug=slug))


class ModuleForm(FlaskForm):
    title = StringField(_l("Module title"), validators=[DataRequired(), Length(max=200), PlainText()])
    hours = IntegerField(
        _l("Module hours"), validators=[InputRequired(message=_l("Enter the number of hours.")), NumberRange(min=0, max=500)]
    )
    quiz_pass = IntegerField(_l("Quiz pass mark (%)"), default=70, validators=[NumberRange(min=0, max=100)])
    competences = TextAreaField(
        _l("Competences and levels"), validators=[Optional(), Length(max=2000)],
        description=_l(
            "One per line: code: 1, e.g. ANI.1.2: 1 (completing a module confirms level 1; level 2 comes from practical assignments)"
        ),
    )  # fmt: skip
    wiedza = TextAreaField(_l("Knowledge outcomes"), validators=[Optional(), NoControlChars()], description=OUTCOME_HINT)
    umiejetnosci = TextAreaField(_l("Skills outcomes"), validators=[Optional(), NoControlChars()], description=OUTCOME_HINT)
    kompetencje_spoleczne = TextAreaField(
        _l("Social competence outcomes"), validators=[Optional(), NoControlChars()], description=OUTCOME_HINT
    )
    intro = TextAreaField(_l("Module introduction (Markdown)"), validators=[Optional(), Length(max=20000), NoControlChars()])
    quiz = TextAreaField(
        _l("Quiz"), validators=[Optional(), Length(max=50000), NoControlChars()],
        description=_l("### Question, then options: - ( ) / - (x) for single choice, - [ ] / - [x] for multiple choice, > feedback."),
    )  # fmt: skip
    submit = SubmitField(_l("Save module"))

    def parsed_competences(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for line in lines(self.competences.data):
            code, _sep, level = line.partition(":")
            code, level = code.strip(), level.strip()
            if not COMPETENCE_RE.match(code) or level != "1":  # gettext, not _l: see validate_prerequisites
                raise ValidationError(
                    _("“%(line)s”: write a code such as ANI.1.2, a colon and level 1 (level 2 needs a practical assignment).", line=line)
                )
            result[code] = int(level)
        return result

    def validate_competences(self, field):  # noqa: ARG002 - WTForms signature
        self.parsed_competences()


ASSIGNMENT_FORMS = [
    SelectChoice("text", _l("A written answer")),
    SelectChoice("files", _l("Files")),
    SelectChoice("text files", _l("A written answer and files")),
]


class AssignmentForm(FlaskForm):
    """A practical assignment of a browser-authored module (the `## Zadanie:` section of the file format)."""

    title = StringField(_l("Assignment title"), validators=[DataRequired(), Length(max=200), PlainText()])
    instructions = TextAreaField(
        _l("Instructions for the learner (Markdown)"), validators=[DataRequired(), Length(max=20000), NoControlChars()]
    )
    competences = TextAreaField(
        _l("Competences a pass confirms"), validators=[DataRequired(), Length(max=2000)],
        description=_l("One per line: code: level (1 or 2), e.g. ANI.1.2: 2"),
    )  # fmt: skip
    criteria = TextAreaField(
        _l("Extra criteria"), validators=[Optional(), Length(max=5000), NoControlChars()],
        description=_l("One per line; the competences' own level indicators are always part of the rubric."),
    )  # fmt: skip
    form = SelectField(_l("What the learner hands in"), choices=ASSIGNMENT_FORMS, default="text")
    due_days = IntegerField(
        _l("Due (days after enrolment)"), validators=[Optional(), NumberRange(min=1, max=365)],
        description=_l("Leave empty for no due date."),
    )  # fmt: skip
    submit = SubmitField(_l("Save assignment"))

    def parsed_competences(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for line in lines(self.competences.data):
            code, _sep, level = line.partition(":")
            code, level = code.strip(), level.strip()
            if not COMPETENCE_RE.match(code) or level not in ("1", "2"):  # gettext, not _l: see validate_prerequisites
                raise ValidationError(_("“%(line)s”: write a code such as ANI.1.2, a colon and level 1 or 2.", line=line))
            result[code] = int(level)
        return result

    def validate_competences(self, field):  # noqa: ARG002 - WTForms signature
        self.parsed_competences()

    def parsed_criteria(self) -> list[str]:
        return lines(self.criteria.data)


class LessonForm(FlaskForm):
    title = StringField(_l("Lesson title"), validators=[DataRequired(), Length(max=200), PlainText()])
    source = TextAreaField(_l("Lesson text (Markdown)"), validators=[DataRequired(), Length(max=200000), NoControlChars()])
    row_version = HiddenField()
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save lesson"))

    def validate_title(self, field):
        if field.data and field.data.strip().lower() == "quiz":
            raise ValidationError(_l("“Quiz” is reserved for the module quiz; choose another lesson title."))


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file."))])
    submit = SubmitField(_l("Upload"))


class PreviewForm(FlaskForm):
    source = TextAreaField(validators=[Optional(), Length(max=200000)])


class QuizAnswerField(SelectMultipleField):
    """The options a learner ticked: values that are not options are dropped, so they count as wrong, not as errors."""

    def process_formdata(self, valuelist):
        known = {choice.value for choice in self.choices}
        self.data = sorted({int(v) for v in valuelist if v.isdigit() and int(v) in known})

    def pre_validate(self, form):
        """Nothing to refuse: an unanswered or tampered question simply scores no point."""


def quiz_form(module, orders: dict[int, list[int]] | None = None) -> FlaskForm:
    """A form with one field per question (`q<position>`): radio buttons or checkboxes over its options.

    `orders` (question position → option positions) is the order the options are shown in for this attempt; the
    values stay option positions, so the order never changes what is scored.
    `answers()` gives the service what it scores: question position → ticked option positions."""

    class QuizForm(FlaskForm):
        def answers(self) -> dict[int, list[int]]:
            return {q.position: list(self[f"q{q.position}"].data or []) for q in module.questions}

    for question in module.questions:
        by_position = {option.position: option for option in question.options}
        shown = [by_position[p] for p in (orders or {}).get(question.position, by_position) if p in by_position]
        field = QuizAnswerField(
            question.text,
            choices=[SelectChoice(option.position, option.text) for option in shown],
            coerce=int,
            option_widget=CheckboxInput() if question.kind == "multiple" else RadioInput(),
        )
        setattr(QuizForm, f"q{question.position}", field)
    return QuizForm()


class CatalogueFilterForm(FilterForm):
    """The catalogue search: any text is accepted (cut to 200 characters), an unknown role means all roles."""

    q = SearchField(
        _l("Search titles and content"),
        filters=[lambda v: v.strip()[:200] if isinstance(v, str) else ""],
        render_kw={"maxlength": 200},
    )
    role = SelectField(
        _l("Professional role"),
        choices=[SelectChoice("", _l("All roles")), *(c for c in ROLE_CHOICES if c.value in COURSE_ROLES)],
        default="",
    )


class AuthoringListForm(FilterForm):
    """Authoring list: all courses, or only those the author wrote (`?mine=1`)."""

    mine = BooleanField(false_values=(False, "false", "", "0"))
