"""A learner asks for an assessment from the development path, the trainer answers it from the request queue, and
the learner sees the new level and the notification. Every page passes the axe scan and fits 320 px."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser


def no_horizontal_scroll(page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})


def logout(page) -> None:
    page.get_by_role("button", name="Wyloguj się").click()


def unread(page) -> int:
    """The unread count the header's bell announces ("Powiadomienia (3 nieprzeczytane)")."""
    found = re.search(r"Powiadomienia \((\d+)", page.inner_text("header"))
    return int(found.group(1)) if found else 0


def test_request_from_development_path_answered_by_trainer(page, live_server):
    login(page, live_server, "koordynator@example.org")  # a learner with no requests yet (also a coordinator)
    unread_before = unread(page)  # other demo data (advisory, discussion) may have left some
    page.goto(live_server + "/competencies/self-assessment?role=mediator")
    while True:
        groups = page.locator("form.questionnaire fieldset")
        for i in range(groups.count()):
            groups.nth(i).locator("input[type=radio]").nth(2).check()
        last = page.get_by_role("button", name="Zapisz moją samoocenę")
        if last.count():
            follow(page, last)
            break
        follow(page, page.get_by_role("button", name="Zapisz i przejdź dalej"))
    page.wait_for_url("**/competencies/self-assessment/*")
    axe_check(page, "self-assessment result with assessment buttons")
    page.locator("a[href='/competencies/requests/new?code=MED.1.1']").first.click()
    page.wait_for_url("**/competencies/requests/new?code=MED.1.1")
    axe_check(page, "assessment request form")
    no_horizontal_scroll(page)
    assert page.get_by_label("Kompetencja").input_value() == "MED.1.1"
    page.get_by_role("button", name="Poproś o ocenę").click()
    page.locator("#description-error").wait_for()  # the description is required: a field error, no request
    axe_check(page, "assessment request form with an error")
    assert page.get_by_label("Twoja praktyka").get_attribute("aria-invalid") == "true"
    page.get_by_label("Twoja praktyka").fill("Poprowadziłam rozmowę dwóch sąsiadów skłóconych o parking; spisali porozumienie.")
    page.get_by_role("button", name="Poproś o ocenę").click()
    page.wait_for_url("**/competencies/requests")
    axe_check(page, "my assessment requests")
    no_horizontal_scroll(page)
    assert "czeka na trenera" in page.inner_text("main")
    logout(page)

    login(page, live_server, "trener@example.org")
    assert "prośb" in page.inner_text("main")  # the dashboard counts waiting requests
    follow(page, page.get_by_role("link", name="Prośby o ocenę", exact=True).first)
    axe_check(page, "request queue")
    no_horizontal_scroll(page)
    follow(page, page.get_by_role("link", name=re.compile(r"Barbara Wiśniewska\s*: MED\.1\.1")))
    axe_check(page, "request detail")
    no_horizontal_scroll(page)
    page.get_by_label("Oceniony poziom").select_option("2")
    page.get_by_label("Uzasadnienie oceny").fill("Samodzielnie poprowadziła mediację sąsiedzką.")
    page.get_by_role("button", name="Zapisz ocenę").click()
    page.wait_for_url("**/competencies/requests/queue")
    assert "uczestnik dostał powiadomienie" in page.inner_text("main")
    logout(page)

    login(page, live_server, "koordynator@example.org")
    assert unread(page) == unread_before + 1  # the trainer's answer
    page.goto(live_server + "/notifications")
    axe_check(page, "notifications")
    assert "MED.1.1" in page.inner_text("main")
    page.goto(live_server + "/competencies/requests")
    assert "Samodzielnie poprowadziła mediację sąsiedzką." in page.inner_text("main")
    page.goto(live_server + "/competencies/profile")
    axe_check(page, "profile with what comes next")
    no_horizontal_scroll(page)
    row = page.locator("tr", has=page.locator("th", has_text="MED.1.1 "))
    assert "2 — samodzielny" in row.inner_text()
    assert "Poproś trenera o ocenę" in row.inner_text()  # the next step: level 3
