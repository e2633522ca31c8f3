from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp
from wtforms.widgets import Select

from ..core.forms import FilterForm, PlainText, strip_filter
from .models import INSTITUTION_TYPES
from .services import MissingInstitution

REQUIRED = _l("This field is required.")


def _optional_int(value):
    return None if value in (None, "", "None") else int(value)


def _institution_value(value):
    """An institution id, a `MissingInstitution` entry ("brak-DPS-0463") or None; anything else is refused."""
    if isinstance(value, (int, MissingInstitution)) or value is None:
        return value
    missing = MissingInstitution.parse(str(value))
    return missing if missing is not None else _optional_int(value)


class PlaceholderSelect(Select):
    """A select whose first option is an empty prompt, so nothing is chosen until the person chooses."""

    def __call__(self, field, **kwargs):
        html = super().__call__(field, **kwargs)
        selected = Markup("") if field.data is not None else Markup(" selected")
        prompt = Markup('<option value=""{}>{}</option>').format(selected, field.placeholder)
        head, sep, tail = html.partition(">")
        return head + sep + prompt + tail


class InstitutionField(SelectField):
    """The one institution picker: grouped by powiat (optgroups), nothing preselected, enhanced into a searchable
    combobox by static/js/combobox.js (`data-combobox`); without JavaScript it is the plain grouped select.

    Choices come from `directory.services.grouped_institution_choices`; an empty answer is `None`. Where the view
    offers the entries for missing institutions (`missing=True`), such a choice is a `MissingInstitution`.
    """

    widget = PlaceholderSelect()

    def __init__(self, label=None, validators=None, placeholder=None, **kwargs):
        render_kw = {
            "data-combobox": "",
            "data-results": _l("Matching institutions: %n. Use the arrow keys to choose."),
            "data-one-result": _l("One institution matches. Press the down arrow and Enter to choose it."),
            "data-no-results": _l("No institution matches. Check the spelling or type a shorter part of the name."),
            **(kwargs.pop("render_kw", None) or {}),
        }
        super().__init__(label, validators, coerce=_institution_value, render_kw=render_kw, **kwargs)
        self.placeholder = placeholder or _l("— choose an institution —")

    def pre_validate(self, form):
        if self.data is None:
            return  # "required" is the validators' business; "not a valid choice" would only repeat it
        super().pre_validate(form)


class GminaField(SelectField):
    """A gmina chosen from optgroups by powiat (`directory.services.gmina_choices_grouped`), nothing preselected."""

    widget = PlaceholderSelect()

    def __init__(self, label=None, validators=None, placeholder=None, **kwargs):
        super().__init__(label, validators, coerce=_optional_int, **kwargs)
        self.placeholder = placeholder or _l("— choose a gmina —")

    def pre_validate(self, form):
        if self.data is not None:
            super().pre_validate(form)


class InstitutionForm(FlaskForm):
    name = StringField(
        _l("Institution name"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=3, max=200, message=_l("Between %(min)d and %(max)d characters.")), PlainText()],
    )
    type = SelectField(_l("Type"), choices=[SelectChoice(*item) for item in INSTITUTION_TYPES.items()], validators=[DataRequired(REQUIRED)])
    street = StringField(_l("Street and number"), filters=[strip_filter], validators=[Optional(), Length(max=150), PlainText()])
    postal_code = StringField(
        _l("Postal code"), filters=[strip_filter], validators=[Optional(), Regexp(r"^\d{2}-\d{3}$", message=_l("Use the format 00-000."))]
    )
    city = StringField(_l("City"), filters=[strip_filter], validators=[Optional(), Length(max=100), PlainText()])
    location_id = SelectField(_l("Gmina of the address"), coerce=int, validators=[Optional()])
    served_area_id = SelectField(
        _l("Area served"),
        coerce=int,
        validators=[InputRequired(REQUIRED)],
        description=_l("The gmina or powiat whose residents the institution serves; regional reports aggregate by this area."),
    )
    regon = StringField(
        _l("REGON"), filters=[strip_filter], validators=[Optional(), Regexp(r"^(\d{9}|\d{14})$", message=_l("REGON has 9 or 14 digits."))]
    )
    active = BooleanField(_l("Active (shown at registration)"), default=True)
    submit = SubmitField(_l("Save"))


class InstitutionFilterForm(FilterForm):
    q = StringField(_l("Search by name"), filters=[strip_filter], validators=[Length(max=100)])
    type = SelectField(
        _l("Type"), choices=[SelectChoice("", _l("All types")), *(SelectChoice(*item) for item in INSTITUTION_TYPES.items())]
    )


class MergeForm(FlaskForm):
    """Merge one institution of a duplicate group into another (both ids come from the group shown)."""

    kept_id = SelectField(_l("Keep this institution"), coerce=int, validators=[InputRequired(REQUIRED)])
    merged_id = SelectField(_l("Merge this one into it and delete it"), coerce=int, validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Merge"))
