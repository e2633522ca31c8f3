"""Numbers, dates and times for people, in the reader's language through Babel (Flask-Babel's locale and the
Europe/Warsaw time zone). Used by the template filters (core.templating) and by notification texts."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton, get_datetime_format
from flask import current_app
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale, to_user_timezone


def _locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


# --- dates and times: Babel's conventions of the reader's language, in Europe/Warsaw (stored as naive UTC) ------
# Named formats only, so one page never mixes "12/1/26, 2:18 PM" with "01.12.2026":
#   medium (default)  pl "1 gru 2026, 14:18"          en "Dec 1, 2026, 2:18 PM"
#   long              pl "1 grudnia 2026, 14:18"      en "December 1, 2026, 2:18 PM"
#   full              pl "wtorek, 1 grudnia 2026, 14:18"
#   compact           pl "1 gru, 14:18"                (column headers: day and time without the year)
#   time              pl "14:18"                       en "2:18 PM"
DATE_PART = {"short": "medium", "medium": "medium", "long": "long", "full": "full"}


def _join(date_text: str, time_text: str) -> str:
    return get_datetime_format("medium", locale=_locale()).replace("{1}", date_text).replace("{0}", time_text)


def localdatetime(value: datetime | None, fmt: str = "medium") -> str:
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


def localdate(value: date | datetime | None, fmt: str = "medium") -> str:
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


# --- values kept in stored texts (notification parameters) and formatted when read ---------------------------


def date_param(value: date | datetime) -> dict:
    """A date or time to store in a notification's parameters; shown in the reader's language when rendered."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    return {"date": value.isoformat()}


def render_param(value):
    """A stored parameter as text: tagged dates and times are formatted now, in the current locale."""
    if isinstance(value, dict):
        if "datetime" in value:
            return localdatetime(datetime.fromisoformat(value["datetime"]))
        if "date" in value:
            return localdate(date.fromisoformat(value["date"]))
    return value
