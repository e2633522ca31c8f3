"""The analytics blueprint: read-only pages for ROPS staff; its menu entry."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core.audit import register_actions
from ..core.registry import NavItem, registry
from ..core.roles import ADMIN, COORDINATOR, ISSUER, TRAINER
from . import views, views_courses, views_indicators, views_plans, views_reported

bp = Blueprint("analytics", __name__, template_folder="templates", url_prefix="/analytics")

bp.add_url_rule("/needs", "needs", views.needs, methods=["GET"])
bp.add_url_rule("/needs/export", "needs_export", views.needs_export, methods=["POST"])
bp.add_url_rule("/reported-needs", "rounds", views_reported.rounds, methods=["GET", "POST"])
bp.add_url_rule("/reported-needs/<int:year>", "round_overview", views_reported.round_overview, methods=["GET"])
bp.add_url_rule("/reported-needs/submit", "submit", views_reported.submit, methods=["GET", "POST"])
bp.add_url_rule("/indicators", "indicators", views_indicators.indicators, methods=["GET"])
bp.add_url_rule("/indicators/participants", "participants_export", views_indicators.participants_export, methods=["POST"])
bp.add_url_rule("/advisory", "advisory", views_indicators.advisory, methods=["GET"])
bp.add_url_rule("/courses", "courses", views_courses.courses, methods=["GET"])
bp.add_url_rule("/courses/<slug>", "course", views_courses.course, methods=["GET"])
bp.add_url_rule("/local-plans", "local_plans", views_plans.plans, methods=["GET", "POST"])
bp.add_url_rule("/local-plans/<int:plan_id>", "edit_local_plan", views_plans.edit_plan, methods=["GET", "POST"])
bp.add_url_rule("/local-plans/<int:plan_id>/delete", "delete_local_plan", views_plans.delete_plan, methods=["POST"])

registry.add_nav(NavItem("analytics.needs", _l("Training needs"), roles=(ISSUER, ADMIN), order=60))
registry.add_nav(NavItem("analytics.rounds", _l("Reported needs"), roles=(ISSUER, ADMIN), order=62))
registry.add_nav(NavItem("analytics.submit", _l("Report training needs"), roles=(COORDINATOR,), order=86))
registry.add_nav(NavItem("analytics.indicators", _l("Project indicators"), roles=(ISSUER, ADMIN), order=63))
registry.add_nav(NavItem("analytics.advisory", _l("Advice by powiat"), roles=(ISSUER, ADMIN), order=65))
registry.add_nav(NavItem("analytics.courses", _l("Course analytics"), roles=(TRAINER, ADMIN), order=67))
registry.add_nav(NavItem("analytics.local_plans", _l("Local plans (LPDI, SRPS)"), roles=(ISSUER, ADMIN), order=66))
register_actions(
    {
        "analytics.indicators_export": _l("Indicators exported"),
        "analytics.participants_export": _l("Participant monitoring data exported"),
        "analytics.local_plan_save": _l("Local plan recorded"),
        "analytics.local_plan_delete": _l("Local plan record removed"),
        "analytics.needs_export": _l("Training needs exported"),
        "analytics.needs_round": _l("Needs reporting round opened"),
        "analytics.needs_submitted": _l("Training needs reported"),
    }
)  # the audit log names the actions in words
