"""Security headers, the one permission check, and the open-redirect guard."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


PRIVATE_CACHE = "private, no-store"


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def init_app(app) -> None:
    @app.before_request
    def _refuse_nul_bytes():
        # No URL of ours can hold a NUL byte, and PostgreSQL refuses them in queries: answer 400, not 500.
        # Form fields are left to their validators, which give a field error instead.
        if "\x00" in request.path or _has_nul(request.args.values()):
            abort(400)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["ELEARN_ENV"] == "production":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        view = app.view_functions.get(request.endpoint or "")
        if hasattr(view, "required_roles"):
            # Login-only pages and files (uploads, evidence, certificates, exports): no shared or disk cache.
            response.headers["Cache-Control"] = PRIVATE_CACHE
            response.headers.pop("Expires", None)
        elif current_user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = PRIVATE_CACHE
        return response


def role_required(*roles: str) -> Callable:
    """Allow the view to logged-in users holding any of the roles (none named: any logged-in user)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles  # read by the route-permission test
        return wrapped

    return decorator


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: starts with one "/", no backslash, whitespace or other unprintable characters.

    Browsers read "http:x", "//x", "/\\x" and a leading tab or newline as another host, so those are refused
    outright rather than parsed. What passes has no scheme and no host by construction: a scheme needs a letter
    first and a host needs "//", so parsing it again could not refuse anything more.
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    return not any(ch.isspace() or not ch.isprintable() for ch in target)
