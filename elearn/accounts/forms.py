"""Account forms; every error message is translated (Polish by default)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, Regexp, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.forms import FilterForm, PersonName, PlainText, StrongPassword, strip_filter
from ..directory.forms import GminaField, InstitutionField
from ..directory.models import INSTITUTION_TYPES
from ..directory.services import MissingInstitution
from .models import ROLE_LABELS, ROLES, SEXES
from .services import birth_year_bounds


def _answer(value) -> str:
    """An optional choice: no stored answer (None) is the empty choice, not the text \"None\"."""
    return "" if value is None else str(value)


REQUIRED = _l("This field is required.")


def email_field(label=None):
    return EmailField(
        label or _l("E-mail address"),
        filters=[strip_filter],
        validators=[
            DataRequired(REQUIRED),
            Length(max=254, message=_l("At most %(max)d characters.")),
            Email(_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired(REQUIRED), Length(max=128)], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Remember me on this device"))
    submit = SubmitField(_l("Log in"))


def _needed_for_proposal(message):
    """Required only when the chosen institution is an entry "not on the list? propose one"."""

    def check(form, field):
        if form.proposing() is not None and not field.data:
            raise StopValidation(message)

    return check


class PlausibleBirthYear:
    """A working adult's year of birth (the bounds move with the calendar, so they are read at validation time)."""

    def __call__(self, _form, field):
        if field.data is None:  # not a number: the field's own error says so
            return
        low, high = birth_year_bounds()
        if not low <= field.data <= high:
            raise ValidationError(_l("Give a year between %(low)s and %(high)s, or leave the field empty.", low=low, high=high))


class RegistrationForm(FlaskForm):
    full_name = StringField(
        _l("First name and surname"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=3, max=150, message=_l("Between %(min)d and %(max)d characters.")), PersonName()],
        render_kw={"autocomplete": "name"},
    )
    email = email_field()
    institution_id = InstitutionField(
        _l("Institution"),
        validators=[InputRequired(REQUIRED)],
        description=_l("The institution you work in. Type a part of its name or of the powiat to narrow the list."),
    )
    # Asked only when the institution chosen is an entry "not on the list? propose one" (a MissingInstitution):
    # the account is created with the proposal, which an administrator accepts or declines.
    proposed_name = StringField(
        _l("Full name of the institution"),
        filters=[strip_filter],
        validators=[
            _needed_for_proposal(_l("Give the full name of the institution you propose.")),
            Optional(),
            Length(min=3, max=200, message=_l("Between %(min)d and %(max)d characters.")),
            PlainText(),
        ],
        description=_l("As on its stamp or website, for example: Stowarzyszenie Sąsiedzi z Jarzębinowa."),
    )
    proposed_gmina_id = GminaField(_l("Gmina where it works"))
    job_title = StringField(
        _l("Job title"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=2, max=120, message=_l("Between %(min)d and %(max)d characters.")), PlainText()],
        description=_l("For example: pracownik socjalny, starszy specjalista pracy socjalnej."),
        render_kw={"autocomplete": "organization-title"},
    )
    sex = SelectField(
        _l("Sex (optional)"),
        choices=[SelectChoice("", _l("— no answer —")), *(SelectChoice(k, v) for k, v in SEXES.items())],
        default="",
        coerce=_answer,
        validators=[Optional()],
        description=_l("Asked only for the EU project's statistics; nobody else sees it. You may leave it empty."),
    )
    birth_year = IntegerField(
        _l("Year of birth (optional)"),
        validators=[Optional(), PlausibleBirthYear()],
        description=_l(
            "Asked only to report the participants' age groups to the EU project's monitoring; nobody else sees it. You may leave it empty."
        ),
        render_kw={"inputmode": "numeric", "autocomplete": "bday-year", "maxlength": 4},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(REQUIRED), StrongPassword()],
        description=_l("At least 10 characters. A phrase of several words is easy to remember and hard to guess."),
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
    consent = BooleanField(
        _l("I have read the privacy policy and accept the processing of my data for training purposes."),
        validators=[DataRequired(_l("You must accept the privacy policy to create an account."))],
    )
    submit = SubmitField(_l("Create account"))
    # The error summary names these fields briefly (macros.form_errors_summary), not by their whole sentence.
    short_labels = {"consent": _l("Privacy policy")}

    gmina_powiats: dict[int, str] = {}  # gmina id → its powiat's TERYT code; the view fills it in

    def proposing(self) -> MissingInstitution | None:
        data = self.institution_id.data
        return data if isinstance(data, MissingInstitution) else None

    def validate_proposed_gmina_id(self, field):
        missing = self.proposing()
        if missing is None:
            return
        if field.data is None:
            raise ValidationError(_l("Choose the gmina where the institution works."))
        if self.gmina_powiats.get(field.data) != missing.powiat_code:
            raise ValidationError(_l("Choose a gmina of the powiat you chose the entry in."))


def new_password_field():
    return PasswordField(
        _l("New password"), validators=[DataRequired(REQUIRED), StrongPassword()], render_kw={"autocomplete": "new-password"}
    )


def password_confirm_field():
    return PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(REQUIRED), Length(max=128)], render_kw={"autocomplete": "current-password"}
    )
    password = new_password_field()
    password_confirm = password_confirm_field()
    submit = SubmitField(_l("Change password"))


class ResetRequestForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    password = new_password_field()
    password_confirm = password_confirm_field()
    submit = SubmitField(_l("Set new password"))


class ProfileForm(FlaskForm):
    full_name = RegistrationForm.full_name
    job_title = RegistrationForm.job_title
    sex = RegistrationForm.sex
    birth_year = RegistrationForm.birth_year
    institution_id = InstitutionField(
        _l("Institution"),
        validators=[InputRequired(REQUIRED)],
        description=_l("Type a part of the institution's or the powiat's name to narrow the list."),
    )
    submit = SubmitField(_l("Save"))


class EraseAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(REQUIRED), Length(max=128)], render_kw={"autocomplete": "current-password"}
    )
    confirm = BooleanField(
        _l("I understand that my account will be deleted permanently."),
        validators=[DataRequired(_l("Confirm that you want to delete the account."))],
    )
    submit = SubmitField(_l("Delete my account"))
    short_labels = {"confirm": _l("Confirmation")}


class MembershipDecisionForm(FlaskForm):
    accept = SubmitField(_l("Accept"))
    decline = SubmitField(_l("Decline"))


class LogoutEverywhereForm(FlaskForm):
    submit = SubmitField(_l("Log out of other devices"))


class UserDetailsForm(FlaskForm):
    """Name and job title with the registration form's rules, for accounts made outside a form (the CLI)."""

    class Meta:
        csrf = False

    full_name = RegistrationForm.full_name
    job_title = StringField(
        filters=[strip_filter],
        validators=[Optional(), Length(min=2, max=120, message=_l("Between %(min)d and %(max)d characters.")), PlainText()],
    )


def user_details_errors(full_name: str, job_title: str | None) -> dict[str, list[str]]:
    """The errors the forms would show for this name and job title ({} when both are acceptable)."""
    form = UserDetailsForm(formdata=MultiDict({"full_name": full_name, "job_title": job_title or ""}))
    form.validate()
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserRolesForm(FlaskForm):
    """An administrator's edit of an account: the name as printed on certificates, address, roles, institution."""

    full_name = RegistrationForm.full_name
    email = email_field()
    job_title = StringField(
        _l("Job title"),
        filters=[strip_filter],
        validators=[Optional(), Length(min=2, max=120, message=_l("Between %(min)d and %(max)d characters.")), PlainText()],
    )
    roles = MultiCheckboxField(_l("Roles"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])
    institution_id = InstitutionField(_l("Institution"), validators=[Optional()], placeholder=_l("— none —"))
    active = BooleanField(_l("Account active"))
    submit = SubmitField(_l("Save"))


class UserCreateForm(FlaskForm):
    """An administrator creates an account; its owner sets a password through the e-mailed link."""

    full_name = RegistrationForm.full_name
    email = email_field()
    job_title = UserRolesForm.job_title
    roles = MultiCheckboxField(
        _l("Roles"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES], validators=[DataRequired(_l("Choose at least one role."))]
    )
    institution_id = InstitutionField(_l("Institution"), validators=[Optional()], placeholder=_l("— none —"))
    submit = SubmitField(_l("Create the account"))


class UserSearchForm(FilterForm):
    q = StringField(_l("Search by name or e-mail"), filters=[strip_filter], validators=[Length(max=100)])
    role = SelectField(_l("Role"), choices=[SelectChoice("", _l("All roles"))] + [SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])


class MembershipRequestsFilterForm(FilterForm):
    """Administrators' membership requests: all, or only those of institutions without a coordinator."""

    orphaned = BooleanField(name="bez-koordynatora", false_values=(False, "false", "", "0"))


def _id_or_none(value):
    return int(value) if str(value).isdigit() else None


class InstitutionProposalForm(FlaskForm):
    """An institution missing from the list, as its worker knows it; an administrator checks it before it is added."""

    name = StringField(
        _l("Full name of the institution"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=3, max=200, message=_l("Between %(min)d and %(max)d characters.")), PlainText()],
        description=_l("As on its stamp or website, for example: Stowarzyszenie Sąsiedzi z Jarzębinowa."),
    )
    type = SelectField(
        _l("Type of institution"),
        choices=[SelectChoice("", _l("— choose a type —")), *(SelectChoice(k, v) for k, v in INSTITUTION_TYPES.items())],
        validators=[DataRequired(REQUIRED)],
    )
    gmina_id = SelectField(_l("Gmina where it works"), coerce=_id_or_none, validators=[InputRequired(REQUIRED)])
    street = StringField(_l("Street and number"), filters=[strip_filter], validators=[Optional(), Length(max=150), PlainText()])
    postal_code = StringField(
        _l("Postal code"), filters=[strip_filter], validators=[Optional(), Regexp(r"^\d{2}-\d{3}$", message=_l("Use the format 00-000."))]
    )
    city = StringField(_l("City"), filters=[strip_filter], validators=[Optional(), Length(max=100), PlainText()])
    submit = SubmitField(_l("Send the proposal"))


class ProposalDecisionForm(FlaskForm):
    accept = SubmitField(_l("Add the institution"))
    decline = SubmitField(_l("Decline"))
