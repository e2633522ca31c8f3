"""Login, registration, password, account page, RODO export/erase, and user administration."""

from __future__ import annotations

import json
import secrets

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from wtforms import SelectChoice

from ..core import throttle
from ..core.confirm import confirmation
from ..core.errors import or_404
from ..core.pagination import paginate
from ..core.security import is_safe_next, role_required
from ..directory.models import INSTITUTION_TYPES, INVITED_TYPES
from ..directory.services import (
    MissingInstitution,
    duplicate_institution_groups,
    gmina_choices,
    gmina_choices_grouped,
    grouped_institution_choices,
    powiat_by_code,
)
from ..extensions import db, limiter
from . import mails, services
from .forms import (
    EraseAccountForm,
    InstitutionProposalForm,
    LoginForm,
    LogoutEverywhereForm,
    MembershipDecisionForm,
    MembershipRequestsFilterForm,
    PasswordChangeForm,
    ProfileForm,
    ProposalDecisionForm,
    RegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
    UserCreateForm,
    UserRolesForm,
    UserSearchForm,
)
from .models import ACCEPTED, ADMIN, COORDINATOR, LEARNER, ROLE_LABELS, InstitutionMembership, InstitutionProposal, User
from .services import membership, proposals, sessions


def load_user(session_id: str) -> User | None:
    # The cookie holds "id:session token" (User.get_id); a token rotated since then no longer loads anyone.
    return sessions.user_for_session_id(db.session, session_id)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _relogin(user: User) -> None:
    """Give this browser a cookie with the new session token, keeping remember-me if it had it."""
    remembered = request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")) is not None
    login_user(user, remember=remembered)


def _password_guesses_exhausted(user: User) -> bool:
    return throttle.is_blocked("password-check", str(user.id), "RATELIMIT_PASSWORD_CHECK")


def _password_refused(user: User, field, wrong_message) -> bool:
    """Check a password typed to confirm an action: a wrong one counts towards the throttle and marks the field."""
    if services.check_password(user, field.data):
        return False
    throttle.record_failure("password-check", str(user.id), "RATELIMIT_PASSWORD_CHECK")
    field.errors.append(wrong_message)
    return True


TOO_MANY_PASSWORDS = _l("Too many wrong passwords. Wait a quarter of an hour and try again.")


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_RESET"]


def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        # Failures are counted, per client address and per account, so successful logins from one training
        # room never lock anyone out and guesses spread over many addresses still stop.
        address, email = request.remote_addr or "", services.normalise_email(form.email.data)
        if throttle.is_blocked("login-address", address, "RATELIMIT_LOGIN"):
            abort(429)
        if throttle.is_blocked("login-account", email, "RATELIMIT_LOGIN_ACCOUNT"):
            form.password.errors.append(_("Too many failed attempts to log in to this account. Wait a few minutes and try again."))
            return render_template("accounts/login.html", form=form), 429
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            throttle.record_failure("login-address", address, "RATELIMIT_LOGIN")
            throttle.record_failure("login-account", email, "RATELIMIT_LOGIN_ACCOUNT")
            form.password.errors.append(_("Incorrect e-mail address or password."))
        else:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("core.dashboard"))
    return render_template("accounts/login.html", form=form)


@role_required()
def logout():
    # A new session token makes every copy of this session's cookie (and remember-me cookies) worthless.
    sessions.end_all_sessions(db.session, current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("core.index"))


