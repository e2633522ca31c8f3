"""Forms of the competency domain: self-assessment (built per role), trainer assessment, prior learning, review."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.forms import FilterForm, NoControlChars, strip_filter

RPL_EXTENSIONS = ("pdf", "png", "jpg", "jpeg")


class RoleChoiceForm(FilterForm):
    role = SelectField(_l("Role"), validators=[Optional()])


def field_name(code: str) -> str:
    return "c_" + code.replace(".", "_")


def self_assessment_form(competences, scale, formdata=None):
    """A questionnaire with one radio group per competence (one area of it per page); an option is labelled with its
    level and name, the page lists the level's behavioural indicators beside it (`level_indicators`)."""

    class SelfAssessmentForm(FlaskForm):
        submit = SubmitField(_l("Save and continue"))

    scale_by_level = {s.level: s for s in scale}
    for comp in competences:
        choices = []
        for level in range(0, 4):
            name = scale_by_level[level].name if level in scale_by_level else str(level)
            choices.append(SelectChoice(str(level), f"{level} — {name}"))
        setattr(
            SelfAssessmentForm,
            field_name(comp.code),
            RadioField(
                f"{comp.code} {comp.name}",
                choices=choices,
                validators=[InputRequired(message=_l("Choose the level that describes you best."))],
            ),
        )
    return SelfAssessmentForm(formdata=formdata) if formdata is not None else SelfAssessmentForm()


def level_indicators(competence, scale) -> dict[int, list[str]]:
    """Level → what a person at that level does: the competence's indicators, or the scale's description."""
    descriptions = {s.level: s.description for s in scale}
    return {
        level: list(competence.indicators.get(str(level)) or ([descriptions[level]] if descriptions.get(level) else []))
        for level in range(4)
    }


class AssessmentForm(FlaskForm):
    code = SelectField(_l("Competence"), validators=[DataRequired(message=_l("Choose a competence."))])
    level = SelectField(_l("Assessed level"), choices=[], coerce=int, validators=[InputRequired(message=_l("Choose a level."))])
    note = TextAreaField(
        _l("Assessment note"),
        filters=[strip_filter],
        validators=[
            DataRequired(message=_l("Write what the assessment is based on.")),
            Length(max=2000, message=_l("The note may have at most %(max)d characters.")),
            NoControlChars(),
        ],
        description=_l("What did you observe? The learner sees this note on their profile."),
    )
    submit = SubmitField(_l("Save the assessment"))


class PriorLearningForm(FlaskForm):
    code = SelectField(_l("Competence"), validators=[DataRequired(message=_l("Choose a competence."))])
    level = SelectField(_l("Claimed level"), choices=[], coerce=int, validators=[InputRequired(message=_l("Choose a level."))])
    note = TextAreaField(
        _l("Description of your experience"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000, message=_l("The description may have at most %(max)d characters.")), NoControlChars()],
    )
    document = FileField(
        _l("Document (PDF, PNG or JPG, up to 5 MB)"),
        validators=[
            FileRequired(message=_l("Attach a document that confirms your learning.")),
            FileAllowed(RPL_EXTENSIONS, message=_l("Only PDF, PNG or JPG files are accepted.")),
        ],
        description=_l("For example a certificate, a diploma supplement or a letter from your employer."),
    )
    submit = SubmitField(_l("Submit the claim for review"))


class ReviewForm(FlaskForm):
    accept = SubmitField(_l("Accept the claim"))
    reject = SubmitField(_l("Reject the claim"))


class AssessmentRequestForm(FlaskForm):
    code = SelectField(_l("Competence"), validators=[DataRequired(message=_l("Choose a competence."))])
    description = TextAreaField(
        _l("Your practice"),
        filters=[strip_filter],
        validators=[
            DataRequired(message=_l("Describe what you did in practice.")),
            Length(max=2000, message=_l("The description may have at most %(max)d characters.")),
            NoControlChars(),
        ],
        description=_l(
            "Briefly: what you did, where and with whom, and what came of it. The trainer assesses it against the competence's indicators."
        ),
    )
    document = FileField(
        _l("Document (optional: PDF, PNG or JPG, up to 5 MB)"),
        validators=[Optional(), FileAllowed(RPL_EXTENSIONS, message=_l("Only PDF, PNG or JPG files are accepted."))],
        description=_l("For example a report, a plan you prepared or a photo of a meeting's results (without other people's data)."),
    )
    submit = SubmitField(_l("Ask for an assessment"))


class RequestStatusForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter

    status = SelectField(_l("Status"), validators=[Optional()])


class RequestAssessForm(FlaskForm):
    level = SelectField(_l("Assessed level"), choices=[], coerce=int, validators=[InputRequired(message=_l("Choose a level."))])
    note = TextAreaField(
        _l("Assessment note"),
        filters=[strip_filter],
        validators=[
            DataRequired(message=_l("Write what the assessment is based on.")),
            Length(max=2000, message=_l("The note may have at most %(max)d characters.")),
            NoControlChars(),
        ],
        description=_l("What did you observe? The learner sees this note on their profile."),
    )
    assess = SubmitField(_l("Save the assessment"))


class RequestDeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for declining"),
        filters=[strip_filter],
        validators=[
            DataRequired(message=_l("Write why you decline the request.")),
            Length(max=2000, message=_l("The reason may have at most %(max)d characters.")),
            NoControlChars(),
        ],
        description=_l("The learner sees this reason. Say what they could do or send instead."),
    )
    decline = SubmitField(_l("Decline the request"))


class WithdrawEvidenceForm(FlaskForm):
    evidence_id = SelectField(_l("Evidence"), coerce=int, validators=[InputRequired(_l("Choose the evidence to withdraw."))])
    reason = TextAreaField(
        _l("Reason for withdrawal"),
        filters=[strip_filter],
        validators=[DataRequired(_l("This field is required.")), Length(min=5, max=1000), NoControlChars()],
        description=_l("For example: the assessment was recorded for the wrong person or level."),
    )
    submit = SubmitField(_l("Withdraw the evidence"))


class ProfileFrameworkForm(FlaskForm):
    """The admin's choice of the framework role profiles use (imported frameworks never take over by themselves)."""

    framework = SelectField(_l("Framework used by role profiles"), validators=[InputRequired()])
    submit = SubmitField(_l("Use this framework"))


class LoadFrameworkForm(FlaskForm):
    """A button: load the framework shipped with the application (competency_model/)."""

    submit = SubmitField(_l("Load the shipped framework"))
