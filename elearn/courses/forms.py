"""Authoring forms. Markdown fields accept anything (it is sanitised when rendered); one-line fields are plain text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
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
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, RadioInput

from ..core.forms import FilterForm, MarkdownField, NoControlChars, PlainText
from ..core.markdown import render_inline
from .models import ROLES as COURSE_ROLES

ROLE_CHOICES = [
    SelectChoice("wspolne", _l("Common core")),
    SelectChoice("animator", _l("Community animator")),
    SelectChoice("mediator", _l("Mediator")),
    SelectChoice("polityk", _l("Local social policy maker")),
]
OUTCOME_HINT = _l("One outcome per line. Mark a term in another language as in lessons: *empowerment*{lang=en}.")


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes (the form_field macro renders them in a fieldset); choices are set by the view."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # noqa: ARG002 - WTForms signature
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or []):  # WTForms' own message has no Polish translation
            raise ValidationError(_l("Choose only from the list."))


class CourseForm(FlaskForm):
    title = StringField(_l("Course title"), validators=[DataRequired(), Length(max=200), PlainText()])
    slug = StringField(
        _l("Course address (slug)"),
        validators=[
            Optional(),
            Length(max=80),
            Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", message=_l("Use only a-z, 0-9 and single hyphens.")),
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        render_kw={"data-slug-from": "title", "autocomplete": "off"},
        description=_l("Made from the title (you may change it): part of the course URL. It cannot be changed later."),
    )
    summary = TextAreaField(_l("Course summary"), validators=[DataRequired(), Length(max=2000), NoControlChars()])
    role = SelectField(_l("Professional role"), choices=ROLE_CHOICES)
    hours = IntegerField(_l("Hours"), validators=[DataRequired(), NumberRange(min=1, max=1000)])
    authors = TextAreaField(
        _l("Authors"), validators=[Optional(), Length(max=2000), NoControlChars()], description=_l("One name per line.")
    )
    prerequisites = MultiCheckboxField(
        _l("Prerequisite courses"), choices=[], description=_l("Courses a learner must complete before this one.")
    )
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


class ModuleForm(FlaskForm):
    title = StringField(_l("Module title"), validators=[DataRequired(), Length(max=200), PlainText()])
    hours = IntegerField(
        _l("Module hours"), validators=[InputRequired(message=_l("Enter the number of hours.")), NumberRange(min=0, max=500)]
    )
    quiz_pass = IntegerField(_l("Quiz pass mark (%)"), default=70, validators=[NumberRange(min=0, max=100)])
    competences = MultiCheckboxField(
        _l("Competences this module confirms"), choices=[],
        description=_l("Completing the module confirms level 1 of each; level 2 comes only from a practical assignment."),
    )  # fmt: skip
    wiedza = TextAreaField(_l("Knowledge outcomes"), validators=[Optional(), NoControlChars()], description=OUTCOME_HINT)
    umiejetnosci = TextAreaField(_l("Skills outcomes"), validators=[Optional(), NoControlChars()], description=OUTCOME_HINT)
    kompetencje_spoleczne = TextAreaField(
        _l("Social competence outcomes"), validators=[Optional(), NoControlChars()], description=OUTCOME_HINT
    )
    intro = MarkdownField(_l("Module introduction (Markdown)"), validators=[Optional(), Length(max=20000), NoControlChars()])
    submit = SubmitField(_l("Save module"))

    def parsed_competences(self) -> dict[str, int]:
        """Every chosen competence at level 1: what completing a module may evidence (competency_model/README.md)."""
        return dict.fromkeys(self.competences.data or [], 1)


QUESTION_KINDS = [
    SelectChoice("single", _l("One correct answer")),
    SelectChoice("multiple", _l("Several correct answers")),
]


class OptionForm(Form):
    text = StringField(_l("Answer"), validators=[Optional(), Length(max=1000), PlainText()])
    correct = BooleanField(_l("Correct"))


class QuestionForm(Form):
    text = StringField(_l("Question"), validators=[Optional(), Length(max=2000), PlainText()])
    kind = SelectField(_l("Answers"), choices=QUESTION_KINDS, default="single")
    feedback = TextAreaField(
        _l("Explanation shown after answering"), validators=[Optional(), Length(max=5000), NoControlChars()],
        description=_l("Optional: why the correct answer is correct."),
    )  # fmt: skip
    options = FieldList(FormField(OptionForm), min_entries=0, max_entries=20)


class QuizForm(FlaskForm):
    """The quiz builder (questions-N-…) and its advanced view (source: the quiz syntax); `view` says which is shown.

    Buttons name what to do in `action`: save, add-question, add-option-N, remove-question-N, to-text, to-form."""

    view = HiddenField(default="form")
    questions = FieldList(FormField(QuestionForm), min_entries=0, max_entries=100)
    source = TextAreaField(
        _l("Quiz in text form"), validators=[Optional(), Length(max=50000), NoControlChars()],
        description=_l("### Question, then options: - ( ) / - (x) for single choice, - [ ] / - [x] for multiple choice, > feedback."),
    )  # fmt: skip


class CompetenceLevelsField(Field):
    """Competence -> level, chosen from the framework's list: one select per offered competence (named
    `competences-<code>`, "—" = not assessed). `choices` (the offered codes) and `levels` are set by the view."""

    levels = (1, 2)

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.choices: list[str] = []

    def process(self, formdata, data=unset_value, extra_filters=None):  # noqa: ARG002 - WTForms signature
        self.process_errors = []
        self.data = dict(data) if isinstance(data, dict) else {}
        self.raw_data = []
        if formdata is not None:
            prefix = f"{self.name}-"
            self.raw_data = [(key[len(prefix) :], formdata.get(key)) for key in formdata if key.startswith(prefix)]
            self.data = {code: int(level) for code, level in self.raw_data if level and level.isdigit()}
            if any(level and not level.isdigit() for _code, level in self.raw_data):
                self.process_errors.append(_l("Choose only from the list."))

    def pre_validate(self, form):  # noqa: ARG002 - WTForms signature
        if any(code not in self.choices or level not in self.levels for code, level in self.data.items()):
            raise ValidationError(_l("Choose only from the list."))
        if not self.data:
            raise ValidationError(_l("Choose at least one competence the assignment assesses."))


ASSIGNMENT_FORMS = [
    SelectChoice("text", _l("A written answer")),
    SelectChoice("files", _l("Files")),
    SelectChoice("text files", _l("A written answer and files")),
]


class AssignmentForm(FlaskForm):
    """A practical assignment of a browser-authored module (the `## Zadanie:` section of the file format)."""

    title = StringField(_l("Assignment title"), validators=[DataRequired(), Length(max=200), PlainText()])
    instructions = MarkdownField(
        _l("Instructions for the learner (Markdown)"), validators=[DataRequired(), Length(max=20000), NoControlChars()]
    )
    competences = CompetenceLevelsField(
        _l("Competences a pass confirms"),
        description=_l("For each competence the assignment assesses, the level a pass confirms: 1, or 2 for assessed practice."),
    )
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
        return dict(self.competences.data or {})

    def parsed_criteria(self) -> list[str]:
        return lines(self.criteria.data)


class LessonForm(FlaskForm):
    title = StringField(_l("Lesson title"), validators=[DataRequired(), Length(max=200), PlainText()])
    source = TextAreaField(_l("Lesson text (Markdown)"), validators=[DataRequired(), Length(max=200000), NoControlChars()])
    row_version = HiddenField()
    image = FileField(_l("Image or document"))
    image_alt = StringField(
        _l("Image description (alternative text)"), validators=[Optional(), Length(max=500), PlainText()],
        description=_l("Required for an image: what it shows, for people who cannot see it. For a document: the link text."),
    )  # fmt: skip
    insert_image = SubmitField(_l("Insert into the text"))
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save lesson"))

    def validate_title(self, field):
        if field.data and field.data.strip().lower() == "quiz":
            raise ValidationError(_l("“Quiz” is reserved for the module quiz; choose another lesson title."))


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file."))])
    alt = StringField(
        _l("Image description (alternative text)"), validators=[Optional(), Length(max=500), PlainText()],
        description=_l("Required for an image: what it shows, for people who cannot see it. For a document: the link text."),
    )  # fmt: skip
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
            choices=[SelectChoice(option.position, Markup(render_inline(option.text))) for option in shown],  # noqa: S704 - nh3
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
