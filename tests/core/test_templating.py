"""The page header's per-request work: the menu follows the viewer's roles, and the URLs templates build are
remembered per host and script root (core.templating)."""

from __future__ import annotations

from flask import render_template_string


def _menu(html: str) -> str:
    return html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0] if '<nav class="main-nav"' in html else ""


def test_the_menu_shows_each_person_the_entries_of_their_own_roles(client, make_user, login):
    admin, learner = make_user("admin"), make_user("learner")
    login(admin)
    menu = _menu(client.get("/dashboard").get_data(as_text=True))
    assert 'href="/admin/audit"' in menu and 'href="/dashboard"' in menu
    login(learner)  # the same process, right after: nothing of the admin's menu is kept
    menu = _menu(client.get("/dashboard").get_data(as_text=True))
    assert 'href="/admin/audit"' not in menu and 'href="/dashboard"' in menu
    client.post("/logout")
    assert _menu(client.get("/privacy").get_data(as_text=True)) == ""


def test_template_urls_follow_the_script_root_and_their_arguments(app):
    source = "{{ url_for('core.privacy') }}|{{ url_for('static', filename=name) }}"
    with app.test_request_context("/"):
        assert render_template_string(source, name="css/app.css") == "/privacy|/static/css/app.css"
        assert render_template_string(source, name="js/app.js") == "/privacy|/static/js/app.js"
    with app.test_request_context("/", base_url="http://localhost/elearn/"):  # mounted under a prefix
        assert render_template_string(source, name="css/app.css") == "/elearn/privacy|/elearn/static/css/app.css"
    with app.test_request_context("/"):
        assert render_template_string(source, name="css/app.css") == "/privacy|/static/css/app.css"
        assert render_template_string("{{ url_for('core.privacy', _external=True) }}") == "http://localhost/privacy"
        assert render_template_string("{{ url_for('core.privacy', _anchor='a') }}") == "/privacy#a"
        assert render_template_string("{{ url_for('core.privacy', page=2) }}") == "/privacy?page=2"
