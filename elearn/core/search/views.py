"""The platform's one search page."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...extensions import db
from ..security import role_required
from . import services
from .forms import SearchForm
from .registry import filter_choices, kinds

PER_PAGE = 20


@role_required()
def index():
    form = SearchForm(request.args)
    kind_labels = {k.name: k.label for k in kinds()}
    form.kind.choices = [("", _l("Everything")), *kind_labels.items()]
    form.role.choices = [("", _l("All roles")), *filter_choices(db.session, "role")]
    form.course.choices = [("", _l("All courses")), *filter_choices(db.session, "course")]
    results = None
    if form.q.data and form.validate():
        course = form.course.data
        results = services.search(
            db.session, current_user, form.q.data, kind=form.kind.data or None, role=form.role.data or None,
            course_id=int(course) if course else None, page=request.args.get("page", 1, type=int) or 1, per_page=PER_PAGE,
        )  # fmt: skip
    filters = {name: form[name].data for name in ("q", "kind", "role", "course") if form[name].data}
    all_kinds = {name: value for name, value in filters.items() if name != "kind"}
    return render_template("search/index.html", form=form, results=results, kind_labels=kind_labels, filters=filters, all_kinds=all_kinds)
