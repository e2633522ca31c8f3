"""Analytics forms: the needs-analysis filters (GET), the export, needs rounds and institutions' answers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..core.forms import FilterForm, strip_filter
from ..directory.models import INSTITUTION_TYPES
from .models import FORMS, PLAN_KINDS


class NeedsFilterForm(FilterForm):
    role = SelectField(_l("Role"), default="")
    area = SelectField(_l("Competence area"), default="")
    competence = SelectField(_l("Competence"), default="")
    institution_type = SelectField(
        _l("Institution type"),
        default="",
        choices=[SelectChoice("", _l("All types")), *(SelectChoice(*item) for item in INSTITUTION_TYPES.items())],
    )
    powiat = SelectField(_l("Powiat"), default="")

    def fill(self, roles, areas, competences, powiats) -> NeedsFilterForm:
        """Offer the current framework's roles, areas and competences and the loaded powiats, then filter."""
        self.role.choices = [SelectChoice("", _l("All roles")), *(SelectChoice(r.code, r.name) for r in roles)]
        self.area.choices = [SelectChoice("", _l("All areas")), *(SelectChoice(a.code, f"{a.code} {a.name}") for a in areas)]
        self.competence.choices = [
            SelectChoice("", _l("All competences")),
            *(SelectChoice(c.code, f"{c.code} {c.name}") for c in competences),
        ]
        self.powiat.choices = [SelectChoice("", _l("Whole region")), *(SelectChoice(str(k), v) for k, v in powiats.items())]
        return self.filter()


class NeedsExportForm(FlaskForm):
    """POST (with CSRF): an export is a recorded act, written to the audit log."""

    by = SelectField(
        _l("One row per"),
        choices=[SelectChoice("powiat", _l("Powiat")), SelectChoice("institution-type", _l("Institution type"))],
        validators=[InputRequired()],
    )
    format = SelectField(
        _l("File format"), choices=[SelectChoice("csv", "CSV"), SelectChoice("xlsx", "XLSX")], validators=[InputRequired()]
    )


REQUIRED = _l("This field is required.")


class RoundForm(FlaskForm):
    year = IntegerField(
        _l("Year"), validators=[InputRequired(REQUIRED), NumberRange(2000, 2100, message=_l("A year between 2000 and 2100."))]
    )
    deadline = DateField(_l("Deadline"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%d")


class SubmissionForm(FlaskForm):
    competences = SelectMultipleField(_l("Competences"), validators=[Optional()])
    topics = TextAreaField(_l("Other topics"), filters=[strip_filter], validators=[Length(max=2000)])
    workers = IntegerField(
        _l("Number of workers to train"),
        validators=[InputRequired(REQUIRED), NumberRange(1, 10000, message=_l("Between %(min)s and %(max)s."))],
    )
    preferred_form = SelectField(
        _l("Preferred form"), choices=[SelectChoice(*item) for item in FORMS.items()], validators=[DataRequired(REQUIRED)]
    )
    comment = TextAreaField(_l("Comment"), filters=[strip_filter], validators=[Length(max=2000)])

    def validate_topics(self, field) -> None:
        if not field.data and not self.competences.data:
            raise ValidationError(_l("Choose competences or describe the topics."))


class IndicatorsFilterForm(FilterForm):
    start = DateField(_l("From"), validators=[Optional()], format="%Y-%m-%d")
    end = DateField(_l("To"), validators=[Optional()], format="%Y-%m-%d")


class LocalPlanForm(FlaskForm):
    unit_id = SelectField(_l("Local government (gmina or powiat)"), coerce=int, validators=[InputRequired(REQUIRED)])
    kind = SelectField(_l("Plan"), choices=[SelectChoice(*item) for item in PLAN_KINDS.items()], validators=[DataRequired(REQUIRED)])
    adopted_on = DateField(_l("Adopted on"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%d")
    document_url = StringField(
        _l("Link to the adopted document"),
        filters=[strip_filter],
        validators=[
            DataRequired(REQUIRED),
            URL(require_tld=True, message=_l("Enter a full address starting with https://.")),
            Length(max=500),
        ],
    )

    def fill(self, units: list[tuple[int, str]]) -> LocalPlanForm:
        self.unit_id.choices = [SelectChoice(uid, label) for uid, label in units]
        return self


class DeleteForm(FlaskForm):
    """A button that carries only the CSRF token."""


class ParticipantsExportForm(FlaskForm):
    """POST (with CSRF): personal data leaves the platform, so the export is a recorded act."""

    format = SelectField(
        _l("File format"), choices=[SelectChoice("csv", "CSV"), SelectChoice("xlsx", "XLSX")], validators=[InputRequired()]
    )
