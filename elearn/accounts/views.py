"""Login, registration, password, account page, RODO export/erase, and user administration."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import or_, select

from ..core.mail import send_mail
from ..core.pagination import paginate
from ..core.registry import NavItem, registry
from ..core.security import is_safe_next, role_required
from ..core.urls import external_url
from ..directory.services import grouped_institution_choices, institution_choices
from ..extensions import db, limiter, login_manager
from . import services
from .forms import (
    EraseAccountForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
    UserRolesForm,
    UserSearchForm,
)
from .models import ADMIN, ROLE_LABELS, User, UserRole

bp = Blueprint("accounts", __name__, template_folder="templates")

login_manager.login_message = _l("Log in to see this page.")
registry.add_nav(NavItem("accounts.users", _l("Users"), roles=(ADMIN,), order=90))
registry.actor_labels = services.actor_labels  # the audit log names who acted


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_RESET"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Incorrect e-mail address or password."))
        else:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("core.dashboard"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@role_required()
def logout():
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("core.index"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = RegistrationForm()
    form.institution_id.choices = grouped_institution_choices(db.session)
    if form.validate_on_submit():
        if services.email_taken(db.session, form.email.data):
            form.email.errors.append(_("An account with this e-mail address already exists. Log in or reset your password."))
        else:
            user = services.register_learner(
                db.session,
                email=form.email.data,
                full_name=form.full_name.data,
                password=form.password.data,
                institution_id=form.institution_id.data,
                job_title=form.job_title.data,
            )
            db.session.commit()
            login_user(user)
            flash(_("Welcome! Your account has been created."), "success")
            return redirect(url_for("core.dashboard"))
    return render_template("accounts/register.html", form=form)


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(db.session, form.email.data)
        if user is not None and user.is_active:
            token = services.make_reset_token(user)
            link = external_url("accounts.reset_password", token=token)
            minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
            send_mail(
                user.email,
                _("Password reset in elearn"),
                render_template("accounts/email/reset.txt", user=user, link=link, minutes=minutes),
            )
        # The same answer whether or not the address exists.
        flash(_("If an account with this address exists, we have sent a link to set a new password. Check your mailbox."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token: str):
    user = services.user_for_reset_token(db.session, token)
    if user is None:
        flash(_("The link is invalid, expired or has already been used. Ask for a new one."), "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(db.session, user, form.password.data)
        db.session.commit()
        flash(_("Your password has been changed. You can log in now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@role_required()
def account():
    form = ProfileForm(obj=current_user)
    form.institution_id.choices = grouped_institution_choices(db.session)
    if form.validate_on_submit():
        current_user.full_name = form.full_name.data
        current_user.job_title = form.job_title.data
        current_user.institution_id = form.institution_id.data
        db.session.commit()
        flash(_("Your details have been saved."), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form, role_labels=ROLE_LABELS)


@bp.route("/account/password", methods=["GET", "POST"])
@role_required()
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not services.check_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("The current password is incorrect."))
        else:
            services.set_password(db.session, current_user, form.password.data)
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.get("/account/data.json")
@role_required()
def export_data():
    payload = json.dumps(services.export_personal_data(current_user), ensure_ascii=False, indent=2, default=str)
    return Response(
        payload,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="elearn-dane-{current_user.id}.json"'},
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@role_required()
def erase():
    form = EraseAccountForm()
    if form.validate_on_submit():
        if not services.check_password(current_user, form.password.data):
            form.password.errors.append(_("The password is incorrect."))
        else:
            user = current_user._get_current_object()
            logout_user()
            services.erase_account(db.session, user, actor_id=user.id)
            db.session.commit()
            flash(_("Your account has been deleted and your personal data anonymised."), "success")
            return redirect(url_for("core.index"))
    return render_template("accounts/erase.html", form=form)


# --- administration --------------------------------------------------------------------------------------


@bp.get("/admin/users")
@role_required(ADMIN)
def users():
    form = UserSearchForm(request.args)
    query = select(User).where(User.erased_at.is_(None)).order_by(User.full_name)
    if form.validate():
        if form.q.data:
            like = f"%{form.q.data.lower()}%"
            query = query.where(or_(User.email.like(like), User.full_name.ilike(like)))
        if form.role.data:
            query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == form.role.data)))
    page = paginate(query, per_page=25)
    return render_template("accounts/users.html", form=form, page=page, role_labels=ROLE_LABELS)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required(ADMIN)
def user_edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if user.erased_at is not None:
        abort(404)
    form = UserRolesForm(data={"roles": sorted(user.roles), "institution_id": user.institution_id or 0, "active": user.active})
    form.institution_id.choices = [(0, _("— none —")), *institution_choices(db.session)]
    if form.validate_on_submit():
        if user.id == current_user.id and (ADMIN not in form.roles.data or not form.active.data):
            flash(_("You cannot remove your own administrator role or deactivate yourself."), "error")
        else:
            services.set_roles(db.session, user, set(form.roles.data), actor_id=current_user.id)
            services.set_active(db.session, user, form.active.data, actor_id=current_user.id)
            services.set_institution(db.session, user, form.institution_id.data or None, actor_id=current_user.id)
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("accounts.user_edit", user_id=user.id))
    return render_template("accounts/user_edit.html", form=form, user=user, role_labels=ROLE_LABELS)
