"""Thin views of the regional training-needs analysis for ROPS staff."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from ..competencies.services.framework import competences_by_code, current_framework, roles
from ..core.exports import CSV_MIMETYPE, XLSX_MIMETYPE, download
from ..core.roles import ADMIN, ISSUER
from ..core.security import role_required
from ..directory.models import INSTITUTION_TYPES
from ..extensions import db
from .forms import NeedsExportForm, NeedsFilterForm
from .services import needs as needs_service
from .services.export import export_needs
from .services.heatmap import layout

SHORT_TYPES = {"SDS": "ŚDS", "OTHER": "inne"}


def _scope(form: NeedsFilterForm) -> needs_service.Scope:
    powiat = form.powiat.data
    return needs_service.Scope(
        role=form.role.data or "",
        area=form.area.data or "",
        competence=form.competence.data or "",
        institution_type=form.institution_type.data or "",
        powiat_id=int(powiat) if powiat else None,
    )


def _filter_form() -> NeedsFilterForm:
    framework = current_framework(db.session)
    areas = framework.areas if framework else []
    competences = competences_by_code(db.session).values()
    return NeedsFilterForm().fill(roles(db.session), areas, competences, needs_service.powiat_names(db.session))


@role_required(ISSUER, ADMIN)
def needs():
    form = _filter_form()
    scope = _scope(form)
    analysis = needs_service.analyse(db.session, scope)
    if scope.powiat_id is None:
        assessed = needs_service.heat_table(analysis)
        selfs = needs_service.heat_table(analysis, self_assessed=True)
        labels = [needs_service.row_label(analysis, r) for r in assessed.rows]
    else:
        assessed = needs_service.competence_table(analysis)
        selfs = needs_service.competence_table(analysis, self_assessed=True)
        names = competences_by_code(db.session)
        labels = [f"{c} {names[c].name}" if c in names else c for c in assessed.rows]
    col_labels = [SHORT_TYPES.get(c, c) for c in assessed.cols]
    return render_template(
        "analytics/needs.html",
        form=form,
        scope=scope,
        analysis=analysis,
        assessed=assessed,
        selfs=selfs,
        label_of=dict(zip(assessed.rows, labels, strict=True)),
        col_labels=col_labels,
        type_labels={c: str(INSTITUTION_TYPES[c]) for c in assessed.cols},
        heatmap=layout(assessed, labels, col_labels),
        ranked=needs_service.ranked_gaps(db.session, analysis),
        export_form=NeedsExportForm(),
    )


@role_required(ISSUER, ADMIN)
def needs_export():
    """The filters come from the query string (the page's current view), the file's shape from the POSTed form."""
    form = NeedsExportForm()
    if not form.validate_on_submit():
        abort(400)
    scope = _scope(_filter_form())  # request.args: the page's filters travel in the form's action URL
    body = export_needs(db.session, scope, by=form.by.data, fmt=form.format.data, actor_id=current_user.id)
    db.session.commit()
    name = f"potrzeby-szkoleniowe-{form.by.data}.{form.format.data}"
    return download(body, name, CSV_MIMETYPE if form.format.data == "csv" else XLSX_MIMETYPE)
