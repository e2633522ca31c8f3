"""Notifications: the core service every domain calls (see registry.py for how to register kinds and reminders)."""

from .models import Notification, NotificationPreference
from .registry import DIGEST, IMMEDIATE, NotificationKind, Reminder, get_kind, kinds, register_due_provider, register_kind
from .services import (
    Recipient,
    mark_all_read,
    mark_read,
    notify,
    path_for,
    register_recipient_resolver,
    render,
    send_due,
    unread_count,
    wants_email,
)

__all__ = [
    "DIGEST",
    "IMMEDIATE",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "Recipient",
    "Reminder",
    "get_kind",
    "kinds",
    "mark_all_read",
    "mark_read",
    "notify",
    "path_for",
    "register_due_provider",
    "register_kind",
    "register_recipient_resolver",
    "render",
    "send_due",
    "unread_count",
    "wants_email",
]
