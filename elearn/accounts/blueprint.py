"""The accounts blueprint: every URL of the domain, the login manager hooks and the menu entry, in one place."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core.audit import register_actions, register_target_page
from ..core.registry import DashboardPanel, NavItem, registry
from ..extensions import login_manager
from . import services, views
from .models import ADMIN, COORDINATOR

bp = Blueprint("accounts", __name__, template_folder="templates")

bp.add_url_rule("/login", "login", views.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", views.logout, methods=["POST"])
bp.add_url_rule("/register", "register", views.register, methods=["GET", "POST"])
bp.add_url_rule("/register/confirm/<token>", "confirm_email", views.confirm_email, methods=["GET"])
bp.add_url_rule("/password-reset", "reset_request", views.reset_request, methods=["GET", "POST"])
bp.add_url_rule("/password-reset/<token>", "reset_password", views.reset_password, methods=["GET", "POST"])
bp.add_url_rule("/account", "account", views.account, methods=["GET", "POST"])
bp.add_url_rule("/account/sessions", "logout_other_devices", views.logout_other_devices, methods=["POST"])
bp.add_url_rule("/account/password", "change_password", views.change_password, methods=["GET", "POST"])
bp.add_url_rule("/account/data.json", "export_data", views.export_data, methods=["GET"])
bp.add_url_rule("/account/delete", "erase", views.erase, methods=["GET", "POST"])
bp.add_url_rule("/admin/users", "users", views.users, methods=["GET"])
bp.add_url_rule("/admin/users/new", "user_new", views.user_new, methods=["GET", "POST"])
bp.add_url_rule("/admin/users/<int:user_id>", "user_edit", views.user_edit, methods=["GET", "POST"])
bp.add_url_rule("/institution-requests", "membership_requests", views.membership_requests, methods=["GET"])
bp.add_url_rule("/admin/institution-requests", "admin_membership_requests", views.admin_membership_requests, methods=["GET"])
bp.add_url_rule("/account/institution-proposal", "propose_institution", views.propose_institution, methods=["GET", "POST"])
bp.add_url_rule("/admin/institution-proposals", "institution_proposals", views.institution_proposals, methods=["GET"])
bp.add_url_rule("/admin/institution-proposals/<int:proposal_id>", "decide_proposal", views.decide_proposal, methods=["POST"])
bp.add_url_rule("/institution-requests/<int:request_id>", "decide_membership", views.decide_membership, methods=["POST"])

login_manager.login_message = _l("Log in to see this page.")
login_manager.user_loader(views.load_user)
registry.actor_labels = services.actor_labels  # the audit log names who acted
registry.add_nav(NavItem("accounts.users", _l("Users"), roles=(ADMIN,), order=90))
registry.add_nav(NavItem("accounts.membership_requests", _l("Membership requests"), roles=(COORDINATOR,), order=85))
registry.add_nav(NavItem("accounts.admin_membership_requests", _l("Membership requests"), roles=(ADMIN,), order=91))
registry.add_panel(DashboardPanel("accounts/_coordinator_panel.html", views.coordinator_panel, roles=(COORDINATOR,), order=7))
registry.add_panel(DashboardPanel("accounts/_admin_panel.html", views.admin_panel, roles=(ADMIN,), order=4))
register_actions(
    {
        "user.activate": _l("Account activated"),
        "user.deactivate": _l("Account deactivated"),
        "user.confirm_email": _l("E-mail address confirmed"),
        "user.create": _l("Account created"),
        "user.erase": _l("Account erased"),
        "user.institution": _l("Institution changed by an administrator"),
        "user.profile": _l("Name, e-mail or job title changed"),
        "user.roles": _l("Roles changed"),
        "membership.accept": _l("Membership request accepted"),
        "membership.decline": _l("Membership request declined"),
        "membership.cancel": _l("Membership request cancelled"),
        "membership.request": _l("Membership requested"),
        "institution.propose": _l("Institution proposed"),
        "institution.proposal_accept": _l("Proposed institution added"),
        "institution.proposal_decline": _l("Proposed institution declined"),
    }
)  # the audit log names the actions in words
register_target_page("User", "accounts.user_edit", "user_id", _l("Account"))
registry.add_nav(NavItem("accounts.institution_proposals", _l("Proposed institutions"), roles=(ADMIN,), order=92))
