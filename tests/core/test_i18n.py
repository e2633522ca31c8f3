"""The request's catalogue is looked up once (core.i18n.RequestDomain) but never served for another locale."""

from __future__ import annotations

from flask import render_template_string, session
from flask_babel import force_locale, gettext, lazy_gettext, ngettext, refresh


def _page(source: str, **context) -> str:
    return render_template_string(source, **context)


def test_forced_locale_gets_its_own_catalogue_and_the_request_gets_its_own_back(app):
    with app.test_request_context("/"):
        assert gettext("Log out") == "Wyloguj się"
        assert _page("{{ _('Log out') }}") == "Wyloguj się"
        with force_locale("en"):  # as an e-mail to someone who reads English is written
            assert gettext("Log out") == "Log out"
            assert _page("{{ _('Log out') }}|{{ gettext('Notifications') }}") == "Log out|Notifications"
        assert gettext("Log out") == "Wyloguj się"
        assert _page("{{ _('Log out') }}") == "Wyloguj się"


def test_a_locale_chosen_during_the_request_is_used_after_refresh(app):
    with app.test_request_context("/"):
        assert _page("{{ _('Notifications') }}") == "Powiadomienia"
        session["lang"] = "en"
        refresh()
        assert _page("{{ _('Notifications') }}") == "Notifications"
        assert gettext("Notifications") == "Notifications"


def test_lazy_strings_are_translated_when_shown(app):
    label = lazy_gettext("Log out")
    with app.test_request_context("/"):
        assert str(label) == "Wyloguj się"
        with force_locale("en"):
            assert str(label) == "Log out"
        assert _page("{{ label }}", label=label) == "Wyloguj się"


def test_each_request_reads_its_own_locale(app):
    # a request of its own (the test's app context would share `g`, and with it Flask-Babel's locale)
    with app.app_context(), app.test_request_context("/"):
        assert gettext("Log out") == "Wyloguj się"
    with app.app_context(), app.test_request_context("/"):
        session["lang"] = "en"
        assert gettext("Log out") == "Log out"
        assert _page("{{ _('Log out') }}") == "Log out"


def test_template_gettext_formats_and_escapes_as_jinja_newstyle_does(app):
    with app.test_request_context("/"):
        assert _page("{{ ngettext('unread', 'unread', n) }}", n=1) == "nieprzeczytane"
        assert _page("{{ ngettext('unread', 'unread', n) }}", n=5) == "nieprzeczytanych"
        assert ngettext("unread", "unread", 5) == "nieprzeczytanych"
        with force_locale("en"):
            # always %-formatted, and arguments escaped when the template autoescapes
            assert _page("{{ _('100%%') }}") == "100%"
            assert _page("{{ _('Hello %(name)s', name=name) }}", name="<b>") == "Hello &lt;b&gt;"
            assert _page("{% autoescape false %}{{ _('Hello %(name)s', name=name) }}{% endautoescape %}", name="<b>") == "Hello <b>"
            assert _page("{% trans n=3 %}{{ n }} new{% endtrans %}") == "3 new"
