"""The certificates blueprint: every URL of the domain (issuing, register, public verification), its menu entries
and dashboard panel, in one place."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core.audit import register_actions, register_target_page
from ..core.registry import DashboardPanel, NavItem, PersonFact, registry
from ..core.roles import ADMIN, ISSUER, LEARNER
from . import services, views, views_badges, views_roles

bp = Blueprint("certificates", __name__, template_folder="templates")

bp.add_url_rule("/certificates/queue", "queue", views.queue, methods=["GET"])
bp.add_url_rule("/certificates/issue", "issue", views.issue, methods=["POST"])
bp.add_url_rule("/certificates/reject/<int:user_id>/<int:course_id>", "reject", views.reject, methods=["GET", "POST"])
bp.add_url_rule("/certificates/bulk", "bulk_issue", views.bulk_issue, methods=["POST"])
bp.add_url_rule("/certificates/jobs/<int:job_id>", "job", views.job, methods=["GET"])
bp.add_url_rule("/certificates/jobs/<int:job_id>.json", "job_status", views.job_status, methods=["GET"])
bp.add_url_rule("/certificates/jobs/<int:job_id>/resume", "job_resume", views.job_resume, methods=["POST"])
bp.add_url_rule("/certificates/jobs/<int:job_id>/zip", "job_zip", views.job_zip, methods=["GET"])
bp.add_url_rule("/certificates/register", "register", views.register, methods=["GET"])
bp.add_url_rule("/certificates/register.csv", "register_csv", views.register_csv, methods=["GET"])
bp.add_url_rule("/certificates/register.xlsx", "register_xlsx", views.register_xlsx, methods=["GET"])
bp.add_url_rule("/certificates/<int:certificate_id>", "detail", views.detail, methods=["GET"])
bp.add_url_rule("/certificates/<int:certificate_id>/revoke", "revoke", views.revoke, methods=["POST"])
bp.add_url_rule("/certificates/<int:certificate_id>/reissue", "reissue", views.reissue, methods=["POST"])
bp.add_url_rule("/certificates/<int:certificate_id>/pdf", "pdf", views.pdf, methods=["GET"])
bp.add_url_rule("/certificates/<int:certificate_id>/badge.json", "badge_download", views.badge_download, methods=["GET"])
bp.add_url_rule("/certificates/mine", "mine", views.mine, methods=["GET"])
bp.add_url_rule("/certificates/request/<slug>", "request_certificate", views.request_certificate, methods=["GET", "POST"])
bp.add_url_rule("/certificates/branding", "branding", views.branding, methods=["GET", "POST"])
bp.add_url_rule("/certificates/branding/logo", "branding_logo", views.branding_logo, methods=["GET"])
bp.add_url_rule("/certificates/roles/issue", "issue_roles", views_roles.issue_roles, methods=["POST"])
bp.add_url_rule("/certificates/roles/bulk", "bulk_issue_role", views_roles.bulk_issue_role, methods=["POST"])
bp.add_url_rule("/certificates/roles/settings", "role_settings", views_roles.role_settings, methods=["GET", "POST"])
bp.add_url_rule("/certificates/roles/reject/<int:user_id>/<role_code>", "reject_role", views_roles.reject_role, methods=["GET", "POST"])
bp.add_url_rule("/certificates/roles/<role_code>/request", "request_role", views_roles.request_role, methods=["GET", "POST"])
bp.add_url_rule("/certificates/<int:certificate_id>/keep", "keep_certificate", views_roles.keep_certificate, methods=["POST"])
bp.add_url_rule("/verify/<code>", "verify", views.verify, methods=["GET"])
bp.add_url_rule("/verify/<code>/badge.json", "verify_badge", views.verify_badge, methods=["GET"])
bp.add_url_rule("/verify/<code>/badge.jwt", "verify_badge_jwt", views_badges.verify_badge_jwt, methods=["GET"])
bp.add_url_rule("/verify", "verify_form", views.verify_form, methods=["GET", "POST"])
bp.add_url_rule("/certificates/<int:certificate_id>/badge.jwt", "badge_jwt_download", views_badges.badge_jwt_download, methods=["GET"])
bp.add_url_rule("/ob/issuer", "badge_issuer", views_badges.issuer_profile, methods=["GET"])
bp.add_url_rule("/ob/keys/<kid>", "badge_key", views_badges.public_key, methods=["GET"])
bp.add_url_rule("/.well-known/jwks.json", "jwks", views_badges.jwks, methods=["GET"])
bp.add_url_rule("/ob/status/revocation", "status_list", views_badges.status_list, methods=["GET"])

registry.add_nav(NavItem("certificates.queue", _l("Certificate queue"), roles=(ISSUER,), order=60))
registry.add_nav(NavItem("certificates.register", _l("Certificate register"), roles=(ISSUER, ADMIN), order=61))
registry.add_nav(NavItem("certificates.mine", _l("My certificates"), roles=(LEARNER,), order=40))
registry.add_nav(NavItem("certificates.branding", _l("Certificate branding"), roles=(ADMIN,), order=92))
registry.add_panel(DashboardPanel("certificates/_panel.html", views.learner_panel, roles=(LEARNER,), order=30))
registry.add_panel(DashboardPanel("certificates/_issuer_panel.html", views.issuer_panel, roles=(ISSUER,), order=5))
registry.add_person_fact(PersonFact("certificates", _l("Certificates"), services.valid_certificates_text, order=10))
registry.add_nav(NavItem("certificates.role_settings", _l("Role certificate validity"), roles=(ADMIN,), order=93))
role_section = DashboardPanel("certificates/_role_section.html", views_roles.profile_section, roles=(LEARNER,), order=10)
registry.add_slot("competencies.profile", role_section)
registry.add_slot("certificates.mine", role_section)
register_actions(
    {
        "certificates.branding": _l("Certificate branding changed"),
        "certificates.bulk": _l("Certificates issued in bulk"),
        "certificates.bulk_resume": _l("Bulk issue resumed"),
        "certificates.issue": _l("Certificate issued"),
        "certificates.mine": _l("Certificate requested"),
        "certificates.reissue": _l("Certificate re-issued"),
        "certificates.reject": _l("Certificate request rejected"),
        "certificates.review_keep": _l("Certificate kept after review"),
        "certificates.revoke": _l("Certificate revoked"),
        "certificates.role_validity": _l("Validity of role certificates changed"),
    }
)  # the audit log names the actions in words
register_target_page("Certificate", "certificates.detail", "certificate_id", _l("Certificate"))
