"""The knowledge-base blueprint: every URL of the domain, its menu entries, dashboard panel, the "read more"
sections it adds to competence, lesson and assignment pages, and its kind in the platform's search."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import search
from ..core.audit import register_actions, register_target_page
from ..core.registry import DashboardPanel, NavItem, registry
from ..core.roles import ISSUER, TRAINER
from . import notifications as _kinds  # noqa: F401 - registers the notification kinds
from . import views
from .services.search_documents import KIND, all_documents

bp = Blueprint("knowledge", __name__, template_folder="templates", url_prefix="/knowledge")

bp.add_url_rule("", "library", views.library, methods=["GET"])
bp.add_url_rule("/new", "new", views.new, methods=["GET", "POST"])
bp.add_url_rule("/mine", "mine", views.mine, methods=["GET"])
bp.add_url_rule("/review", "queue", views.queue, methods=["GET"])
bp.add_url_rule("/<int:resource_id>", "resource", views.resource, methods=["GET"])
bp.add_url_rule("/<int:resource_id>/edit", "edit", views.edit, methods=["GET", "POST"])
bp.add_url_rule("/<int:resource_id>/versions", "new_version", views.new_version, methods=["POST"])
bp.add_url_rule("/<int:resource_id>/review", "review", views.review, methods=["POST"])
bp.add_url_rule("/files/<int:version_id>", "download", views.download, methods=["GET"])

registry.add_nav(NavItem("knowledge.library", _l("Knowledge base"), order=28))
registry.add_nav(NavItem("knowledge.queue", _l("Proposed resources"), roles=(TRAINER, ISSUER), order=36))
registry.add_panel(DashboardPanel("knowledge/_panel.html", views.staff_panel, roles=(TRAINER, ISSUER), order=17))
read_more = DashboardPanel("knowledge/_read_more.html", views.read_more, order=50)
for slot in ("competencies.competence", "courses.lesson", "practice.assignment"):
    registry.add_slot(slot, read_more)
search.register_kind(search.SearchKind(KIND, _l("Knowledge base"), all_documents, order=25))
register_actions(
    {
        "knowledge.publish": _l("Resource published"),
        "knowledge.edit": _l("Resource changed"),
        "knowledge.new_version": _l("New version of a resource"),
        "knowledge.review": _l("Proposed resource reviewed"),
    }
)  # the audit log names the actions in words
register_target_page("Resource", "knowledge.resource", "resource_id", _l("Knowledge-base resource"))
