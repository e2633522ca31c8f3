"""The core blueprint: every URL of the core pages and their menu entries, registered here, not in the views."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from . import views
from .registry import NavItem, registry
from .roles import ADMIN

bp = Blueprint("core", __name__, template_folder="templates")

bp.add_url_rule("/", "index", views.index, methods=["GET"])
bp.add_url_rule("/dashboard", "dashboard", views.dashboard, methods=["GET"])
bp.add_url_rule("/language", "set_language", views.set_language, methods=["POST"])
bp.add_url_rule("/privacy", "privacy", views.privacy, methods=["GET"])
bp.add_url_rule("/accessibility", "accessibility", views.accessibility, methods=["GET"])
bp.add_url_rule("/healthz", "healthz", views.healthz, methods=["GET"])
bp.add_url_rule("/readyz", "readyz", views.readyz, methods=["GET"])
bp.add_url_rule("/admin/audit", "audit_log", views.audit_log, methods=["GET"])

registry.add_nav(NavItem("core.dashboard", _l("Dashboard"), order=0))
registry.add_nav(NavItem("core.audit_log", _l("Audit log"), roles=(ADMIN,), order=95))
