"""Institution administration."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.errors import or_404
from ..core.pagination import paginate
from ..core.roles import ADMIN
from ..core.security import role_required
from ..extensions import db
from . import services
from .forms import InstitutionFilterForm, InstitutionForm
from .models import GMINA, Institution


@role_required(ADMIN)
def institutions():
    form = InstitutionFilterForm().filter()
    query = services.institutions_query(text=form.q.data if not form.q.errors else None, type_=form.type.data or None)
    page = paginate(query, per_page=30)
    return render_template("directory/institutions.html", form=form, page=page)


def _edit(institution: Institution | None):
    form = InstitutionForm(obj=institution)
    form.location_id.choices = [(0, _("— not set —")), *services.unit_choices(db.session, (GMINA,))]
    form.served_area_id.choices = services.unit_choices(db.session)
    if request.method == "GET" and institution is not None:
        form.location_id.data = institution.location_id or 0
    if form.validate_on_submit():
        data = {field: getattr(form, field).data for field in services.INSTITUTION_FIELDS}
        data["location_id"] = data["location_id"] or None
        for key in ("street", "postal_code", "city", "regon"):
            data[key] = data[key] or None
        institution = services.save_institution(db.session, institution, data, actor_id=current_user.id)
        db.session.commit()
        flash(_("The institution has been saved."), "success")
        return redirect(url_for("directory.institutions"))
    return render_template("directory/institution_form.html", form=form, institution=institution)


@role_required(ADMIN)
def institution_new():
    return _edit(None)


@role_required(ADMIN)
def institution_edit(institution_id: int):
    institution = or_404(db.session.get(Institution, institution_id))
    return _edit(institution)
