"""Role certificate pages: the learner's progress and request, the issuer's issue / reject / bulk issue, validity
settings, and the decision on certificates whose evidence was withdrawn."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..core.confirm import confirmation
from ..core.roles import ADMIN, ISSUER, LEARNER
from ..core.security import role_required
from ..extensions import db
from . import bulk, roles, services
from .forms import RejectForm, RequestCertificateForm, RoleBulkForm, role_validity_form
from .models import KEPT, VALID, Certificate
from .views import start_job


def progress_text(progress: roles.RoleProgress) -> str:
    """ "18 z 26 kompetencji potwierdzonych": the participle agrees with the number confirmed (1, 2–4, 5+ in Polish)."""
    return ngettext(
        "%(num)s of %(total)s competence confirmed",
        "%(num)s of %(total)s competences confirmed",
        progress.met_count,
        total=progress.total,
    )


def profile_section(user) -> dict | None:
    """The role certificates block on the learner's competence profile and certificates pages."""
    progress = roles.role_progress(db.session, user.id)
    if not progress:
        return None
    held = {c.role_code: c for c in services.certificates_of(db.session, user.id) if c.is_role and c.status == VALID}
    requests = {r.role_code: r for r in services.requests_of(db.session, user.id, kind="role")}
    return {
        "role_progress": [(p, progress_text(p)) for p in progress],
        "role_held": held,
        "role_requests": requests,
    }


# --- learner ------------------------------------------------------------------------------------------------------


@role_required(LEARNER)
def request_role(role_code: str):
    if roles.role_name(db.session, role_code) is None:
        abort(404)
    profile = services.issuer_profile(db.session)
    form = RequestCertificateForm(needs_date=profile.show_birth_date, needs_place=profile.show_birth_place)
    try:
        progress = roles.check_role_eligibility(db.session, current_user, role_code)
    except services.NotEligible as refusal:
        refusal.flash()
        return redirect(url_for("competencies.profile"))
    if form.validate_on_submit():
        roles.request_role_certificate(
            db.session,
            current_user,
            role_code,
            birth_date=form.birth_date.data if profile.show_birth_date else None,
            birth_place=form.birth_place.data if profile.show_birth_place else None,
        )
        db.session.commit()
        flash(_("Your request has been sent. You will find the certificate here once it is issued."), "success")
        return redirect(url_for("certificates.mine"))
    return render_template("certificates/request_role.html", form=form, progress=progress, profile=profile)


# --- issuer -------------------------------------------------------------------------------------------------------


def _role_pair(value: str) -> tuple[User, str] | None:
    user_id, _sep, role_code = value.partition(":")
    if not user_id.isdigit() or not role_code:
        return None
    user = db.session.get(User, int(user_id))
    return (user, role_code) if user else None


@role_required(ISSUER)
def issue_roles():
    """Issue one or a selection of role certificates; each in its own transaction."""
    selected = [p for p in (_role_pair(v) for v in request.form.getlist("selected_role")) if p]
    if not selected:
        flash(_("Select at least one person."), "error")
        return redirect(url_for("certificates.queue"))
    page = confirmation(
        title=_("Issue %(count)d certificate(s)?", count=len(selected)),
        consequence=_(
            "Each certificate gets a number in the register and can be verified publicly."
            " An issued certificate can only be revoked, not deleted."
        ),
        action=_("Issue the certificates"),
        cancel_url=url_for("certificates.queue"),
        items=[f"{user.full_name} — {roles.role_name(db.session, role_code)}" for user, role_code in selected],
        danger=False,
    )
    if page is not None:
        return page
    issued, refused = [], []
    for user, role_code in selected:
        try:
            certificate = roles.issue_role_certificate(db.session, user, role_code, issued_by_id=current_user.id)
            db.session.commit()
            issued.append(certificate.number)
        except services.NotEligible as refusal:
            db.session.rollback()
            refused.extend(refusal.errors)
        except IntegrityError:
            db.session.rollback()
            refused.append(_("already issued"))
    if issued:
        flash(_("Issued %(count)s certificate(s): %(numbers)s", count=len(issued), numbers=", ".join(issued)), "success")
    for message in refused:
        flash(message, "error")
    return redirect(url_for("certificates.queue"))


@role_required(ISSUER)
def reject_role(user_id: int, role_code: str):
    user = db.session.get(User, user_id) or abort(404)
    name = roles.role_name(db.session, role_code) or abort(404)
    form = RejectForm()
    if form.validate_on_submit():
        roles.reject_role(db.session, user, role_code, reason=form.reason.data, actor_id=current_user.id)
        db.session.commit()
        flash(_("The request was rejected."), "success")
        return redirect(url_for("certificates.queue"))
    return render_template("certificates/reject_role.html", form=form, person=user, role_name=name)


def role_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name, _profile in roles.certifiable_roles(db.session)]


@role_required(ISSUER)
def bulk_issue_role():
    form = RoleBulkForm()
    form.role_code.choices = role_choices()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("certificates.queue"))
    user_ids = roles.eligible_role_user_ids(db.session, form.role_code.data)
    if not user_ids:
        flash(_("Nobody is eligible for this role."), "info")
        return redirect(url_for("certificates.queue"))
    page = confirmation(
        title=_("Issue %(count)d certificate(s) in the background?", count=len(user_ids)),
        consequence=_(
            "Everyone eligible gets a numbered certificate in the register. An issued certificate can only be revoked, not deleted."
        ),
        action=_("Issue all eligible"),
        cancel_url=url_for("certificates.queue"),
        summary=[(_("Role"), roles.role_name(db.session, form.role_code.data)), (_("People"), len(user_ids))],
        danger=False,
    )
    if page is not None:
        return page
    job = bulk.create_role_job(
        db.session, form.role_code.data, user_ids=user_ids, send_email=form.send_email.data, requested_by_id=current_user.id
    )
    db.session.commit()
    start_job(job)
    return redirect(url_for("certificates.job", job_id=job.id))


@role_required(ISSUER, ADMIN)
def role_settings():
    choices = role_choices()
    form = role_validity_form(choices, roles.validity_settings(db.session), formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        for code, _name in choices:
            roles.set_validity(db.session, code, getattr(form, f"validity_{code}").data, actor_id=current_user.id)
        db.session.commit()
        flash(_("Certificate settings saved. They apply to certificates issued from now on."), "success")
        return redirect(url_for("certificates.role_settings"))
    fields = [getattr(form, f"validity_{code}") for code, _name in choices]
    return render_template("certificates/role_settings.html", form=form, fields=fields)


@role_required(ISSUER)
def keep_certificate(certificate_id: int):
    """The issuer looked at a certificate whose evidence was withdrawn and keeps it."""
    certificate = db.session.get(Certificate, certificate_id) or abort(404)
    if roles.close_reviews(db.session, certificate, decision=KEPT, actor_id=current_user.id):
        db.session.commit()
        flash(_("Certificate %(number)s stays valid; the review is closed.", number=certificate.number), "success")
    return redirect(url_for("certificates.queue"))
