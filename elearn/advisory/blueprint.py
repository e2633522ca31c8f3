"""The advisory blueprint: every URL of the domain (asking, the institution's cases, the case page and thread,
the advisors' queue and tools, answer templates, knowledge-base candidates) and its menu entries, in one place.
Advisors are ROPS staff: the issuer role, and admins."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import search
from ..core.audit import register_actions, register_target_page
from ..core.registry import DashboardPanel, NavItem, registry
from ..core.roles import ADMIN, COORDINATOR, ISSUER, LEARNER, TRAINER
from . import (
    notifications,  # noqa: F401 - registers the domain's notification kinds
    views,
    views_advisors,
)
from .services.search_documents import CANDIDATE, candidate_documents, visible_candidates

bp = Blueprint("advisory", __name__, template_folder="templates", url_prefix="/advisory")
bp.add_app_template_filter(views.markdown, "advisory_markdown")

bp.add_url_rule("/", "mine", views.mine, methods=["GET"])
bp.add_url_rule("/new", "new_case", views.new_case, methods=["GET", "POST"])
bp.add_url_rule("/<int:case_id>", "detail", views.detail, methods=["GET"])
bp.add_url_rule("/<int:case_id>/reply", "reply", views.reply, methods=["POST"])
bp.add_url_rule("/files/<int:attachment_id>", "attachment", views.attachment, methods=["GET"])
bp.add_url_rule("/meetings/<int:meeting_id>.ics", "meeting_ics", views.meeting_ics, methods=["GET"])

bp.add_url_rule("/queue", "queue", views_advisors.queue, methods=["GET"])
bp.add_url_rule("/<int:case_id>/assign", "assign", views_advisors.assign, methods=["POST"])
bp.add_url_rule("/<int:case_id>/take", "assign_me", views_advisors.assign_me, methods=["POST"])
bp.add_url_rule("/<int:case_id>/meeting", "schedule", views_advisors.schedule, methods=["POST"])
bp.add_url_rule("/<int:case_id>/close", "close", views_advisors.close, methods=["POST"])
bp.add_url_rule("/<int:case_id>/reopen", "reopen", views_advisors.reopen, methods=["POST"])
bp.add_url_rule("/<int:case_id>/candidate", "candidate", views_advisors.candidate, methods=["GET", "POST"])
bp.add_url_rule("/candidates", "candidates", views_advisors.candidate_list, methods=["GET"])
bp.add_url_rule("/candidates/<int:candidate_id>/withdraw", "withdraw_candidate", views_advisors.withdraw_candidate, methods=["POST"])
bp.add_url_rule("/templates", "templates", views_advisors.template_list, methods=["GET"])
bp.add_url_rule("/templates/new", "template_new", views_advisors.template_new, methods=["GET", "POST"])
bp.add_url_rule("/templates/<int:template_id>", "template_edit", views_advisors.template_edit, methods=["GET", "POST"])
bp.add_url_rule("/templates/<int:template_id>/delete", "template_delete", views_advisors.template_delete, methods=["POST"])

registry.add_nav(NavItem("advisory.mine", _l("Advice from ROPS"), roles=(LEARNER, TRAINER, COORDINATOR), order=88))
registry.add_nav(NavItem("advisory.queue", _l("Advisory cases"), roles=(ISSUER, ADMIN), order=64))
registry.add_panel(DashboardPanel("advisory/panel_advisor.html", views_advisors.advisor_panel, roles=(ISSUER,), order=18))
search.register_kind(
    search.SearchKind(CANDIDATE, _l("Knowledge-base candidates (advisory)"), candidate_documents, visible_candidates, order=60)
)
register_actions(
    {
        "advisory.open": _l("Advisory case opened"),
        "advisory.message": _l("Message in an advisory case"),
        "advisory.assign": _l("Advisory case assigned"),
        "advisory.meeting": _l("Advisory meeting scheduled"),
        "advisory.close": _l("Advisory case closed"),
        "advisory.reopen": _l("Advisory case reopened"),
        "advisory.candidate": _l("Knowledge-base candidate saved from a case"),
        "advisory.candidate_withdraw": _l("Knowledge-base candidate withdrawn"),
        "advisory.template_create": _l("Answer template created"),
        "advisory.template_update": _l("Answer template changed"),
        "advisory.template_delete": _l("Answer template deleted"),
    }
)  # the audit log names the actions in words
register_target_page("AdvisoryCase", "advisory.detail", "case_id", _l("Advisory case"))
