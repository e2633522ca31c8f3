"""The events blueprint: every URL of the domain (public calendar, organisers, registration, attendance,
assessment, evaluation), its menu entries, in one place. Organisers are the issuer role (ROPS staff) and admins."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import search
from ..core.audit import register_actions, register_target_page
from ..core.registry import NavItem, registry
from ..core.roles import ADMIN, ISSUER
from . import (
    notifications,  # noqa: F401 - registers the domain's notification kinds and reminder
    views,
)
from .services.search_documents import EVENT, all_event_documents, visible_events

bp = Blueprint("events", __name__, template_folder="templates")
bp.add_app_template_filter(views.hours, "event_hours")

bp.add_url_rule("/events", "calendar", views.calendar, methods=["GET"])
bp.add_url_rule("/events/<int:event_id>", "detail", views.detail, methods=["GET"])
bp.add_url_rule("/events/<int:event_id>/calendar.ics", "ics", views.event_ics, methods=["GET"])
bp.add_url_rule("/events/feed/<token>.ics", "feed", views.feed, methods=["GET"])
bp.add_url_rule("/events/mine", "mine", views.mine, methods=["GET", "POST"])
bp.add_url_rule("/events/manage", "manage", views.manage, methods=["GET"])
bp.add_url_rule("/events/new", "create", views.create, methods=["GET", "POST"])
bp.add_url_rule("/events/<int:event_id>/edit", "edit", views.edit, methods=["GET", "POST"])
bp.add_url_rule("/events/<int:event_id>/cancel", "cancel_event", views.cancel_event, methods=["POST"])
bp.add_url_rule("/events/<int:event_id>/register", "register", views.register, methods=["POST"])
bp.add_url_rule("/events/<int:event_id>/withdraw", "withdraw", views.withdraw, methods=["POST"])
bp.add_url_rule("/events/<int:event_id>/nominate", "nominate", views.nominate, methods=["GET", "POST"])
bp.add_url_rule("/events/<int:event_id>/participants", "participant_list", views.participant_list, methods=["GET"])
bp.add_url_rule("/events/<int:event_id>/participants/add", "add_participant", views.add_participant, methods=["POST"])
bp.add_url_rule(
    "/events/<int:event_id>/participants/<int:registration_id>/remove", "remove_participant", views.remove_participant, methods=["POST"]
)
bp.add_url_rule("/events/<int:event_id>/participants.csv", "participants_csv", views.participants_csv, methods=["GET"])
bp.add_url_rule("/events/<int:event_id>/participants.xlsx", "participants_xlsx", views.participants_xlsx, methods=["GET"])
bp.add_url_rule("/events/<int:event_id>/attendance-list.pdf", "attendance_pdf", views.attendance_pdf, methods=["GET"])
bp.add_url_rule("/events/<int:event_id>/attendance", "attendance_sheet", views.attendance_sheet, methods=["GET", "POST"])
bp.add_url_rule("/events/<int:event_id>/certificates", "issue_certificates", views.issue_certificates, methods=["POST"])
bp.add_url_rule("/events/<int:event_id>/assessment", "assessment_grid", views.assessment_grid, methods=["GET", "POST"])
bp.add_url_rule("/events/<int:event_id>/evaluation", "evaluate", views.evaluate, methods=["GET", "POST"])
bp.add_url_rule("/events/<int:event_id>/evaluation/results", "evaluation_results", views.evaluation_results, methods=["GET"])

registry.add_nav(NavItem("events.calendar", _l("Training events"), roles=(), order=30))
registry.add_nav(NavItem("events.mine", _l("My training events"), roles=(), order=31))
registry.add_nav(NavItem("events.manage", _l("Manage events"), roles=(ISSUER, ADMIN), order=62))
search.register_kind(search.SearchKind(EVENT, _l("Training events"), all_event_documents, visible_events, order=40))
register_actions(
    {
        "events.assess": _l("Assessment at a training event"),
        "events.attendance": _l("Attendance recorded"),
        "events.cancel": _l("Training event cancelled"),
        "events.cancel_registration": _l("Registration cancelled"),
        "events.create": _l("Training event created"),
        "events.register": _l("Registered for a training event"),
        "events.update": _l("Training event changed"),
    }
)  # the audit log names the actions in words
register_target_page("Event", "events.detail", "event_id", _l("Training event"))
