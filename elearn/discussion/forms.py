"""Forms of the discussion: threads, replies, edits, moderation reasons, forums, messages, the contacts filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..core.forms import FilterForm, MarkdownField, NoControlChars, PlainText, strip_filter
from .services.posting import MAX_BODY, MAX_FILES

MARKDOWN_HINT = _l("You can use Markdown: **bold**, *italics*, lists, links. Raw HTML is not allowed.")
FILES_HINT = _l("Up to %(max)s files: PDF, DOCX, ODT, XLSX, PNG or JPEG, up to 5 MB each.", max=MAX_FILES)


class ThreadForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give the thread a title.")), Length(max=200), PlainText()], filters=[strip_filter]
    )
    body = MarkdownField(
        _l("Your question or post"), validators=[DataRequired(_l("Write something first.")), Length(max=MAX_BODY), NoControlChars()],
        filters=[strip_filter], description=MARKDOWN_HINT,
    )  # fmt: skip
    lesson = HiddenField()
    files = MultipleFileField(_l("Attach files"), description=FILES_HINT)
    submit = SubmitField(_l("Start the thread"))


class ReplyForm(FlaskForm):
    body = MarkdownField(
        _l("Your reply"), validators=[DataRequired(_l("Write something first.")), Length(max=MAX_BODY), NoControlChars()],
        filters=[strip_filter], description=MARKDOWN_HINT,
    )  # fmt: skip
    quote = HiddenField()
    files = MultipleFileField(_l("Attach files"), description=FILES_HINT)
    submit = SubmitField(_l("Post the reply"))


class EditForm(FlaskForm):
    body = MarkdownField(
        _l("Text of the post"), validators=[DataRequired(_l("Write something first.")), Length(max=MAX_BODY), NoControlChars()],
        filters=[strip_filter], description=MARKDOWN_HINT,
    )  # fmt: skip
    submit = SubmitField(_l("Save the change"))


class ReasonForm(FlaskForm):
    reason = StringField(
        _l("Reason"), validators=[DataRequired(_l("Give a reason.")), Length(max=300), PlainText()], filters=[strip_filter]
    )
    submit = SubmitField(_l("Confirm"))


class ForumForm(FlaskForm):
    title = StringField(
        _l("Forum title"), validators=[DataRequired(_l("Give the forum a title.")), Length(max=200), PlainText()], filters=[strip_filter]
    )
    description = TextAreaField(_l("What the forum is for"), validators=[Length(max=2000), NoControlChars()], filters=[strip_filter])
    submit = SubmitField(_l("Create the forum"))


class MessageForm(FlaskForm):
    body = MarkdownField(
        _l("Message"), validators=[DataRequired(_l("Write something first.")), Length(max=5000), NoControlChars()],
        filters=[strip_filter], description=MARKDOWN_HINT,
    )  # fmt: skip
    submit = SubmitField(_l("Send"))


class ContactFilterForm(FilterForm):
    q = StringField(_l("Name"), filters=[lambda v: v.strip()[:80] if isinstance(v, str) else ""], render_kw={"maxlength": 80})


class ButtonForm(FlaskForm):
    """A CSRF-protected button (subscribe, mark answer, unlock, block…)."""
