"""Certificate forms; every error message is translated (Polish by default)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, DateField, IntegerField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..core.forms import FilterForm, NoControlChars, PlainText, strip_filter
from .models import REVOKED, VALID
from .numbering import PREFIX_RE

REQUIRED = _l("This field is required.")
LENGTH = _l("Between %(min)d and %(max)d characters.")


class RequestCertificateForm(FlaskForm):
    birth_date = DateField(_l("Date of birth"), validators=[Optional()], format="%Y-%m-%d", render_kw={"autocomplete": "bday"})
    birth_place = StringField(
        _l("Place of birth"), filters=[strip_filter], validators=[Optional(), Length(min=2, max=100, message=LENGTH), PlainText()]
    )
    submit = SubmitField(_l("Request a certificate"))

    def __init__(self, *args, needs_date: bool = False, needs_place: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_date, self.needs_place = needs_date, needs_place
        if needs_date:
            self.birth_date.validators = [InputRequired(_l("Enter your date of birth as on an identity document."))]
            self.birth_date.flags.required = True
        else:
            del self.birth_date
        if needs_place:
            self.birth_place.validators = [
                DataRequired(_l("Enter your place of birth.")),
                Length(min=2, max=100, message=LENGTH),
                PlainText(),
            ]
            self.birth_place.flags.required = True
        else:
            del self.birth_place

    def validate_birth_date(self, field):
        if field.data and not (date(1920, 1, 1) <= field.data <= date.today().replace(year=date.today().year - 16)):
            raise ValidationError(_l("Enter a real date of birth (you must be at least 16 years old)."))


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for rejection"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=5, max=1000, message=LENGTH), NoControlChars()],
        description=_l("The learner sees this reason."),
    )
    submit = SubmitField(_l("Reject"))


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revocation"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=5, max=1000, message=LENGTH), NoControlChars()],
        description=_l("Kept in the register and the audit log; the public verification page does not show it."),
    )
    submit = SubmitField(_l("Revoke certificate"))


def _period_in_order(form, field):
    if field.data and form.period_from.data and field.data < form.period_from.data:
        raise ValidationError(_l("The end of the period cannot be before its start."))


class QueueFilterForm(FilterForm):
    """The issuer's queue filter: one course or all (0), completion period."""

    course_id = SelectField(_l("Course"), coerce=int, default=0)
    period_from = DateField(_l("Completed from"), validators=[Optional()])
    period_to = DateField(_l("Completed until"), validators=[Optional(), _period_in_order])


class BulkForm(FlaskForm):
    """Bulk issue for one course and period; its ids differ from the queue filter's on the same page."""

    course_id = SelectField(_l("Course"), coerce=int, validators=[DataRequired(REQUIRED)], id="bulk-course")
    period_from = DateField(_l("Completed from"), validators=[Optional()], id="bulk-from")
    period_to = DateField(_l("Completed until"), validators=[Optional(), _period_in_order], id="bulk-to")
    send_email = BooleanField(_l("E-mail each certificate (PDF) to its holder"), id="bulk-mail")
    submit = SubmitField(_l("Issue all eligible in the background"))


class RegisterSearchForm(FilterForm):
    q = StringField(_l("Number, holder or course title"), filters=[strip_filter], validators=[Optional(), Length(max=150)])
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("any status")), SelectChoice(VALID, _l("valid")), SelectChoice(REVOKED, _l("revoked"))],
        validators=[Optional()],
    )


class VerifyForm(FlaskForm):
    number = StringField(
        _l("Certificate number"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(max=40, message=LENGTH)],
        description=_l("As printed on the certificate, e.g. ROPS-KP/2026/000123."),
    )
    surname = StringField(
        _l("Holder's surname"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=2, max=80, message=LENGTH), PlainText()],
    )
    submit = SubmitField(_l("Verify"))


class BrandingForm(FlaskForm):
    name = StringField(
        _l("Organiser name"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=3, max=200, message=LENGTH), PlainText()],
    )
    address = TextAreaField(
        _l("Address (one line per row)"), filters=[strip_filter], validators=[Optional(), Length(max=500), NoControlChars()]
    )
    logo = FileField(_l("Logo (PNG or JPEG)"), validators=[FileAllowed(["png", "jpg", "jpeg"], _l("Upload a PNG or JPEG image."))])
    remove_logo = BooleanField(_l("Remove the logo"))
    signatory_name = StringField(
        _l("Signatory name"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=3, max=150, message=LENGTH), PlainText()],
    )
    signatory_function = StringField(
        _l("Signatory function"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=3, max=200, message=LENGTH), PlainText()],
    )
    place_of_issue = StringField(
        _l("Place of issue"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(min=2, max=100, message=LENGTH), PlainText()],
    )
    number_prefix = StringField(
        _l("Register number prefix"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Regexp(PREFIX_RE, message=_l("Capital letters, digits and hyphens only, e.g. ROPS-KP."))],
        description=_l("Numbers look like PREFIX/2026/000123; each prefix and year has its own sequence."),
    )
    show_birth_date = BooleanField(_l("Certificates show the date of birth"))
    show_birth_place = BooleanField(_l("Certificates show the place of birth"))
    submit = SubmitField(_l("Save"))


class RoleBulkForm(FlaskForm):
    role_code = SelectField(_l("Role"), validators=[DataRequired(REQUIRED)])
    send_email = BooleanField(_l("E-mail each certificate (PDF) to its holder"))
    submit = SubmitField(_l("Issue all eligible in the background"))


class RoleValidityForm(FlaskForm):
    """One validity field per role, added at runtime (validity_<code>): months, empty for no expiry."""

    submit = SubmitField(_l("Save"))


def role_validity_form(roles: list[tuple[str, str]], current: dict[str, int | None], formdata=None) -> RoleValidityForm:
    class Form(RoleValidityForm):
        pass

    for code, name in roles:
        setattr(
            Form,
            f"validity_{code}",
            IntegerField(
                name,
                validators=[Optional(), NumberRange(min=1, max=240, message=_l("Enter a number of months from 1 to 240."))],
                description=_l("Months the certificate stays valid; leave empty for a certificate without expiry."),
                default=current.get(code),
            ),
        )
    return Form(formdata=formdata)
