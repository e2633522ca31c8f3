"""The discussion blueprint: every URL of course and lesson discussions, topic forums, moderation and direct
messages; its menu entries, dashboard panels, the lesson page's discussion section and the search kind."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import search
from ..core.audit import register_actions, register_target_page
from ..core.registry import DashboardPanel, NavItem, registry
from ..core.roles import ADMIN, ISSUER, TRAINER
from . import (
    notifications,  # noqa: F401 - registers the domain's notification kinds
    views,
    views_messages,
    views_moderation,
)
from .services import indexing, lesson_section

bp = Blueprint("discussion", __name__, template_folder="templates")

bp.add_url_rule("/discussion", "index", views.index, methods=["GET"])
bp.add_url_rule("/discussion/forums/new", "forum_new", views.forum_new, methods=["GET", "POST"])
bp.add_url_rule("/discussion/forums/<slug>", "forum", views.forum, methods=["GET"])
bp.add_url_rule("/discussion/forums/<slug>/new", "forum_thread_new", views.forum_thread_new, methods=["GET", "POST"])
bp.add_url_rule("/discussion/courses/<slug>", "course", views.course, methods=["GET"])
bp.add_url_rule("/discussion/courses/<slug>/new", "course_thread_new", views.course_thread_new, methods=["GET", "POST"])
bp.add_url_rule("/discussion/courses/<slug>/lessons/<key>", "lesson", views.lesson, methods=["GET"])
bp.add_url_rule("/discussion/threads/<int:thread_id>", "thread", views.thread, methods=["GET", "POST"])
bp.add_url_rule("/discussion/threads/<int:thread_id>/subscription", "subscription", views.subscription, methods=["POST"])
bp.add_url_rule("/discussion/threads/<int:thread_id>/lock", "lock", views_moderation.lock, methods=["GET", "POST"])
bp.add_url_rule("/discussion/threads/<int:thread_id>/unlock", "unlock", views_moderation.unlock, methods=["POST"])
bp.add_url_rule("/discussion/posts/<int:post_id>/edit", "edit", views.edit, methods=["GET", "POST"])
bp.add_url_rule("/discussion/posts/<int:post_id>/answer", "answer", views_moderation.answer, methods=["POST"])
bp.add_url_rule("/discussion/posts/<int:post_id>/report", "report", views_moderation.report, methods=["GET", "POST"])
bp.add_url_rule("/discussion/posts/<int:post_id>/hide", "hide", views_moderation.hide, methods=["GET", "POST"])
bp.add_url_rule("/discussion/posts/<int:post_id>/unhide", "unhide", views_moderation.unhide, methods=["POST"])
bp.add_url_rule("/discussion/posts/<int:post_id>/history", "history", views_moderation.history, methods=["GET"])
bp.add_url_rule("/discussion/attachments/<int:attachment_id>", "attachment", views.attachment, methods=["GET"])
bp.add_url_rule("/discussion/reports", "reports", views_moderation.reports, methods=["GET"])
bp.add_url_rule("/discussion/reports/<int:report_id>/dismiss", "dismiss", views_moderation.dismiss, methods=["POST"])

bp.add_url_rule("/messages", "conversations", views_messages.conversations, methods=["GET"])
bp.add_url_rule("/messages/people", "contacts", views_messages.contacts, methods=["GET"])
bp.add_url_rule("/messages/to/<int:user_id>", "compose", views_messages.compose, methods=["GET", "POST"])
bp.add_url_rule("/messages/<int:conversation_id>", "conversation", views_messages.conversation, methods=["GET", "POST"])
bp.add_url_rule("/messages/<int:conversation_id>/read", "mark_read", views_messages.mark_read, methods=["POST"])
bp.add_url_rule("/messages/people/<int:user_id>/block", "block", views_messages.block, methods=["POST"])
bp.add_url_rule("/messages/people/<int:user_id>/unblock", "unblock", views_messages.unblock, methods=["POST"])

registry.add_nav(NavItem("discussion.index", _l("Discussions"), order=40))
registry.add_nav(NavItem("discussion.conversations", _l("Messages"), order=41))
registry.add_panel(
    DashboardPanel("discussion/panel_reports.html", views_moderation.moderator_panel, roles=(TRAINER, ISSUER, ADMIN), order=17)
)
registry.add_slot("courses.lesson", DashboardPanel("discussion/_lesson_section.html", lesson_section.build, order=10))

search.register_kind(search.SearchKind(indexing.KIND, _l("Discussions"), indexing.all_documents, indexing.visible_threads, order=60))
register_actions(
    {
        "discussion.forum_create": _l("Forum created"),
        "discussion.answer": _l("Post marked as the answer"),
        "discussion.report": _l("Post reported"),
        "discussion.hide": _l("Post hidden by a moderator"),
        "discussion.unhide": _l("Post shown again"),
        "discussion.dismiss_report": _l("Report dismissed"),
        "discussion.lock": _l("Thread locked"),
        "discussion.unlock": _l("Thread unlocked"),
    }
)  # the audit log names the actions in words
register_target_page("Thread", "discussion.thread", "thread_id", _l("Discussion thread"))
