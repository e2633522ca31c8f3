"""The search form: a GET form (no CSRF: it changes nothing), choices filled per request from the registry."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from ..forms import NoControlChars, strip_filter


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search

    q = SearchField(_l("Search words"), validators=[Optional(), Length(max=200), NoControlChars()], filters=[strip_filter],
                    description=_l('Several words find texts with all of them; put a phrase in "quotation marks".'))  # fmt: skip
    kind = SelectField(_l("What"), validators=[Optional()])
    role = SelectField(_l("Professional role"), validators=[Optional()])
    course = SelectField(_l("Course"), validators=[Optional()])
