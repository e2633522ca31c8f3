"""Validators shared by every domain's forms."""

from __future__ import annotations

import re
import unicodedata

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import ValidationError

_NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '’\-.]{1,2}[^\W\d_]+)*\.?$")


def _has_control_chars(value: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in value if ch not in "\n\r\t")


class MarkdownField(TextAreaField):
    """A textarea whose content is rendered as Markdown (core.markdown.render_markdown): the form_field macro puts
    the one formatting toolbar (templates/markdown_toolbar.html, static/js/markdown-toolbar.js) over it."""


class PersonName:
    """Letters (any alphabet), spaces, hyphens, apostrophes and dots only."""

    def __call__(self, form, field):
        value = (field.data or "").strip()
        if value and not _NAME_RE.match(value):
            raise ValidationError(_l("Use letters, spaces, hyphens and apostrophes only."))


class PlainText:
    """Single-line text without markup or control characters."""

    def __call__(self, form, field):
        value = field.data or ""
        if _has_control_chars(value) or "\n" in value or "\r" in value:
            raise ValidationError(_l("This field may not contain control characters or line breaks."))
        if "<" in value or ">" in value:
            raise ValidationError(_l("The characters < and > are not allowed here."))


class NoControlChars:
    def __call__(self, form, field):
        if _has_control_chars(field.data or ""):
            raise ValidationError(_l("This field may not contain control characters."))


class StrongPassword:
    def __call__(self, form, field):
        value = field.data or ""
        if len(value) < 10:
            raise ValidationError(_l("The password must have at least 10 characters."))
        if len(value) > 128:
            raise ValidationError(_l("The password may have at most 128 characters."))
        if value.strip() == "" or len(set(value)) < 4:
            raise ValidationError(_l("The password is too simple. Use a longer phrase with different characters."))


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


class FilterForm(FlaskForm):
    """Base of every GET search or filter form: reads the query string, has no CSRF token, and a choice that is
    absent or not offered falls back to its default silently, so a first visit or a stale link shows no error."""

    class Meta:
        csrf = False

    def __init__(self, formdata=None, **kwargs):
        super().__init__(request.args if formdata is None else formdata, **kwargs)

    def filter(self) -> FilterForm:
        """Validate; reset choice fields that failed to their default (text fields keep their message)."""
        self.validate()
        for field in self:
            if field.errors and isinstance(field, SelectFieldBase):
                field.data = field.default if field.default is not None else ""
                field.errors = []
        return self


class AuditFilterForm(FilterForm):
    """Audit log filter: the start of an action name, any text cut to 80 characters."""

    action = StringField(
        _l("Action starts with"),
        filters=[lambda v: v.strip()[:80] if isinstance(v, str) else ""],
        render_kw={"maxlength": 80},
    )
    target = StringField(
        _l("Record"),
        filters=[lambda v: v.strip()[:80] if isinstance(v, str) else ""],
        render_kw={"maxlength": 80},
        description=_l("For example User:12"),
    )
