"""The notifications blueprint: the list, mark as read and e-mail preferences, registered here, not in the views."""

from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("notifications", __name__)

bp.add_url_rule("/notifications", "index", views.index, methods=["GET"])
bp.add_url_rule("/notifications/<int:notification_id>/read", "mark_read", views.mark_read, methods=["POST"])
bp.add_url_rule("/notifications/read-all", "mark_all_read", views.mark_all_read, methods=["POST"])
bp.add_url_rule("/notifications/preferences", "preferences", views.preferences, methods=["GET", "POST"])
