"""The directory blueprint: every URL of institution administration and its menu entry, in one place."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core.audit import register_actions, register_target_page
from ..core.registry import NavItem, registry
from ..core.roles import ADMIN
from . import views

bp = Blueprint("directory", __name__, template_folder="templates", url_prefix="/admin/institutions")

bp.add_url_rule("/", "institutions", views.institutions, methods=["GET"])
bp.add_url_rule("/new", "institution_new", views.institution_new, methods=["GET", "POST"])
bp.add_url_rule("/duplicates", "duplicates", views.duplicates, methods=["GET"])
bp.add_url_rule("/duplicates/merge", "merge", views.merge, methods=["POST"])
bp.add_url_rule("/<int:institution_id>", "institution_edit", views.institution_edit, methods=["GET", "POST"])

registry.add_nav(NavItem("directory.institutions", _l("Institutions"), roles=(ADMIN,), order=91))
register_actions(
    {
        "institution.create": _l("Institution added"),
        "institution.update": _l("Institution changed"),
        "institution.merge": _l("Duplicate institutions merged"),
        "institution.import": _l("Institutions loaded from a register file"),
    }
)  # the audit log names the actions in words
register_target_page("Institution", "directory.institution_edit", "institution_id", _l("Institution"))
