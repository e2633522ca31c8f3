"""Advisory forms: asking for advice, the thread, the advisors' tools and the queue filter (GET)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, SubmitField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..core.forms import FilterForm, MarkdownField, NoControlChars, PlainText, strip_filter
from .models import FORMS, MEETING_FORMS, STATUS_LABELS, STATUSES, TOPICS, URGENCIES
from .services.cases import OPEN

REQUIRED = _l("This field is required.")
LENGTH = _l("Between %(min)d and %(max)d characters.")
FILES_HINT = _l("Up to 5 files: PDF, DOCX, ODT, XLSX, ODS or an image (PNG, JPEG), up to 10 MB each.")


class CaseForm(FlaskForm):
    subject = StringField(
        _l("Subject"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(min=5, max=200, message=LENGTH), PlainText()]
    )
    topic = SelectField(
        _l("Field of advice"), choices=[SelectChoice(k, v) for k, v in TOPICS.items()], validators=[InputRequired(REQUIRED)]
    )
    description = MarkdownField(
        _l("Describe the question (Markdown)"),
        description=_l("What you need to decide or prepare, by when, and what you have already tried."),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=20, max=20000, message=LENGTH), NoControlChars()],
    )
    preferred_form = SelectField(
        _l("Preferred form of advice"), choices=[SelectChoice(k, v) for k, v in FORMS.items()], validators=[InputRequired(REQUIRED)]
    )
    contact_phone = StringField(
        _l("Phone number for a call back"),
        description=_l("Needed when you prefer a phone call, e.g. 56 611 22 33."),
        filters=[strip_filter],
        validators=[Optional(), Regexp(r"^\+?[0-9 ()-]{9,20}$", message=_l("Give a phone number, e.g. 56 611 22 33."))],
    )
    urgency = SelectField(
        _l("Urgency"), choices=[SelectChoice(k, v) for k, v in URGENCIES.items()], default="zwykla", validators=[InputRequired(REQUIRED)]
    )
    files = MultipleFileField(_l("Attachments"), description=FILES_HINT)
    submit = SubmitField(_l("Send to ROPS"))

    def validate_contact_phone(self, field) -> None:
        if self.preferred_form.data == "telefon" and not field.data:
            raise ValidationError(_l("Give a phone number to be called back on."))


class MessageForm(FlaskForm):
    body = MarkdownField(
        _l("Your message (Markdown)"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Write a message.")), Length(max=20000, message=LENGTH), NoControlChars()],
    )
    files = MultipleFileField(_l("Attachments"), description=FILES_HINT)
    submit = SubmitField(_l("Send"))


class AssignForm(FlaskForm):
    advisor = SelectField(_l("Advisor"), coerce=int, validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Assign"))


class MeetingForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%d")
    start = TimeField(_l("Start"), validators=[InputRequired(REQUIRED)], format="%H:%M")
    end = TimeField(_l("End"), validators=[InputRequired(REQUIRED)], format="%H:%M")
    form = SelectField(_l("Form"), choices=[SelectChoice(k, FORMS[k]) for k in MEETING_FORMS], validators=[InputRequired(REQUIRED)])
    location = StringField(
        _l("Place, meeting link or who calls whom"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=300, message=LENGTH), PlainText()],
    )
    submit = SubmitField(_l("Schedule the meeting"))


class CloseForm(FlaskForm):
    outcome = MarkdownField(
        _l("Outcome (Markdown)"),
        description=_l("What was advised and what the institution will do next."),
        filters=[strip_filter],
        validators=[DataRequired(_l("Describe the outcome.")), Length(max=20000, message=LENGTH), NoControlChars()],
    )
    minutes = IntegerField(
        _l("Time spent on the case (minutes)"),
        validators=[InputRequired(REQUIRED), NumberRange(min=0, max=100000, message=_l("From %(min)s to %(max)s."))],
    )
    submit = SubmitField(_l("Close the case"))


class ActionForm(FlaskForm):
    """A bare POST button (reopen, delete, withdraw): the CSRF token is all it carries."""

    submit = SubmitField(_l("Confirm"))


class TemplateForm(FlaskForm):
    title = StringField(
        _l("Title"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(min=3, max=200, message=LENGTH), PlainText()]
    )
    topic = SelectField(
        _l("Field of advice"), choices=[SelectChoice("", _l("Any field")), *(SelectChoice(k, v) for k, v in TOPICS.items())], default=""
    )
    body = MarkdownField(
        _l("Text (Markdown)"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(max=20000, message=LENGTH), NoControlChars()],
    )
    submit = SubmitField(_l("Save the template"))


class CandidateForm(FlaskForm):
    title = StringField(
        _l("Title"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(min=3, max=200, message=LENGTH), PlainText()]
    )
    summary = MarkdownField(
        _l("Anonymised summary (Markdown)"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(max=30000, message=LENGTH), NoControlChars()],
    )
    submit = SubmitField(_l("Save the candidate"))


class QueueFilterForm(FilterForm):
    status = SelectField(
        _l("Status"),
        default=OPEN,
        choices=[
            SelectChoice(OPEN, _l("Open (not closed)")),
            SelectChoice("", _l("Any status")),
            *(SelectChoice(s, STATUS_LABELS[s]) for s in STATUSES),
        ],
    )
    topic = SelectField(
        _l("Field of advice"), default="", choices=[SelectChoice("", _l("Any field")), *(SelectChoice(k, v) for k, v in TOPICS.items())]
    )
    urgency = SelectField(
        _l("Urgency"), default="", choices=[SelectChoice("", _l("Any urgency")), *(SelectChoice(k, v) for k, v in URGENCIES.items())]
    )
    assignee = SelectField(_l("Advisor"), default="")
    q = StringField(_l("Subject or description contains"), filters=[lambda v: v.strip()[:100] if isinstance(v, str) else ""])

    def fill(self, advisors) -> QueueFilterForm:
        self.assignee.choices = [
            SelectChoice("", _l("Anyone")),
            SelectChoice("me", _l("Me")),
            SelectChoice("none", _l("Nobody yet")),
            *(SelectChoice(str(a.id), a.full_name) for a in advisors),
        ]
        return self.filter()


class TemplatePickForm(FilterForm):
    """GET on the case page: which template to put into the reply box."""

    template = SelectField(_l("Answer template"), coerce=int, default=0)

    def fill(self, templates) -> TemplatePickForm:
        self.template.choices = [SelectChoice(0, _l("Choose a template")), *(SelectChoice(t.id, t.title) for t in templates)]
        return self.filter()


class CandidateFilterForm(FilterForm):
    topic = SelectField(
        _l("Field of advice"), default="", choices=[SelectChoice("", _l("Any field")), *(SelectChoice(k, v) for k, v in TOPICS.items())]
    )
