"""Forms of practical assignments: the learner's work, the trainer's queue filter and the review (built per rubric)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.forms import strip_filter
from .models import FAILED, PASSED, REVISE, STATUS_LABELS, STATUSES, SUBMITTED


class WorkForm(FlaskForm):
    text = TextAreaField(_l("Your answer"), validators=[Optional(), Length(max=20000)], filters=[strip_filter])
    files = MultipleFileField(_l("Attach files"), description=_l("PDF, DOCX, ODT or an image (PNG, JPEG), up to 10 MB each."))
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit for review"))


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter

    course = SelectField(_l("Course"), coerce=int, validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()], default=SUBMITTED)
    filter = SubmitField(_l("Show"))

    def fill(self, courses) -> None:
        self.course.choices = [SelectChoice(0, _l("All my courses"))] + [SelectChoice(c.id, c.title) for c in courses]
        self.status.choices = [SelectChoice("", _l("Any status"))] + [SelectChoice(s, STATUS_LABELS[s]) for s in STATUSES if s != "draft"]


MET, NOT_MET = "yes", "no"


def review_form(criteria, formdata=None):
    """One radio group per rubric criterion (spełnia / nie spełnia), the overall decision and the feedback."""

    class ReviewForm(FlaskForm):
        decision = RadioField(
            _l("Decision"),
            choices=[SelectChoice(d, STATUS_LABELS[d]) for d in (PASSED, REVISE, FAILED)],
            validators=[InputRequired(_l("Choose a decision."))],
        )
        feedback = TextAreaField(
            _l("Feedback for the learner"),
            validators=[DataRequired(_l("Write feedback for the learner.")), Length(max=5000)],
            filters=[strip_filter],
        )
        submit = SubmitField(_l("Save the review"))

    for index, criterion in enumerate(criteria):
        field = RadioField(
            criterion.text,
            choices=[SelectChoice(MET, _l("meets")), SelectChoice(NOT_MET, _l("does not meet"))],
            validators=[InputRequired(_l("Decide on this criterion."))],
        )
        setattr(ReviewForm, f"criterion_{index}", field)
    form = ReviewForm(formdata=formdata) if formdata is not None else ReviewForm()
    form.criteria_fields = [form[f"criterion_{i}"] for i in range(len(criteria))]
    return form


__all__ = ["QueueFilterForm", "WorkForm", "review_form"]
