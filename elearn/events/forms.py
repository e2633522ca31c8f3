"""Event forms; every error message is translated (Polish by default)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms import Form as PlainForm
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from ..core.forms import MarkdownField, NoControlChars, PlainText, strip_filter
from ..directory.models import INSTITUTION_TYPES
from .models import EVALUATION_QUESTIONS, EVENT_TYPES

REQUIRED = _l("This field is required.")
LENGTH = _l("Between %(min)d and %(max)d characters.")


class SessionForm(PlainForm):
    """One session row; a row left empty is ignored."""

    day = DateField(_l("Date"), validators=[Optional()], format="%Y-%m-%d")
    start = TimeField(_l("Start"), validators=[Optional()], format="%H:%M")
    end = TimeField(_l("End"), validators=[Optional()], format="%H:%M")


class EventForm(FlaskForm):
    title = StringField(
        _l("Title"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(min=3, max=200, message=LENGTH), PlainText()]
    )
    type = SelectField(_l("Event type"), choices=[SelectChoice(k, v) for k, v in EVENT_TYPES.items()], validators=[InputRequired(REQUIRED)])
    description = MarkdownField(_l("Description (Markdown)"), validators=[Optional(), Length(max=20000, message=LENGTH), NoControlChars()])
    programme = MarkdownField(_l("Programme (Markdown)"), validators=[Optional(), Length(max=20000, message=LENGTH), NoControlChars()])
    sessions = FieldList(FormField(SessionForm), min_entries=4, max_entries=10, label=_l("Sessions"))
    place_name = StringField(_l("Venue"), filters=[strip_filter], validators=[Optional(), Length(max=200, message=LENGTH), PlainText()])
    street = StringField(
        _l("Street and number"), filters=[strip_filter], validators=[Optional(), Length(max=150, message=LENGTH), PlainText()]
    )
    postal_code = StringField(
        _l("Postal code"), filters=[strip_filter], validators=[Optional(), Regexp(r"^\d{2}-\d{3}$", message=_l("Use the form 00-000."))]
    )
    city = StringField(_l("City"), filters=[strip_filter], validators=[Optional(), Length(max=100, message=LENGTH), PlainText()])
    gmina_id = SelectField(_l("Gmina (TERYT)"), coerce=int, validators=[Optional()])
    online_url = StringField(
        _l("Online meeting link (shown only to registered participants)"),
        filters=[strip_filter],
        validators=[
            Optional(),
            URL(require_tld=True, message=_l("Enter a full address starting with https://.")),
            Length(max=500, message=LENGTH),
        ],
    )
    capacity = IntegerField(
        _l("Number of places"), validators=[InputRequired(REQUIRED), NumberRange(min=1, max=10000, message=_l("From %(min)s to %(max)s."))]
    )
    per_institution_limit = IntegerField(
        _l("Places per institution (empty: no limit)"),
        validators=[Optional(), NumberRange(min=1, max=1000, message=_l("From %(min)s to %(max)s."))],
    )
    registration_opens = DateField(_l("Registration opens on"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%d")
    registration_closes = DateField(_l("Registration closes on (end of day)"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%d")
    cancellation_deadline = DateField(
        _l("Participants may cancel until (end of day)"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%d"
    )
    target_roles = SelectMultipleField(_l("For roles"), validators=[Optional()])
    target_institution_types = SelectMultipleField(
        _l("For institution types"), choices=[SelectChoice(k, v) for k, v in INSTITUTION_TYPES.items()], validators=[Optional()]
    )
    trainers = SelectMultipleField(_l("Trainers"), coerce=int, validators=[Optional()])
    module_id = SelectField(_l("Course module this event is the practical part of"), coerce=int, validators=[Optional()])
    competence_codes = StringField(
        _l("Competences assessed at the event (codes, separated by commas)"),
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(max=500, message=LENGTH),
            Regexp(r"^[A-Za-z0-9., ]*$", message=_l("Codes such as ANI.1.1, separated by commas.")),
        ],
    )
    assessment_level = SelectField(
        _l("Level the assessment evidences"),
        coerce=int,
        choices=[SelectChoice(0, "—"), SelectChoice(1, "1"), SelectChoice(2, "2")],
        validators=[Optional()],
    )
    completion_percent = IntegerField(
        _l("Share of hours needed to complete (%)"),
        default=80,
        validators=[InputRequired(REQUIRED), NumberRange(min=1, max=100, message=_l("From %(min)s to %(max)s."))],
    )
    submit = SubmitField(_l("Save the event"))


class CalendarFilterForm(FlaskForm):
    """The public calendar's filters (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    type = SelectField(_l("Event type"), validators=[Optional()])
    powiat = SelectField(_l("Powiat"), coerce=int, validators=[Optional()])
    role = SelectField(_l("Role"), validators=[Optional()])
    month = StringField(_l("Month"), validators=[Optional(), Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", message=_l("Choose a month."))])
    submit = SubmitField(_l("Show"))


class ActionForm(FlaskForm):
    """A button that only carries the CSRF token (register, cancel, renew…)."""

    submit = SubmitField(_l("Confirm"))


class NominateForm(FlaskForm):
    user_id = SelectField(_l("Worker"), coerce=int, validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Nominate"))


class AddParticipantForm(FlaskForm):
    email = StringField(
        _l("E-mail of the person to add"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=254, message=LENGTH)]
    )
    submit = SubmitField(_l("Add"))


class EvaluationForm(FlaskForm):
    comment = TextAreaField(
        _l("Comments (optional; do not write your name)"), validators=[Optional(), Length(max=2000, message=LENGTH), NoControlChars()]
    )
    submit = SubmitField(_l("Send anonymously"))


SCALE = [SelectChoice(str(n), str(n)) for n in range(1, 6)]
for _key, _label in EVALUATION_QUESTIONS.items():
    setattr(EvaluationForm, _key, RadioField(_label, choices=SCALE, validators=[InputRequired(_l("Choose a rating from 1 to 5."))]))
