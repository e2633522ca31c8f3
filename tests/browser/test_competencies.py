"""A learner opens the competence profile, takes a self-assessment and sees a development path; a coordinator
opens the team matrix. Every page passes the axe scan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser


def test_learner_profile_self_assessment_and_development_path(page, live_server):
    login(page, live_server, "pracownik@example.org")
    page.goto(live_server + "/competencies/profile")
    axe_check(page, "competence profile")
    assert page.locator("h1").inner_text() == "Mój profil kompetencji"
    assert page.locator("svg[role=img]").count() == 1

    follow(page, page.get_by_role("link", name="Wypełnij samoocenę"))
    axe_check(page, "self-assessment start")
    page.get_by_label("Rola").select_option("animator")
    follow(page, page.get_by_role("button", name="Rozpocznij samoocenę"))
    axe_check(page, "self-assessment questionnaire, first area")
    count = int(re.search(r"Obszar 1 z (\d+)", page.inner_text("main")).group(1))
    shots = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    answered = 0
    for number in range(1, count + 1):
        assert f"Obszar {number} z {count}" in page.inner_text("main")
        groups = page.locator("form.questionnaire fieldset")
        answered += groups.count()
        if number == 2:  # an area answered halfway: the summary links to the group that was left out
            groups.nth(0).locator("input[type=radio]").nth(1).check()
            follow(page, page.get_by_role("button", name="Zapisz i przejdź dalej"))
            axe_check(page, "self-assessment area with an error")
            target = page.locator(".error-summary a").first.get_attribute("href")
            assert page.locator(target).count() == 1
            groups = page.locator("form.questionnaire fieldset")
        if number == 1:
            for width in (320, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
                page.screenshot(path=str(shots / f"self-assessment-{width}.png"))
        for i in range(groups.count()):
            groups.nth(i).locator("input[type=radio]").nth(1).check()
        button = "Zapisz moją samoocenę" if number == count else "Zapisz i przejdź dalej"
        follow(page, page.get_by_role("button", name=button))
    assert answered == 26
    page.wait_for_url("**/competencies/self-assessment/*")
    axe_check(page, "self-assessment result")
    main = page.inner_text("main")
    assert "Ścieżka rozwoju" in main
    assert "Animator społeczności lokalnej" in main
    assert page.locator("ol.development-path > li").count() >= 2


def test_coordinator_team_matrix(page, live_server):
    login(page, live_server, "koordynator@example.org")
    page.goto(live_server + "/competencies/team")
    axe_check(page, "team matrix")
    assert page.locator("h1").inner_text() == "Kompetencje zespołu"
    assert "Barbara Wiśniewska" in page.inner_text("table.matrix")
    page.get_by_label("Rola").select_option("mediator")
    follow(page, page.get_by_role("button", name="Pokaż"))
    axe_check(page, "team matrix, mediator")
    assert "MED.1.1" in page.inner_text("table.matrix")
