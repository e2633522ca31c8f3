"""Polish error pages that say what to do next; a failed request never leaves a half-written record. Also the
one exception type for domain rules, whose messages the views show as they are."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from flask import abort, flash, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import db

log = logging.getLogger(__name__)
T = TypeVar("T")


class DomainError(Exception):
    """A domain rule refused the action. Each message is a lazy_gettext string (English msgid, shown in the reader's
    language) or plain text for lines quoted from a file; views show them with flash() or add_to(), CLIs print english().
    """

    def __init__(self, *messages: Any) -> None:
        self.messages: list[Any] = list(messages)
        super().__init__(*self.messages)

    def __str__(self) -> str:
        return "\n".join(str(message) for message in self.messages)

    @property
    def errors(self) -> list[str]:
        """The messages as text in the current language."""
        return [str(message) for message in self.messages]

    def english(self) -> str:
        """The messages in English, for the command line and logs."""
        with force_locale("en"):
            return str(self)

    def flash(self, category: str = "error") -> None:
        for message in self.errors:
            flash(message, category)

    def add_to(self, field) -> None:
        """Show the messages as errors of a form field."""
        field.errors = [*field.errors, *self.errors]


MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back, check the form and try again.")),
    403: (
        _l("Access denied"),
        _l("You do not have permission to open this page. If you think you should, contact the administrator of your institution."),
    ),
    404: (_l("Page not found"), _l("The address may be mistyped or the page may have been removed. Start again from the home page.")),
    405: (_l("Method not allowed"), _l("This address does not accept this kind of request. Go back and use the form on the page.")),
    413: (_l("File too large"), _l("The file you sent is larger than allowed. Choose a smaller file and try again.")),
    429: (_l("Too many attempts"), _l("You have tried too many times in a short period. Wait a few minutes and try again.")),
    500: (
        _l("Server error"),
        _l(
            "Something went wrong on our side and nothing was saved. Try again in a moment; if it happens again, contact the administrator."
        ),
    ),
}


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    if _wants_json():
        return jsonify(error=str(title), message=str(detail or message)), code
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        # The reason (missing token, expired, referrer mismatch behind a misconfigured proxy) is for the operator.
        log.info("CSRF check failed: %s", error.description)
        return render_error(400, str(_l("The form has expired or was sent from another page. Reload the page and send it again.")))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)


def or_404(found: T | None) -> T:
    """The one "not found" idiom of views: the looked-up object, or a 404 page when the lookup found nothing."""
    if found is None:
        abort(404)
    return found
