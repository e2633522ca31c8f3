"""The EU project indicators for a period against the project's targets."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..advisory.models import TOPICS
from ..core.exports import CSV_MIMETYPE, XLSX_MIMETYPE, download
from ..core.roles import ADMIN, ISSUER
from ..core.security import role_required
from ..core.timeutil import to_local, utcnow
from ..extensions import db
from .forms import IndicatorsFilterForm, ParticipantsExportForm
from .services.advisory import report as advisory_report
from .services.breakdowns import breakdowns
from .services.export import export_participants
from .services.indicators import indicators as compute

LABELS = {
    "persons": _l("Persons supported"),
    "institutions": _l("Institutions supported"),
    "places": _l("Training places"),
    "raised": _l("Persons who raised their qualifications"),
    "advisory": _l("Advisory cases closed (support to institutions)"),
    "lpdi": _l("Local governments with an adopted LPDI"),
}
BREAKDOWNS = {
    "sex": _l("Sex"),
    "age_band": _l("Age band"),
    "powiat": _l("Powiat"),
    "institution_type": _l("Institution type"),
    "role": _l("Role"),
}


@role_required(ISSUER, ADMIN)
def indicators():
    form = IndicatorsFilterForm().filter()
    start, end = _period(form)
    rows = compute(db.session, start, end, current_app.config.get("ANALYTICS_TARGETS"))
    return render_template(
        "analytics/indicators.html",
        form=form,
        rows=rows,
        labels=LABELS,
        start=start,
        end=end,
        breakdowns=breakdowns(db.session, start, end),
        breakdown_labels=BREAKDOWNS,
        export_form=ParticipantsExportForm(),
    )


@role_required(ISSUER, ADMIN)
def participants_export():
    """The period comes from the query string (the page's current view), the file format from the POSTed form."""
    export = ParticipantsExportForm()
    if not export.validate_on_submit():
        abort(400)
    start, end = _period(IndicatorsFilterForm().filter())
    body = export_participants(db.session, start, end, fmt=export.format.data, actor_id=current_user.id)
    db.session.commit()
    name = f"uczestnicy-{start.isoformat()}-{end.isoformat()}.{export.format.data}"
    return download(body, name, CSV_MIMETYPE if export.format.data == "csv" else XLSX_MIMETYPE)


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
