"""Institution administration."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..core.errors import or_404
from ..core.pagination import paginate
from ..core.roles import ADMIN
from ..core.security import role_required
from ..extensions import db
from . import services
from .forms import InstitutionFilterForm, InstitutionForm, MergeForm
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


def _merge_form(group: services.DuplicateGroup, formdata=None) -> MergeForm:
    first, second = group.institutions[0], group.institutions[1]
    form = MergeForm(formdata=formdata, data={"kept_id": first.id, "merged_id": second.id}, prefix=f"g{first.id}")
    choices = [SelectChoice(i.id, f"{i.name} (#{i.id}, {i.served_area.label})") for i in group.institutions]
    form.kept_id.choices = form.merged_id.choices = choices
    return form


def _duplicates_page(status: int = 200, failed: MergeForm | None = None):
    groups = services.duplicate_institution_groups(db.session)
    forms = {}
    for group in groups:
        if group.same_place:
            form = _merge_form(group)
            if failed is not None and failed._prefix == form._prefix:
                form = failed
            forms[group.institutions[0].id] = form
    return render_template("directory/duplicates.html", groups=groups, forms=forms), status


@role_required(ADMIN)
def duplicates():
    return _duplicates_page()


@role_required(ADMIN)
def merge():
    """Merge two institutions of one duplicate group (same normalised name and gmina); audited."""
    group_id = request.form.get("group", type=int)
    group = next((g for g in services.duplicate_institution_groups(db.session) if g.same_place and g.institutions[0].id == group_id), None)
    if group is None:
        abort(404)
    form = _merge_form(group, request.form)
    if not form.validate_on_submit():
        return _duplicates_page(400, form)
    kept, merged = db.session.get(Institution, form.kept_id.data), db.session.get(Institution, form.merged_id.data)
    try:
        services.merge_institutions(db.session, kept, merged, actor_id=current_user.id)
    except services.MergeRefused as exc:
        db.session.rollback()
        exc.flash()
        return _duplicates_page(409)
    db.session.commit()
    flash(_("The institutions have been merged into %(name)s.", name=kept.name), "success")
    return redirect(url_for("directory.duplicates"))
