"""Shared pieces of the bad-input tests: malicious values and the check that a form answered with a field error."""

from __future__ import annotations

from sqlalchemy import func, select

from elearn.extensions import db

XSS = '<script>alert("x")</script>'
CONTROL = "zły\x00tekst\x1b"
CONTROL_MESSAGE = "znaków sterujących"


def count_rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def error_text(html: str, field: str) -> str:
    """The text of the error element the form_field macro ties to the field."""
    start = html.index(f'id="{field}-error"')
    return html[start : html.index("</p>", start)]


def assert_field_error(response, field: str, message: str | None, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html, html
    if message:
        assert message in error_text(html, field)
    assert XSS not in html  # echoed values are escaped
    return html
