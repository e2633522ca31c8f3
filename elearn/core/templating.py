"""Template filters and the context every page gets."""

from __future__ import annotations

import functools

from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from .formatting import format_filesize, format_number
from .formatting import localdate as _localdate
from .formatting import localdatetime as _localdatetime
from .markdown import promote_headings, render_inline
from .notifications.services import bell_context
from .registry import registry


def init_app(app) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["localdatetime"] = _localdatetime
    app.jinja_env.filters["localdate"] = _localdate
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["filesize"] = format_filesize
    app.jinja_env.globals["content_lang"] = content_lang
    app.jinja_env.globals["content"] = content
    app.jinja_env.globals["content_inline"] = content_inline
    app.jinja_env.filters["inline_markdown"] = inline_markdown
    # Only renames heading tags of HTML the Markdown renderer already sanitised (lesson.html).
    app.jinja_env.filters["promote_headings"] = lambda markup: Markup(promote_headings(str(markup)))  # noqa: S704

    app.jinja_env.globals["url_for"] = _cached_url_for(app)
    app.context_processor(bell_context)

    @app.context_processor
    def _context():
        return {
            "nav_items": _nav_items() if request else [],
            "current_locale": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            "languages": current_app.config["LANGUAGES"],
            "site_name": current_app.config["SITE_NAME"],
        }


def compile_templates(app) -> int:
    """Compile every template now, into the environment's cache (wsgi.py: once in gunicorn's master, before it forks
    the workers); returns how many. The cache must hold them all, or the first pages served would compile again."""
    names = app.jinja_env.list_templates(filter_func=lambda name: name.endswith((".html", ".txt", ".xml")))
    if app.jinja_env.cache is not None and len(names) > app.jinja_env.cache.capacity:
        raise RuntimeError(f"{len(names)} templates do not fit Jinja's cache of {app.jinja_env.cache.capacity}")
    with app.app_context():
        for name in names:
            app.jinja_env.get_template(name)
    return len(names)


def _nav_items() -> list:
    """The menu entries the person may see: their roles read once, not once per entry through the proxy."""
    user = current_user._get_current_object()
    if not getattr(user, "is_authenticated", False):
        return []
    mine = user.roles
    return [item for item in registry.nav if not item.roles or any(role in mine for role in item.roles)]


def _cached_url_for(app):
    """Templates' url_for, remembering the URLs it built inside requests.

    A page's header and menu build the same ~30 URLs on every request, ~10 µs each. Inside a request a URL without
    a scheme or host is a function of the URL map (fixed once the app serves), the endpoint, its values and the
    request's host and script root, so that is the cache key; calls with other arguments (_external, _anchor, a relative
    ".endpoint", values other than strings and integers) and calls outside a request go to Flask unchanged."""
    build = app.url_for

    @functools.lru_cache(maxsize=4096)
    def cached(host: str, script_root: str, endpoint: str, values: tuple) -> str:  # noqa: ARG001 - the key
        return build(endpoint, **dict(values))

    def url_for(endpoint: str, **values) -> str:
        if endpoint[:1] == "." or not has_request_context():
            return build(endpoint, **values)
        for key, value in values.items():
            if key[:1] == "_" or type(value) not in (str, int):
                return build(endpoint, **values)
        current = request._get_current_object()
        return cached(current.host, current.script_root, endpoint, tuple(sorted(values.items())) if values else ())

    url_for.cache = cached  # cache_info(), cache_clear()
    return url_for


# --- language of parts (WCAG 3.1.2): course content is Polish whatever the interface language is ------------


def content_lang(language: str | None = None) -> Markup:
    """` lang="pl"` for an element holding content (a lesson, a course title, a competence name) when the page's
    interface is in another language; nothing when they agree. Use it inside a start tag: <h1{{ content_lang() }}>."""
    language = language or current_app.config.get("CONTENT_LANGUAGE", "pl")
    if language == str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return Markup("")
    return Markup(' lang="%s"') % language


def content(text) -> Markup:
    """Content text (a course or lesson title, a competence name) inline in an interface sentence: wrapped in a
    span marked with the content's language when the interface speaks another; escaped either way."""
    attr = content_lang()
    if not attr:
        return Markup("%s") % (text if text is not None else "")
    return Markup("<span%s>%s</span>") % (attr, text if text is not None else "")


def inline_markdown(text) -> Markup:
    """Inline content (a quiz question or answer, a learning outcome) with its *emphasis* and `{lang=en}` terms."""
    return Markup(render_inline(text))  # noqa: S704 - escaped before Markdown, then cleaned by nh3


def content_inline(text) -> Markup:
    """`content()` for inline content written with the lessons' inline syntax: rendered (so `*NIMBY*{lang=en}`
    carries its language) and marked with the content's language when the interface speaks another."""
    attr = content_lang()
    rendered = inline_markdown(text)
    return Markup("<span%s>%s</span>") % (attr, rendered) if attr else rendered
