"""The competencies blueprint: every URL of the domain, its menu entries and dashboard panel, in one place."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import search
from ..core.audit import register_actions
from ..core.registry import DashboardPanel, NavItem, registry
from ..core.roles import ADMIN, COORDINATOR, LEARNER, TRAINER
from ..core.search import SearchKind
from . import views, views_requests
from .services.search_documents import COMPETENCE, competence_documents, visible_competences

bp = Blueprint("competencies", __name__, template_folder="templates", url_prefix="/competencies")

bp.add_url_rule("/profile", "profile", views.profile, methods=["GET"])
bp.add_url_rule("/self-assessment", "self_assessment", views.self_assessment, methods=["GET", "POST"])
bp.add_url_rule("/self-assessment/<int:assessment_id>", "self_assessment_result", views.self_assessment_result, methods=["GET"])
bp.add_url_rule("/prior-learning", "prior_learning", views.prior_learning, methods=["GET", "POST"])
bp.add_url_rule("/evidence/<int:evidence_id>/document", "evidence_document", views.evidence_document, methods=["GET"])
bp.add_url_rule("/learners", "learners", views.learners, methods=["GET"])
bp.add_url_rule("/learners/<int:user_id>", "learner", views.learner, methods=["GET"])
bp.add_url_rule("/learners/<int:user_id>/assessments", "assess", views.assess, methods=["POST"])
bp.add_url_rule("/learners/<int:user_id>/withdrawals", "withdraw", views.withdraw, methods=["POST"])
bp.add_url_rule("/evidence/<int:evidence_id>/review", "review", views.review, methods=["POST"])
bp.add_url_rule("/requests", "my_requests", views_requests.my_requests, methods=["GET"])
bp.add_url_rule("/requests/new", "request_new", views_requests.request_new, methods=["GET", "POST"])
bp.add_url_rule("/requests/queue", "request_queue", views_requests.request_queue, methods=["GET"])
bp.add_url_rule("/requests/<int:request_id>", "request_detail", views_requests.request_detail, methods=["GET"])
bp.add_url_rule("/requests/<int:request_id>/assess", "request_assess", views_requests.request_assess, methods=["POST"])
bp.add_url_rule("/requests/<int:request_id>/decline", "request_decline", views_requests.request_decline, methods=["POST"])
bp.add_url_rule("/requests/<int:request_id>/document", "request_document", views_requests.request_document, methods=["GET"])
bp.add_url_rule("/team", "team", views.team, methods=["GET"])
bp.add_url_rule("/team.csv", "team_csv", views.team_csv, methods=["GET"])
bp.add_url_rule("/team.xlsx", "team_xlsx", views.team_xlsx, methods=["GET"])
bp.add_url_rule("/team/<int:user_id>", "team_member", views.team_member, methods=["GET"])
bp.add_url_rule("/framework", "framework", views.framework, methods=["GET"])
bp.add_url_rule("/framework/competences/<code>", "competence", views.competence, methods=["GET"])
bp.add_url_rule("/framework/load", "load_framework", views.load_shipped_framework, methods=["POST"])
bp.add_url_rule("/framework/profile-framework", "choose_framework", views.choose_framework, methods=["POST"])
bp.add_url_rule("/framework/moodle.csv", "export_moodle", views.export_moodle, methods=["GET"])
bp.add_url_rule("/framework/case.json", "export_case", views.export_case, methods=["GET"])

registry.add_nav(NavItem("competencies.profile", _l("My competences"), roles=(LEARNER,), order=30))
registry.add_nav(NavItem("competencies.team", _l("Team competences"), roles=(COORDINATOR,), order=40))
registry.add_nav(NavItem("competencies.learners", _l("Learners' competences"), roles=(TRAINER,), order=40))
registry.add_nav(NavItem("competencies.request_queue", _l("Assessment requests"), roles=(TRAINER,), order=41))
registry.add_nav(NavItem("competencies.framework", _l("Competency framework"), roles=(ADMIN,), order=85))
registry.add_panel(DashboardPanel("competencies/_panel.html", views.profile_panel, roles=(LEARNER,), order=30))
registry.add_panel(DashboardPanel("competencies/_team_panel.html", views.team_panel, roles=(COORDINATOR,), order=6))
registry.add_panel(DashboardPanel("competencies/_requests_panel.html", views_requests.requests_panel, roles=(TRAINER,), order=17))
registry.add_panel(DashboardPanel("competencies/_trainer_courses_panel.html", views.trainer_courses_panel, roles=(TRAINER,), order=18))
search.register_kind(SearchKind(COMPETENCE, _l("Competences"), competence_documents, visible_competences, order=30))
register_actions(
    {
        "competencies.assess": _l("Trainer assessment recorded"),
        "competencies.profile_framework": _l("Framework for role profiles chosen"),
        "competencies.request_assessed": _l("Assessment request answered"),
        "competencies.request_created": _l("Assessment requested"),
        "competencies.request_declined": _l("Assessment request declined"),
        "competencies.rpl_review": _l("Prior learning claim reviewed"),
        "competencies.self_assessment": _l("Self-assessment saved"),
        "competencies.withdraw_evidence": _l("Evidence withdrawn"),
        "competencies.framework_load": _l("Competency framework loaded"),
    }
)  # the audit log names the actions in words
