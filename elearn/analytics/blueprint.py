"""The analytics blueprint: read-only pages for ROPS staff; its menu entry."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core.registry import NavItem, registry
from ..core.roles import ADMIN, ISSUER
from . import views

bp = Blueprint("analytics", __name__, template_folder="templates", url_prefix="/analytics")

bp.add_url_rule("/needs", "needs", views.needs, methods=["GET"])
bp.add_url_rule("/needs/export", "needs_export", views.needs_export, methods=["POST"])

registry.add_nav(NavItem("analytics.needs", _l("Training needs"), roles=(ISSUER, ADMIN), order=60))
