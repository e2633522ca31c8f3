"""Locale selection (Polish unless the person chose English) and the request's catalogue, looked up once.

Flask-Babel finds the catalogue through the request context on every `_()`: the domain, the locale, the
translations cache, each through `g` (a context-local proxy) again — about 10 µs a call, and a page makes hundreds.
`RequestDomain` remembers the catalogue it returned in the request's `g`, next to the locale object it was for, and
hands it back while that same locale object is current. `force_locale` (e-mails in the recipient's language) and
`flask_babel.refresh` replace or clear the locale object, so the next call looks the catalogue up again: a cached
catalogue is never served for another locale. Lazy strings and Python-side `gettext` go through the same domain.
"""

from __future__ import annotations

from flask import current_app, g, has_app_context, request, session
from flask_babel import Domain, get_locale
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

_CACHE_KEY = "_elearn_translations"  # in g: (locale object, domain, translations)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang") if request else None
    if chosen in languages:
        return chosen
    if getattr(current_user, "is_authenticated", False) and getattr(current_user, "locale", None) in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


class RequestDomain(Domain):
    """Flask-Babel's default domain, remembering the request's catalogue for as long as its locale is current."""

    def get_translations(self):
        if not has_app_context():
            return super().get_translations()  # Flask-Babel's null catalogue
        state = g._get_current_object().__dict__
        babel_state = state.get("_flask_babel")
        locale = getattr(babel_state, "babel_locale", None)
        cached = state.get(_CACHE_KEY)
        if locale is not None and cached is not None and cached[0] is locale and cached[1] is self:
            return cached[2]
        translations = super().get_translations()
        state[_CACHE_KEY] = (get_locale(), self, translations)
        return translations


def install(app, babel) -> None:
    """Make `babel`'s default domain a RequestDomain and give the templates gettext callables that use it."""
    domain = RequestDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    babel.domain_instance = domain  # Flask-Babel's get_domain() and lazy strings read it from here

    def catalogue():
        return babel.domain_instance.get_translations()

    def finish(eval_ctx, text: str, variables: dict):
        if eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 - catalogue text is trusted markup, as in Jinja's own i18n; arguments are escaped by %
        # Always %-formatted, as Jinja's newstyle gettext does ("100%%" shows "100%"); without a "%" there is nothing
        # to format, so the common case skips it.
        return text % variables if variables or "%" in text else text

    @pass_eval_context
    def gettext(eval_ctx, string, **variables):
        return finish(eval_ctx, catalogue().ugettext(string), variables)

    @pass_eval_context
    def ngettext(eval_ctx, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return finish(eval_ctx, catalogue().ungettext(singular, plural, num), variables)

    @pass_eval_context
    def pgettext(eval_ctx, context, string, **variables):
        return finish(eval_ctx, catalogue().upgettext(context, string), variables)

    @pass_eval_context
    def npgettext(eval_ctx, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return finish(eval_ctx, catalogue().unpgettext(context, singular, plural, num), variables)

    # The same behaviour as Jinja's "newstyle" gettext (always %-formatted, Markup when autoescaping) without its
    # two extra context.call layers; `_` calls gettext directly instead of resolving it from the context each time.
    app.jinja_env.newstyle_gettext = True
    app.jinja_env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext)
