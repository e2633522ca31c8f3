"""Template filters and the context every page gets."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from .formatting import format_filesize, format_number
from .formatting import localdate as _localdate
from .formatting import localdatetime as _localdatetime
from .markdown import promote_headings, render_inline
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
    app.jinja_env.globals["content_inline"] = content_inline
    app.jinja_env.filters["inline_markdown"] = inline_markdown
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
