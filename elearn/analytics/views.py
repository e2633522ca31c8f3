"""Thin views of the regional training-needs analysis for ROPS staff."""

from __future__ import annotations

from flask import render_template

from ..competencies.services.framework import competences_by_code, current_framework, roles
from ..core.roles import ADMIN, ISSUER
from ..core.security import role_required
from ..directory.models import INSTITUTION_TYPES
from ..extensions import db
from .forms import NeedsFilterForm
from .services import needs as needs_service
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
    )