@limiter.limit(_login_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = RegistrationForm()
    form.institution_id.choices = grouped_institution_choices(db.session, missing=True)
    form.proposed_gmina_id.choices, form.gmina_powiats = gmina_choices_grouped(db.session)
    if form.validate_on_submit():
        missing = form.proposing()
        outcome, user = services.register_or_find(
            db.session,
            email=form.email.data,
            full_name=form.full_name.data,
            password=form.password.data,
            institution_id=None if missing else form.institution_id.data,
            job_title=form.job_title.data,
        )
        if outcome == "created":
            services.set_sex(db.session, user, form.sex.data, actor_id=user.id)
            services.set_birth_year(db.session, user, form.birth_year.data, actor_id=user.id)
            if missing:
                proposals.propose(
                    db.session, user, name=form.proposed_name.data, type_=missing.type, gmina_id=form.proposed_gmina_id.data,
                    street=None, postal_code=None, city=None, admin_url=url_for("accounts.institution_proposals"), announce=False,
                )  # fmt: skip
        db.session.commit()
        if outcome == "exists":
            mails.send_already_registered(user)
        else:
            mails.send_confirmation_link(user)
        # The same answer whether or not the address already had an account.
        flash(_("We have sent a message to %(email)s. Open the link in it to activate your account.", email=form.email.data), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form, invited=INVITED_TYPES, types=INSTITUTION_TYPES)


def confirm_email(token: str):
    user, newly_confirmed = services.confirm_email(db.session, token)
    if user is None:
        flash(_("The confirmation link is invalid or expired. Register again to get a new one."), "error")
        return redirect(url_for("accounts.login"))
    if newly_confirmed:
        proposals.announce_pending(db.session, user, url_for("accounts.institution_proposals"))
    db.session.commit()
    if not newly_confirmed:
        flash(_("Your e-mail address is already confirmed. Log in."), "info")
        return redirect(url_for("accounts.login"))
    login_user(user)
    flash(_("Your e-mail address has been confirmed. Welcome!"), "success")
    return redirect(url_for("core.dashboard"))


@limiter.limit(_reset_limit, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(db.session, form.email.data)
        if services.may_reset_password(user):
            mails.send_reset_link(user)
        # The same answer whether or not the address exists.
        flash(_("If an account with this address exists, we have sent a link to set a new password. Check your mailbox."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token: str):
    user = services.user_for_reset_token(db.session, token)
    if user is None:
        flash(_("The link is invalid, expired or has already been used. Ask for a new one."), "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(db.session, user, form.password.data)
        db.session.commit()
        flash(_("Your password has been changed. You can log in now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@role_required()
def account():
    user = current_user._get_current_object()
    open_request = membership.pending_request(db.session, user)
    form = ProfileForm(obj=user)
    form.institution_id.choices = grouped_institution_choices(db.session, missing=True)
    locked = not membership.may_request_change(user)
    if locked:
        del form.institution_id
    elif open_request is not None and request.method == "GET":
        form.institution_id.data = open_request.institution_id
    if form.validate_on_submit():
        chosen = None if locked else form.institution_id.data
        missing = chosen if isinstance(chosen, MissingInstitution) else None
        try:
            new_request = services.update_profile(
                db.session,
                user,
                full_name=form.full_name.data,
                job_title=form.job_title.data,
                institution_id=None if missing else chosen,
                actor_id=user.id,
            )
            services.set_sex(db.session, user, form.sex.data, actor_id=user.id)
            services.set_birth_year(db.session, user, form.birth_year.data, actor_id=user.id)
        except services.AccountError as exc:
            db.session.rollback()
            form.institution_id.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Your details have been saved."), "success")
            if missing:  # the entry "not on the list? propose one": the proposal form, its type and powiat filled in
                return redirect(url_for("accounts.propose_institution", typ=missing.type, powiat=missing.powiat_code))
            if new_request is not None and new_request is not open_request:
                flash(_("Your request to join %(name)s has been sent for confirmation.", name=new_request.institution.name), "info")
            return redirect(url_for("accounts.account"))
    return render_template(
        "accounts/account.html",
        form=form,
        role_labels=ROLE_LABELS,
        latest_request=membership.latest_request(db.session, user),
        institution_locked=locked,
        logout_form=LogoutEverywhereForm(),
    )


@role_required()
def logout_other_devices():
    form = LogoutEverywhereForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        sessions.end_all_sessions(db.session, user)
        db.session.commit()
        _relogin(user)
        flash(_("You have been logged out of all other devices."), "success")
    return redirect(url_for("accounts.account"))


@role_required()
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if _password_guesses_exhausted(user):
            form.current_password.errors.append(TOO_MANY_PASSWORDS)
            return render_template("accounts/change_password.html", form=form), 429
        if not _password_refused(user, form.current_password, _("The current password is incorrect.")):
            services.set_password(db.session, user, form.password.data)
            db.session.commit()
            _relogin(user)  # other devices are logged out; this one stays
            flash(_("Your password has been changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@role_required()
def export_data():
    payload = json.dumps(services.export_personal_data(current_user), ensure_ascii=False, indent=2, default=str)
    return Response(
        payload,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="elearn-dane-{current_user.id}.json"'},
    )


@role_required()
def erase():
    form = EraseAccountForm()
    if form.validate_on_submit():
        if _password_guesses_exhausted(current_user):
            form.password.errors.append(TOO_MANY_PASSWORDS)
            return render_template("accounts/erase.html", form=form), 429
        if not _password_refused(current_user, form.password, _("The password is incorrect.")):
            user = current_user._get_current_object()
            logout_user()
            services.erase_account(db.session, user, actor_id=user.id)
            db.session.commit()
            flash(_("Your account has been deleted and your personal data anonymised."), "success")
            return redirect(url_for("core.index"))
    return render_template("accounts/erase.html", form=form)


# --- administration --------------------------------------------------------------------------------------


@role_required(ADMIN)
def users():
    form = UserSearchForm().filter()
    query = services.users_query(text=form.q.data if not form.q.errors else None, role=form.role.data or None)
    page = paginate(query, per_page=25)
    return render_template("accounts/users.html", form=form, page=page, role_labels=ROLE_LABELS)


def _institution_field(form) -> None:
    form.institution_id.choices = grouped_institution_choices(db.session)  # the one picker (directory.forms.InstitutionField)


@role_required(ADMIN)
def user_edit(user_id: int):
    user = or_404(db.session.get(User, user_id))
    if user.erased_at is not None:
        abort(404)
    form = UserRolesForm(
        data={
            "full_name": user.full_name,
            "email": user.email,
            "job_title": user.job_title,
            "roles": sorted(user.roles),
            "institution_id": user.institution_id,
            "active": user.active,
        }
    )
    _institution_field(form)
    if form.validate_on_submit():
        if user.id == current_user.id and (ADMIN not in form.roles.data or not form.active.data):
            flash(_("You cannot remove your own administrator role or deactivate yourself."), "error")
        else:
            try:
                services.correct_identity(
                    db.session,
                    user,
                    full_name=form.full_name.data,
                    email=form.email.data,
                    job_title=form.job_title.data,
                    actor_id=current_user.id,
                )
            except services.AccountError as exc:
                db.session.rollback()
                exc.add_to(form.email)
                return render_template("accounts/user_edit.html", form=form, user=user, role_labels=ROLE_LABELS), 400
            services.set_roles(db.session, user, set(form.roles.data), actor_id=current_user.id)
            services.set_active(db.session, user, form.active.data, actor_id=current_user.id)
            services.set_institution(db.session, user, form.institution_id.data or None, actor_id=current_user.id)
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("accounts.user_edit", user_id=user.id))
    return render_template("accounts/user_edit.html", form=form, user=user, role_labels=ROLE_LABELS)


@role_required(ADMIN)
def user_new():
    """An administrator creates an account (confirmed, audited); the person sets a password from the e-mailed link."""
    form = UserCreateForm(data={"roles": [LEARNER], "institution_id": 0})
    _institution_field(form)
    if form.validate_on_submit():
        try:
            user = services.create_user(
                db.session,
                email=form.email.data,
                full_name=form.full_name.data,
                password=secrets.token_urlsafe(32),
                roles=form.roles.data,
                institution_id=form.institution_id.data or None,
                job_title=form.job_title.data,
                actor_id=current_user.id,
            )
        except services.AccountError as exc:
            db.session.rollback()
            exc.add_to(form.email)
        else:
            db.session.commit()
            mails.send_reset_link(user)
            flash(_("The account has been created. %(email)s received a link to set a password.", email=user.email), "success")
            return redirect(url_for("accounts.user_edit", user_id=user.id))
    return render_template("accounts/user_new.html", form=form), 400 if form.errors else 200


# --- institution membership ------------------------------------------------------------------------------


def coordinator_panel(user) -> dict:
    """The coordinator's dashboard: membership requests waiting for their decision."""
    return {"waiting": len(membership.requests_for_coordinator(db.session, user))}


def admin_panel(_user) -> dict:
    """The administrator's dashboard: membership requests (those no coordinator can decide apart) and institutions
    that look duplicated."""
    rows = membership.requests_for_admin(db.session)
    return {
        "waiting": len(rows),
        "orphaned": sum(1 for row in rows if not row.has_coordinator),
        "duplicates": len(duplicate_institution_groups(db.session)),
    }


@role_required(COORDINATOR)
def membership_requests():
    requests = membership.requests_for_coordinator(db.session, current_user)
    return render_template(
        "accounts/membership_requests.html",
        rows=[membership.AdminRequest(r, True) for r in requests],
        institution=current_user.institution,
        form=MembershipDecisionForm(),
        admin_view=False,
    )


@role_required(ADMIN)
def admin_membership_requests():
    orphaned = MembershipRequestsFilterForm().filter().orphaned.data
    return render_template(
        "accounts/membership_requests.html",
        rows=membership.requests_for_admin(db.session, without_coordinator_only=orphaned),
        institution=None,
        form=MembershipDecisionForm(),
        admin_view=True,
        orphaned=orphaned,
    )


@role_required(COORDINATOR, ADMIN)
def decide_membership(request_id: int):
    form = MembershipDecisionForm()
    back = url_for("accounts.admin_membership_requests" if current_user.has_role(ADMIN) else "accounts.membership_requests")
    if not form.validate_on_submit() or not (form.accept.data or form.decline.data):
        abort(400)
    row = or_404(db.session.get(InstitutionMembership, request_id))
    if not membership.may_decide(current_user, row):
        abort(404)
    if form.decline.data:
        page = confirmation(
            title=_("Decline the request of %(name)s?", name=row.user.full_name),
            consequence=_("The person stays outside the institution's team and is told so. To join later, they send a new request."),
            action=_("Decline"),
            cancel_url=back,
            summary=[(_("Person"), row.user.full_name), (_("Institution"), row.institution.name)],
        )
        if page is not None:
            return page
    try:
        membership.decide(db.session, row, accept=bool(form.accept.data), actor=current_user)
    except services.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    if row.status == ACCEPTED:
        flash(_("%(name)s is now a member of %(institution)s.", name=row.user.full_name, institution=row.institution.name), "success")
    else:
        flash(_("The request of %(name)s has been declined.", name=row.user.full_name), "info")
    return redirect(back)


# --- institutions missing from the list ---------------------------------------------------------------------------


@role_required()
def propose_institution():
    form = InstitutionProposalForm()
    powiat = powiat_by_code(db.session, request.args.get("powiat", ""))  # from the picker's "propose one" entry
    gminas = gmina_choices(db.session, powiat)
    form.gmina_id.choices = [SelectChoice("", _("— choose a gmina —")), *(SelectChoice(i, label) for i, label in gminas)]
    if request.method == "GET":
        form.type.data = request.args.get("typ") if request.args.get("typ") in INSTITUTION_TYPES else form.type.data
        if powiat is not None and len(gminas) == 1:
            form.gmina_id.data = gminas[0][0]
    waiting = proposals.pending_proposal(db.session, current_user.id)
    if waiting is None and form.validate_on_submit():
        try:
            proposals.propose(
                db.session, current_user._get_current_object(), name=form.name.data, type_=form.type.data, gmina_id=form.gmina_id.data,
                street=form.street.data, postal_code=form.postal_code.data, city=form.city.data,
                admin_url=url_for("accounts.institution_proposals"),
            )  # fmt: skip
        except services.AccountError as exc:
            db.session.rollback()
            exc.add_to(form.name)
        else:
            db.session.commit()
            flash(_("Thank you. An administrator will check the institution and add it to the list."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/propose_institution.html", form=form, waiting=waiting, powiat=powiat)


@role_required(ADMIN)
def institution_proposals():
    return render_template(
        "accounts/institution_proposals.html", rows=proposals.open_proposals(db.session), form=ProposalDecisionForm(),
        types=INSTITUTION_TYPES,
    )  # fmt: skip


@role_required(ADMIN)
def decide_proposal(proposal_id: int):
    form = ProposalDecisionForm()
    if not form.validate_on_submit() or not (form.accept.data or form.decline.data):
        abort(400)
    proposal = or_404(db.session.get(InstitutionProposal, proposal_id))
    back = url_for("accounts.institution_proposals")
    if form.decline.data:
        page = confirmation(
            title=_("Decline the proposed institution %(name)s?", name=proposal.name),
            consequence=_("The institution is not added and %(person)s is told so.", person=proposal.user.full_name),
            action=_("Decline"),
            cancel_url=back,
            summary=[(_("Institution"), proposal.name), (_("Proposed by"), proposal.user.full_name), (_("Gmina"), proposal.gmina.label)],
        )
        if page is not None:
            return page
    try:
        proposals.decide(db.session, proposal, accept=bool(form.accept.data), actor=current_user, account_url=url_for("accounts.account"))
    except services.AccountError as exc:
        db.session.rollback()
        exc.flash()
        return redirect(back)
    db.session.commit()
    if proposal.status == ACCEPTED:
        flash(_("%(name)s has been added; the request of %(person)s to join it waits for confirmation.", name=proposal.name,
                person=proposal.user.full_name), "success")  # fmt: skip
    else:
        flash(_("The proposal has been declined."), "info")
    return redirect(back)
