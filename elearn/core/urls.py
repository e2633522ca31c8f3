"""URLs: absolute links from the configured public address, and integer ids the database can hold.

Absolute links (e-mails, PDFs, QR codes, badges) are built from PUBLIC_BASE_URL, never from the request's Host
header, which an attacker controls. `<int:...>` in every route is bounded to what an id column can hold (INTEGER: 32 bits
on PostgreSQL, the narrowest of our backends), so an id of 2**31 or 2**63 is a 404 instead of a database error.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import IntegerConverter

MAX_DB_INT = 2**31 - 1  # ids are INTEGER columns; PostgreSQL refuses larger values for them


def public_base_url() -> str:
    """The configured public address without a trailing slash (config.load_environment fills a default)."""
    return (current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for a fully qualified endpoint (e.g. 'accounts.reset_password') on PUBLIC_BASE_URL."""
    base = urlsplit(public_base_url())
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


class BoundedIntConverter(IntegerConverter):
    """Flask's `int` converter with a ceiling: larger ids do not match the route (404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_DB_INT if max is None else max, signed=signed)


def init_app(app) -> None:
    """Must run before any blueprint is registered: rules pick their converter when they are added."""
    app.url_map.converters["int"] = BoundedIntConverter
