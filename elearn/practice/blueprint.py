"""The practice blueprint: learners' assignment pages, trainers' review queue; menu entries and dashboard panels."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..competencies.services.next_steps import register_next_step_provider
from ..core.audit import register_actions
from ..core.registry import DashboardPanel, NavItem, registry
from ..core.roles import LEARNER, TRAINER
from . import notifications as _kinds  # noqa: F401 - registers the notification kinds and the due reminder
from . import services, views

bp = Blueprint("practice", __name__, template_folder="templates", url_prefix="/assignments")

bp.add_url_rule("", "my_assignments", views.my_assignments, methods=["GET"])
bp.add_url_rule("/<slug>/<module_key>/<key>", "assignment", views.assignment, methods=["GET", "POST"])
bp.add_url_rule("/submissions/<int:submission_id>", "submission", views.submission, methods=["GET"])
bp.add_url_rule("/files/<int:file_id>", "file", views.file, methods=["GET"])
bp.add_url_rule("/review", "queue", views.queue, methods=["GET"])
bp.add_url_rule("/review/<int:submission_id>", "review", views.review, methods=["GET", "POST"])

registry.add_nav(NavItem("practice.my_assignments", _l("My assignments"), roles=(LEARNER,), order=25))
registry.add_nav(NavItem("practice.queue", _l("Assignments to review"), roles=(TRAINER,), order=35))
registry.add_panel(DashboardPanel("practice/panel_review.html", views.trainer_panel, roles=(TRAINER,), order=16))
register_next_step_provider(services.assignment_steps)  # "what comes next" on the profile and dashboard
registry.link_guards["practice.submission"] = services.may_open_submission  # evidence links on a learner's page
register_actions(
    {
        "practice.review": _l("Practical assignment reviewed"),
        "practice.submit": _l("Practical assignment submitted"),
    }
)  # the audit log names the actions in words
