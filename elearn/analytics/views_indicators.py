"""The EU project indicators for a period against the project's targets."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l

from ..advisory.models import TOPICS
from ..core.roles import ADMIN, ISSUER
from ..core.security import role_required
from ..core.timeutil import to_local, utcnow
from ..extensions import db
from .forms import IndicatorsFilterForm
from .services.advisory import report as advisory_report
from .services.indicators import indicators as compute

LABELS = {
    "persons": _l("Persons supported"),
    "institutions": _l("Institutions supported"),
    "places": _l("Training places"),
    "raised": _l("Persons who raised their qualifications"),
    "advisory": _l("Advisory cases closed (support to institutions)"),
}


@role_required(ISSUER, ADMIN)
def indicators():
    form = IndicatorsFilterForm().filter()
    start, end = _period(form)
    rows = compute(db.session, start, end, current_app.config.get("ANALYTICS_TARGETS"))
    return render_template("analytics/indicators.html", form=form, rows=rows, labels=LABELS, start=start, end=end)


def _period(form) -> tuple[date, date]:
    today = to_local(utcnow()).date()
    start = form.start.data if form.start.data and not form.start.errors else date(today.year, 1, 1)
    end = form.end.data if form.end.data and not form.end.errors else today
    return (end, start) if end < start else (start, end)


@role_required(ISSUER, ADMIN)
def advisory():
    """Advisory cases by powiat and topic, suppressed; the advisors' hours by topic."""
    form = IndicatorsFilterForm().filter()
    start, end = _period(form)
    found = advisory_report(db.session, start, end)
    return render_template("analytics/advisory.html", form=form, report=found, start=start, end=end, topics=TOPICS)
