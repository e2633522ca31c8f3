"""Each role's dashboard and the pages issue #13 added for coordinators and administrators: axe-clean at 1280 and
320 px, without horizontal scrolling of the page as a whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("ELEARN_SCREENSHOTS")  # a folder: save what was scanned, to look at


def _check(page, context: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page, f"{context} at {width}px")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), f"{context} scrolls at {width}px"
        if SHOTS:
            name = "".join(c if c.isalnum() else "-" for c in context)
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize(
    ("email", "heading"),
    [
        ("rops@example.org", "Kolejka zaświadczeń"),
        ("trener@example.org", "Zadania praktyczne"),
        ("koordynator@example.org", "Twój zespół"),
        ("admin@example.org", "Czeka na administratora"),
    ],
)
def test_role_dashboards(page, live_server, email, heading):
    login(page, live_server, email)
    assert heading in page.inner_text("main")
    assert "Gdy zapiszesz się na kurs" not in page.inner_text("main")
    _check(page, f"dashboard {email}")


def test_coordinator_team_worker_summary(page, live_server):
    login(page, live_server, "koordynator@example.org")
    page.goto(live_server + "/competencies/team")
    _check(page, "team overview")
    assert "Spełnia wymóg" in page.inner_text("table.matrix tfoot")
    follow(page, page.locator("[aria-labelledby=workers-caption] tbody a").first)
    assert page.url.rsplit("/", 2)[-2] == "team"
    _check(page, "team worker summary")


def test_admin_pages(page, live_server):
    login(page, live_server, "admin@example.org")
    page.goto(live_server + "/admin/users/new")
    _check(page, "create user")
    page.goto(live_server + "/admin/users")
    follow(page, page.locator("[aria-labelledby=users-caption] tbody a").first)
    _check(page, "edit user")
    page.goto(live_server + "/admin/audit")
    _check(page, "audit log")
    page.goto(live_server + "/admin/institutions/duplicates")
    _check(page, "duplicate institutions")
    page.goto(live_server + "/competencies/framework")
    _check(page, "competency framework")
    follow(page, page.get_by_role("button", name="Wczytaj dostarczony model"))
    assert "jest już wczytany" in page.inner_text("main")


def test_learner_certificates_help(page, live_server):
    login(page, live_server, "animatorka@example.org")
    page.goto(live_server + "/certificates/mine")
    page.get_by_text("Czym jest Open Badge").click()
    _check(page, "my certificates")
