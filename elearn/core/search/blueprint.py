"""The search blueprint: the one search page and its menu entry, registered here, not in the views."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..registry import NavItem, registry
from . import views

bp = Blueprint("search", __name__)

bp.add_url_rule("/search", "index", views.index, methods=["GET"])

registry.add_nav(NavItem("search.index", _l("Search"), order=5))
