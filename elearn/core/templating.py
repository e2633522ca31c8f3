"""Template filters and the context every page gets."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton, get_datetime_format
from flask import current_app, request
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale, to_user_timezone
from flask_login import current_user
from markupsafe import Markup

from .markdown import promote_headings
from .notifications.services import bell_context
from .registry import registry, visible_to


def init_app(app) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["localdatetime"] = _localdatetime
    app.jinja_env.filters["localdate"] = _localdate
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["filesize"] = format_filesize
    app.jinja_env.globals["content_lang"] = content_lang
    app.jinja_env.globals["content"] = content
    # Only renames heading tags of HTML the Markdown renderer already sanitised (lesson.html).
    app.jinja_env.filters["promote_headings"] = lambda markup: Markup(promote_headings(str(markup)))  # noqa: S704

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


# --- dates and times: Babel's conventions of the reader's language, in Europe/Warsaw (stored as naive UTC) ------
# Named formats only, so one page never mixes "12/1/26, 2:18 PM" with "01.12.2026":
#   medium (default)  pl "1 gru 2026, 14:18"          en "Dec 1, 2026, 2:18 PM"
#   long              pl "1 grudnia 2026, 14:18"      en "December 1, 2026, 2:18 PM"
#   full              pl "wtorek, 1 grudnia 2026, 14:18"
#   compact           pl "1 gru, 14:18"                (column headers: day and time without the year)
#   time              pl "14:18"                       en "2:18 PM"
DATE_PART = {"short": "medium", "medium": "medium", "long": "long", "full": "full"}


def _locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def _join(date_text: str, time_text: str) -> str:
    return get_datetime_format("medium", locale=_locale()).replace("{1}", date_text).replace("{0}", time_text)


def _localdatetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if fmt == "time":
        return format_time(value, "short")
    if fmt == "compact":
        day = format_skeleton("MMMd", to_user_timezone(value), locale=_locale())
        return _join(day, format_time(value, "short"))
    if fmt in DATE_PART:
        return _join(format_date(value, DATE_PART[fmt]), format_time(value, "short"))
    return format_datetime(value, fmt)  # an explicit CLDR pattern (machine formats only)


def _localdate(value: date | datetime | None, fmt: str = "medium") -> str:
    """A date in the reader's language: medium "1 gru 2026" / "Dec 1, 2026", long "1 grudnia 2026"."""
    if value is None:
        return ""
    return format_date(value, DATE_PART.get(fmt, fmt))


# --- numbers: decimal comma in Polish, no trailing ".0" ("12", "3,3", "0,7") ---------------------------------


def format_number(value, digits: int = 1) -> str:
    """A number for people: grouped, at most `digits` decimals, none when they are zero."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern)


def format_filesize(size: int | None) -> str:
    """Bytes as "820 B", "3,3 KB", "1,2 MB"."""
    if size is None:
        return ""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{format_number(size / scale)}\u00a0{unit}"
    return f"{format_number(size, 0)}\u00a0B"


# --- language of parts (WCAG 3.1.2): course content is Polish whatever the interface language is ------------


def content_lang(language: str | None = None) -> Markup:
    """` lang="pl"` for an element holding content (a lesson, a course title, a competence name) when the page's
    interface is in another language; nothing when they agree. Use it inside a start tag: <h1{{ content_lang() }}>."""
    language = language or current_app.config.get("CONTENT_LANGUAGE", "pl")
    if language == _locale():
        return Markup("")
    return Markup(' lang="%s"') % language


def content(text) -> Markup:
    """Content text (a course or lesson title, a competence name) inline in an interface sentence: wrapped in a
    span marked with the content's language when the interface speaks another; escaped either way."""
    attr = content_lang()
    if not attr:
        return Markup("%s") % (text if text is not None else "")
    return Markup("<span%s>%s</span>") % (attr, text if text is not None else "")
