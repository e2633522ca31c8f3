"""The courses blueprint: every URL of learning and authoring, the template labels, menu entries and dashboard
panels, in one place; the view modules never see the blueprint."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import search
from ..core.audit import register_actions
from ..core.registry import DashboardPanel, NavItem, registry
from ..core.roles import LEARNER, TRAINER
from ..extensions import csrf
from . import views_authoring as authoring
from . import views_learning as learning
from .services import search_documents
from .services.search_documents import COURSE, LESSON

bp = Blueprint("courses", __name__, template_folder="templates")

# --- learning ----------------------------------------------------------------------------------------------------
bp.add_url_rule("/courses", "catalogue", learning.catalogue, methods=["GET"])
bp.add_url_rule("/courses/<slug>", "course", learning.course, methods=["GET"])
bp.add_url_rule("/courses/<slug>/enrol", "enrol", learning.enrol, methods=["POST"])
bp.add_url_rule("/courses/<slug>/modules/<key>", "module", learning.module, methods=["GET"])
bp.add_url_rule("/courses/<slug>/lessons/<key>", "lesson", learning.lesson, methods=["GET"])
bp.add_url_rule("/courses/<slug>/lessons/<key>/done", "lesson_done", learning.lesson_done, methods=["POST"])
bp.add_url_rule("/courses/<slug>/modules/<key>/quiz", "quiz", learning.quiz, methods=["GET", "POST"])
bp.add_url_rule("/uploads/<name>", "upload", learning.upload, methods=["GET"])
bp.add_url_rule("/courses/<slug>/media/<name>", "media", learning.media, methods=["GET"])  # content.MEDIA_URL

# --- authoring ---------------------------------------------------------------------------------------------------
bp.add_url_rule("/authoring/courses", "authoring", authoring.course_list, methods=["GET"])
bp.add_url_rule("/authoring/courses/new", "course_new", authoring.course_new, methods=["GET", "POST"])
bp.add_url_rule("/authoring/courses/<slug>", "course_edit", authoring.course_edit, methods=["GET", "POST"])
bp.add_url_rule("/authoring/courses/<slug>/publish", "course_publish", authoring.course_publish, methods=["GET", "POST"])
bp.add_url_rule("/authoring/courses/<slug>/modules/new", "module_new", authoring.module_new, methods=["GET", "POST"])
bp.add_url_rule("/authoring/courses/<slug>/modules/<key>", "module_edit", authoring.module_edit, methods=["GET", "POST"])
bp.add_url_rule("/authoring/courses/<slug>/modules/<key>/quiz", "quiz_edit", authoring.quiz_edit, methods=["GET", "POST"])
bp.add_url_rule("/authoring/courses/<slug>/modules/<key>/move", "module_move", authoring.module_move, methods=["POST"])
bp.add_url_rule("/authoring/courses/<slug>/modules/<key>/delete", "module_delete", authoring.module_delete, methods=["GET", "POST"])
# The lesson editor checks its CSRF token in the form (not before the view), so that a page left open past the
# token's time limit re-renders with the typed text instead of losing it on a 400 page (WCAG 2.2.1).
csrf.exempt(authoring.lesson_new)
csrf.exempt(authoring.lesson_edit)
bp.add_url_rule("/authoring/courses/<slug>/modules/<key>/lessons/new", "lesson_new", authoring.lesson_new, methods=["GET", "POST"])
bp.add_url_rule("/authoring/courses/<slug>/lessons/<key>", "lesson_edit", authoring.lesson_edit, methods=["GET", "POST"])
bp.add_url_rule("/authoring/courses/<slug>/lessons/<key>/delete", "lesson_delete", authoring.lesson_delete, methods=["GET", "POST"])
bp.add_url_rule(
    "/authoring/courses/<slug>/modules/<key>/assignments/new", "assignment_new", authoring.assignment_edit, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/authoring/courses/<slug>/modules/<key>/assignments/<assignment_key>", "assignment_edit", authoring.assignment_edit,
    methods=["GET", "POST"],
)  # fmt: skip
bp.add_url_rule(
    "/authoring/courses/<slug>/modules/<key>/assignments/<assignment_key>/delete", "assignment_delete", authoring.assignment_delete,
    methods=["GET", "POST"],
)  # fmt: skip
bp.add_url_rule("/authoring/preview", "preview", authoring.preview, methods=["POST"])
bp.add_url_rule("/authoring/courses/<slug>/uploads", "uploads", authoring.uploads, methods=["GET", "POST"])

bp.app_context_processor(learning.course_labels)
registry.add_nav(NavItem("courses.catalogue", _l("Courses"), order=10))
registry.add_panel(DashboardPanel("courses/panel_learning.html", learning.learner_panel, roles=(LEARNER,), order=10))
registry.add_nav(NavItem("courses.authoring", _l("Course authoring"), roles=authoring.AUTHORS, order=20))
registry.add_panel(DashboardPanel("courses/panel_authoring.html", authoring.trainer_panel, roles=(TRAINER,), order=19))

search.register_kind(search.SearchKind(COURSE, _l("Courses"), search_documents.all_course_documents, order=10))
search.register_kind(search.SearchKind(LESSON, _l("Lessons"), search_documents.all_lesson_documents, order=20))
search.register_filter_choices("role", learning.role_choices)
search.register_filter_choices("course", learning.course_choices)
register_actions(
    {
        "courses.create": _l("Course created"),
        "courses.update": _l("Course changed"),
        "courses.publish": _l("Course published"),
        "courses.module.add": _l("Module added"),
        "courses.module.update": _l("Module changed"),
        "courses.module.delete": _l("Module deleted"),
        "courses.lesson.add": _l("Lesson added"),
        "courses.lesson.update": _l("Lesson changed"),
        "courses.lesson.delete": _l("Lesson deleted"),
        "courses.assignment.save": _l("Practical assignment saved"),
        "courses.assignment.delete": _l("Practical assignment deleted"),
        "courses.upload": _l("File uploaded to a course"),
        "courses.sync.create": _l("Course loaded from files"),
        "courses.sync.update": _l("Course updated from files"),
        "courses.sync.media": _l("Course media updated from files"),
        "courses.quiz.save": _l("Quiz saved"),
    }
)  # the audit log names the actions in words
