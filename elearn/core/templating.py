"""Template filters and the context every page gets."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app, request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from .notifications.services import bell_context
from .registry import registry, visible_to


def init_app(app) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["localdatetime"] = _localdatetime
    app.jinja_env.filters["localdate"] = _localdate

    app.context_processor(bell_context)

    @app.context_processor
    def _context():
        nav = [item for item in registry.nav if visible_to(current_user, item.roles)] if request else []
        return {
            "nav_items": nav,
            "current_locale": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            "languages": current_app.config["LANGUAGES"],
            "site_name": current_app.config["SITE_NAME"],
        }


def _localdatetime(value: datetime | None, fmt: str = "medium") -> str:
    """Shown in Europe/Warsaw; stored as naive UTC."""
    if value is None:
        return ""
    return format_datetime(value, fmt)


def _localdate(value: date | datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM y" if fmt == "long" else "dd.MM.y")
    return format_date(value, "d MMMM y" if fmt == "long" else "dd.MM.y")
