"""A learner hands in a practical assignment, the trainer assesses it with the rubric, the learner is notified and
sees level 2 with its evidence; axe on every page and no horizontal scroll at 320 px."""

from __future__ import annotations

import os
import re

import pytest

from tests.browser.helpers import axe_check, login

pytestmark = pytest.mark.browser

MODULE = "/courses/wprowadzenie-do-osl/modules/etyka-rozwoj-i-ochrona-danych"
TITLE = "Dylemat etyczny i opis do superwizji"
SHOTS = os.environ.get("ELEARN_SCREENSHOTS")  # a folder: save screenshots of the pages at 320 and 1280 px


def check(page, name: str) -> None:
    """axe on the page, no horizontal scroll at 320 px, and (on request) screenshots at both widths."""
    axe_check(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), name
    axe_check(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_submit_review_notify_and_level_2(page, live_server):
    login(page, live_server, "absolwent@example.org")
    page.goto(f"{live_server}{MODULE}")
    check(page, "module")
    page.get_by_role("link", name=TITLE).click()
    check(page, "assignment")
    page.get_by_label("Twoja odpowiedź").fill(
        "Mieszkanka prosi o dyskrecję, a chce współprowadzić klub. Pytanie do grupy: jak rozdzielić role?"
    )
    page.get_by_role("button", name="Zapisz wersję roboczą").click()
    page.wait_for_selector(".flash-success")
    assert "robocze" in page.locator("main").inner_text()
    page.get_by_role("button", name="Prześlij do oceny").click()
    page.wait_for_selector(".flash-success")
    assert "przesłane" in page.locator("main").inner_text()
    page.goto(f"{live_server}/assignments")
    check(page, "my-assignments")
    assert TITLE in page.locator("main").inner_text()
    page.get_by_role("button", name="Wyloguj").click()

    login(page, live_server, "trener@example.org")
    assert re.search(r"czeka(ją)? \d+ zada", page.locator("main").inner_text())
    page.get_by_role("link", name="Otwórz kolejkę ocen").click()
    check(page, "review-queue")
    page.locator("tbody tr").filter(has_text="Zofia Absolwentka").get_by_role("link", name=TITLE).click()
    check(page, "review")
    for group in page.locator("fieldset").filter(has=page.get_by_label("spełnia", exact=True)).all():
        group.get_by_label("spełnia", exact=True).check()
    page.get_by_label("zaliczone", exact=True).check()
    page.get_by_label("Informacja zwrotna dla uczestnika").fill("Rzetelna analiza dylematu, opis dobrze zanonimizowany.")
    page.get_by_role("button", name="Zapisz ocenę").click()
    page.wait_for_selector(".flash-success")
    page.get_by_role("button", name="Wyloguj").click()

    login(page, live_server, "absolwent@example.org")
    page.locator("a.bell").click()
    page.wait_for_url(f"{live_server}/notifications")
    assert TITLE in page.locator("li.notification").first.inner_text()
    axe_check(page)
    page.goto(f"{live_server}/competencies/profile")
    axe_check(page)
    text = page.locator("main").inner_text()
    assert "Zadanie praktyczne" in text
    row = page.locator("tr").filter(has_text="WSP.4.1").first
    assert row.locator(".level").inner_text().startswith("2")  # was 1 from the module; the assessed assignment made it 2
    assert "Zadanie praktyczne" in row.inner_text()
