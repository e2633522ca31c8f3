"""The knowledge base in a real browser: a learner finds the demo template by a phrase that only its PDF contains
and proposes a resource; ROPS staff review a proposal; axe on every page at 1280 and 320 px, no horizontal scroll."""

from __future__ import annotations

import os

import pytest

from elearn.knowledge.demo import PDF_ONLY_PHRASE, TEMPLATE_TITLE
from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("ELEARN_SCREENSHOTS")  # a folder: save screenshots of the pages at 320 and 1280 px


def check(page, name: str) -> None:
    axe_check(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/knowledge-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), name
    axe_check(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/knowledge-{name}-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_find_by_pdf_text_propose_and_review(page, live_server):
    login(page, live_server, "pracownik@example.org")
    page.goto(f"{live_server}/knowledge")
    check(page, "library")
    page.get_by_label("Szukane słowa").fill(f'"{PDF_ONLY_PHRASE}"')
    follow(page, page.get_by_role("button", name="Szukaj"))
    main = page.locator("main").inner_text()
    assert TEMPLATE_TITLE in main and "Treść pliku harmonogram-srps-v2.pdf" in main
    check(page, "results")
    follow(page, page.get_by_role("link", name=TEMPLATE_TITLE))
    assert "zastąpiona" in page.locator("main").inner_text()
    check(page, "resource")
    page.goto(f"{live_server}/competencies/framework/competences/POL.2.2")
    assert TEMPLATE_TITLE in page.locator("main").inner_text()
    check(page, "competence")
    page.goto(f"{live_server}/knowledge/new")
    check(page, "propose")
    page.get_by_label("Odnośnik").check()
    page.get_by_label("Typ", exact=True).select_option(label="Poradnik")
    page.get_by_label("Tytuł").fill("Poradnik o funduszu sołeckim")
    page.get_by_label("Streszczenie").fill("Jak mieszkańcy wsi decydują o funduszu sołeckim na zebraniu wiejskim.")
    page.get_by_label("Adres (URL)").fill("https://example.org/fundusz-solecki")
    follow(page, page.get_by_role("button", name="Zapisz"))
    assert "czeka na ocenę" in page.locator("main").inner_text()
    page.goto(f"{live_server}/knowledge/mine")
    check(page, "mine")
    follow(page, page.get_by_role("button", name="Wyloguj"))

    login(page, live_server, "rops@example.org")
    page.goto(f"{live_server}/knowledge/review")
    check(page, "queue")
    follow(page, page.get_by_role("link", name="Poradnik o funduszu sołeckim"))
    check(page, "review")
    page.get_by_label("Przyjmij i opublikuj").check()
    follow(page, page.get_by_role("button", name="Zapisz decyzję"))
    assert "opublikowana" in page.locator(".flashes").inner_text()
    page.goto(f"{live_server}/knowledge/new")
    check(page, "add")
