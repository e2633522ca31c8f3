"""Local governments' adopted plans (LPDI, SRPS): ROPS staff record, correct and remove them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.errors import or_404
from ..core.roles import ADMIN, ISSUER
from ..core.security import role_required
from ..extensions import db
from .forms import DeleteForm, LocalPlanForm
from .services import local_plans


def _save(found, form: LocalPlanForm):
    data = {name: getattr(form, name).data for name in local_plans.FIELDS}
    try:
        local_plans.save_plan(db.session, found, data, actor_id=current_user.id)
    except local_plans.PlanError as exc:
        db.session.rollback()
        exc.add_to(form.unit_id)
        return None
    db.session.commit()
    flash(_("The plan has been recorded."), "success")
    return redirect(url_for("analytics.local_plans"))


@role_required(ISSUER, ADMIN)
def plans():
    form = LocalPlanForm().fill(local_plans.unit_options(db.session))
    if form.validate_on_submit() and (done := _save(None, form)) is not None:
        return done
    return render_template(
        "analytics/local_plans.html",
        form=form,
        plans=local_plans.plans(db.session),
        governments=local_plans.local_governments(db.session),
        delete_form=DeleteForm(),
    )


@role_required(ISSUER, ADMIN)
def edit_plan(plan_id: int):
    found = or_404(local_plans.plan(db.session, plan_id))
    form = LocalPlanForm(obj=found).fill(local_plans.unit_options(db.session))
    if form.validate_on_submit() and (done := _save(found, form)) is not None:
        return done
    return render_template("analytics/local_plan_edit.html", form=form, plan=found)


@role_required(ISSUER, ADMIN)
def delete_plan(plan_id: int):
    found = or_404(local_plans.plan(db.session, plan_id))
    if not DeleteForm().validate_on_submit():
        abort(400)
    local_plans.delete_plan(db.session, found, actor_id=current_user.id)
    db.session.commit()
    flash(_("The record has been removed."), "success")
    return redirect(url_for("analytics.local_plans"))
