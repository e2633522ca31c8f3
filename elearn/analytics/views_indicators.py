"""The EU project indicators for a period against the project's targets."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l

from ..core.roles import ADMIN, ISSUER
from ..core.security import role_required
from ..core.timeutil import to_local, utcnow
from ..extensions import db
from .forms import IndicatorsFilterForm
from .services.indicators import indicators as compute

LABELS = {
    "persons": _l("Persons supported"),
    "institutions": _l("Institutions supported"),
    "places": _l("Training places"),
    "raised": _l("Persons who raised their qualifications"),
}


@role_required(ISSUER, ADMIN)
def indicators():
    form = IndicatorsFilterForm().filter()
    today = to_local(utcnow()).date()
    start = form.start.data if form.start.data and not form.start.errors else date(today.year, 1, 1)
    end = form.end.data if form.end.data and not form.end.errors else today
    if end < start:
        start, end = end, start
    rows = compute(db.session, start, end, current_app.config.get("ANALYTICS_TARGETS"))
    return render_template("analytics/indicators.html", form=form, rows=rows, labels=LABELS, start=start, end=end)
