"""Forms of the knowledge base: adding or editing a resource, a new document version, a review, the library filter."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SearchField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional, ValidationError

from ..accounts.forms import MultiCheckboxField
from ..core.forms import FilterForm, MarkdownField, NoControlChars, PlainText, strip_filter
from ..courses.models import ROLES
from ..courses.views_learning import ROLE_LABELS
from .models import FORMAT_LABELS, FORMATS, TYPE_LABELS, TYPES

_SPLIT = re.compile(r"[,;\n]+")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def split_list(value: str | None) -> list[str]:
    """'SRPS, diagnoza ; LPDI' -> ['SRPS', 'diagnoza', 'LPDI'] (empty parts and repeats dropped, order kept)."""
    seen: dict[str, None] = {}
    for part in _SPLIT.split(value or ""):
        part = " ".join(part.split())
        if part:
            seen.setdefault(part[:100], None)
    return list(seen)


class TagList:
    def __call__(self, _form, field):
        if any(len(part) > 60 for part in split_list(field.data)):
            raise ValidationError(_l("Each topic may have at most 60 characters."))


class CodeList:
    def __call__(self, _form, field):
        bad = [code for code in split_list(field.data) if not CODE_RE.match(code)]
        if bad:
            raise ValidationError(_l("Not a competence code: %(codes)s.", codes=", ".join(bad)))


def _type_choices(empty=None):
    head = [SelectChoice("", empty)] if empty is not None else []
    return head + [SelectChoice(t, TYPE_LABELS[t]) for t in TYPES]


def _role_choices(empty=None):
    head = [SelectChoice("", empty)] if empty is not None else []
    return head + [SelectChoice(r, ROLE_LABELS[r]) for r in ROLES]


class ResourceForm(FlaskForm):
    format = RadioField(
        _l("Form of the resource"),
        choices=[SelectChoice(f, FORMAT_LABELS[f]) for f in FORMATS],
        default="document",
        validators=[InputRequired(_l("Choose the form of the resource."))],
    )
    type = SelectField(_l("Type"), choices=_type_choices(), validators=[InputRequired(_l("Choose the type."))])
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the title.")), Length(max=300), PlainText()], filters=[strip_filter])
    summary = TextAreaField(
        _l("Summary"),
        validators=[DataRequired(_l("Write a short summary in your own words.")), Length(max=3000), NoControlChars()],
        filters=[strip_filter],
        description=_l("In your own words: what it is, for whom, why it is useful."),
    )
    file = FileField(_l("File"), description=_l("For a document: PDF, DOCX, ODT or XLSX, up to 15 MB."))
    url = StringField(
        _l("Address (URL)"),
        validators=[Optional(), URL(message=_l("Give a full address starting with https://.")), Length(max=500)],
        filters=[strip_filter],
        description=_l("For a link: where it leads. For a document: where the original is published."),
    )
    body = MarkdownField(
        _l("Article text (Markdown)"), validators=[Optional(), Length(max=50000), NoControlChars()], filters=[strip_filter]
    )
    source = StringField(
        _l("Source"),
        validators=[Optional(), Length(max=300), PlainText()],
        filters=[strip_filter],
        description=_l("Who published it, e.g. Sejm RP (ISAP), ministry, ROPS."),
    )
    licence = StringField(
        _l("Licence"),
        validators=[Optional(), Length(max=200), PlainText()],
        filters=[strip_filter],
        description=_l("E.g. public domain (a legal act), CC BY 4.0, all rights reserved (link only)."),
    )
    published_on = DateField(_l("Publication date"), validators=[Optional()])
    valid_until = DateField(
        _l("Valid until"), validators=[Optional()], description=_l("For legal texts: the last day the text is in force.")
    )
    unit_id = SelectField(_l("Region or gmina it applies to"), coerce=int, validators=[Optional()])
    topics = StringField(
        _l("Topics"),
        validators=[Optional(), Length(max=500), PlainText(), TagList()],
        filters=[strip_filter],
        description=_l("Separated by commas, e.g. SRPS, diagnoza społeczna."),
    )
    roles = MultiCheckboxField(_l("OSL roles"), choices=_role_choices(), validators=[Optional()])
    competences = StringField(
        _l("Competence codes"),
        validators=[Optional(), Length(max=500), CodeList()],
        filters=[strip_filter],
        description=_l("Separated by commas, e.g. ANI.1.1, POL.2.1."),
    )
    proposal_note = TextAreaField(
        _l("A word to the reviewers"),
        validators=[Optional(), Length(max=2000), NoControlChars()],
        filters=[strip_filter],
        description=_l("Why the resource is worth adding (optional)."),
    )
    submit = SubmitField(_l("Save"))

    def fill(self, units) -> None:
        self.unit_id.choices = [SelectChoice(0, _l("Whole region (no particular place)"))] + [SelectChoice(i, label) for i, label in units]


class VersionForm(FlaskForm):
    file = FileField(_l("New version of the file"), validators=[DataRequired(_l("Choose the file."))])
    change_summary = StringField(
        _l("What changed"), validators=[DataRequired(_l("Say what changed.")), Length(max=300), PlainText()], filters=[strip_filter]
    )
    submit = SubmitField(_l("Upload the new version"))


ACCEPT, REJECT = "accept", "reject"


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice(ACCEPT, _l("Accept and publish")), SelectChoice(REJECT, _l("Reject"))],
        validators=[InputRequired(_l("Choose a decision."))],
    )
    reason = TextAreaField(
        _l("Reason (required when rejecting; the proposer will read it)"),
        validators=[Optional(), Length(max=2000), NoControlChars()],
        filters=[strip_filter],
    )
    submit = SubmitField(_l("Save the decision"))


class LibraryFilterForm(FilterForm):
    q = SearchField(_l("Search words"), validators=[Optional(), Length(max=200), NoControlChars()], filters=[strip_filter])
    type = SelectField(_l("Type"), choices=_type_choices(_l("All types")), default="", validators=[Optional()])
    role = SelectField(_l("OSL role"), choices=_role_choices(_l("All roles")), default="", validators=[Optional()])
    topic = SelectField(_l("Topic"), default="", validators=[Optional()])

    def fill(self, topics: list[str]) -> FilterForm:
        self.topic.choices = [SelectChoice("", _l("All topics"))] + [SelectChoice(t, t) for t in topics]
        return self.filter()
