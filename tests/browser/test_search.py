"""The search page in a real browser: a learner types an inflected word, filters by kind, follows a suggestion;
axe-core on each state and no horizontal scroll at 320 px."""

from __future__ import annotations

import os

import pytest

from tests.browser.helpers import axe_check, login

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("ELEARN_SCREENSHOTS")  # a folder: save the pages at 320 and 1280 px to look at them


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def _look(page, name: str) -> None:
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert no_horizontal_scroll(page), f"{name} scrolls sideways at {width} px"
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, f"search-{name}-{width}.png"), full_page=True)


def test_learner_searches_filters_and_follows_a_suggestion(page, live_server):
    login(page, live_server, "pracownik@example.org")
    page.get_by_role("link", name="Szukaj").first.click()
    page.get_by_label("Szukane słowa").fill("funduszu sołeckiego")
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_selector("section.search-group")
    assert page.locator("section.search-group h2").first.is_visible()
    assert page.locator("mark").count() > 0
    axe_check(page)
    _look(page, "results")

    page.get_by_role("link", name="Lekcje").first.click()
    page.wait_for_selector("#group-lesson")
    assert page.locator("#group-course").count() == 0
    axe_check(page)

    page.get_by_label("Szukane słowa").fill("partycypacjja")
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_selector(".search-suggestion")
    axe_check(page)
    _look(page, "suggestion")
    page.locator(".search-suggestion a").click()
    page.wait_for_selector("section.search-group")
    assert "partycypacja" in page.get_by_label("Szukane słowa").input_value()
