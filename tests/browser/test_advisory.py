"""A coordinator asks ROPS for advice, the advisor takes the case, answers with a template, schedules a meeting and
closes it with the time spent; the coordinator reads the outcome. axe on every page, no horizontal scroll at 320 px."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest

from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser

SUBJECT = "Zespół do spraw lokalnego planu deinstytucjonalizacji"
SHOTS = os.environ.get("ELEARN_SCREENSHOTS")  # a folder: save screenshots of the pages at 320 and 1280 px


def check(page, name: str) -> None:
    """axe at 1280 and 320 px, no horizontal scroll at 320 px, and (on request) screenshots at both widths."""
    axe_check(page, name)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/advisory-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), name
    axe_check(page, f"{name} at 320 px")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/advisory-{name}-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_coordinator_asks_and_an_advisor_answers_meets_and_closes(page, live_server):
    login(page, live_server, "koordynator@example.org")
    page.goto(f"{live_server}/advisory/")
    check(page, "mine")
    follow(page, page.get_by_role("link", name="Poproś o doradztwo"))
    check(page, "new")
    page.get_by_label("Temat sprawy").fill(SUBJECT)
    page.get_by_label("Dziedzina").select_option("lpdi")
    page.get_by_label("Opisz pytanie (Markdown)").fill(
        "Kogo powołać do zespołu przygotowującego **LPDI** i czy w zespole powinni być przedstawiciele PCPR?"
    )
    page.get_by_label("Preferowana forma doradztwa").select_option("online")
    page.get_by_label("Pilność").select_option("pilna")
    follow(page, page.get_by_role("button", name="Wyślij do ROPS"))
    assert SUBJECT in page.locator("h1").inner_text()
    check(page, "detail-institution")
    page.get_by_role("button", name="Wyloguj").click()

    login(page, live_server, "rops@example.org")
    page.goto(f"{live_server}/advisory/queue")
    check(page, "queue")
    follow(page, page.get_by_role("link", name=SUBJECT))
    follow(page, page.get_by_role("button", name="Przejmij tę sprawę"))
    page.get_by_label("Wzór odpowiedzi", exact=True).select_option(label="LPDI – od czego zacząć")
    follow(page, page.get_by_role("button", name="Wstaw do odpowiedzi"))
    assert "mapy usług" in page.get_by_label("Twoja wiadomość (Markdown)").input_value()
    check(page, "detail-advisor")
    follow(page, page.get_by_role("button", name="Wyślij", exact=True))
    day = (date.today() + timedelta(days=10)).isoformat()
    page.locator("#meeting-day").fill(day)
    page.locator("#meeting-start").fill("10:00")
    page.locator("#meeting-end").fill("11:00")
    page.locator("#meeting-form").select_option("online")
    page.locator("#meeting-location").fill("Link w kalendarzu")
    follow(page, page.get_by_role("button", name="Wyznacz spotkanie"))
    assert "Link w kalendarzu" in page.locator("#meetings").inner_text()
    page.locator("#close-outcome").fill("Zalecono zespół z udziałem PCPR, OPS i organizacji pozarządowych.")
    page.locator("#close-minutes").fill("75")
    follow(page, page.get_by_role("button", name="Zamknij sprawę"))
    assert "75 min" in page.locator("main").inner_text()
    check(page, "closed-advisor")
    follow(page, page.get_by_role("link", name="Zaproponuj do bazy wiedzy (po anonimizacji)"))
    check(page, "candidate")
    follow(page, page.get_by_role("button", name="Zapisz propozycję"))
    check(page, "candidates")
    page.goto(f"{live_server}/advisory/templates")
    check(page, "templates")
    follow(page, page.get_by_role("link", name="Nowy wzór"))
    check(page, "template-new")
    page.goto(f"{live_server}/analytics/advisory")
    check(page, "analytics")
    page.get_by_role("button", name="Wyloguj").click()

    login(page, live_server, "koordynator@example.org")
    page.goto(f"{live_server}/advisory/")
    assert "zamknięta" in page.locator("tr").filter(has_text=SUBJECT).inner_text()
    follow(page, page.get_by_role("link", name=SUBJECT))
    text = page.locator("main").inner_text()
    assert "Zalecono zespół" in text and "mapy usług" in text
    check(page, "closed-institution")
