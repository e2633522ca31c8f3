"""The one formatting toolbar is on every textarea rendered as Markdown, not only in the lesson editor: a learner
formats a discussion reply from the keyboard alone, and the post shows the list and the bold text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
FOCUSED = "() => document.activeElement.textContent.trim()"


def test_reply_formatted_from_the_keyboard(page, live_server):
    login(page, live_server, "uczestniczka@example.org")
    page.goto(f"{live_server}/discussion")
    follow(page, page.get_by_role("link", name="Wprowadzenie do organizowania społeczności lokalnej"))
    follow(page, page.get_by_role("link", name="Informowanie czy konsultowanie? Jak to rozróżnić w praktyce"))
    reply = page.get_by_label("Twoja odpowiedź")
    toolbar = page.get_by_role("toolbar", name="Formatowanie tekstu")
    assert toolbar.count() == 1 and toolbar.is_visible()
    assert toolbar.get_attribute("aria-controls") == reply.get_attribute("id")
    axe_check(page, "thread with the reply toolbar")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        toolbar.scroll_into_view_if_needed()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"reply-toolbar-{width}.png"))
    axe_check(page, "reply toolbar at 1280 px")

    reply.fill("Kartka na drzwiach")
    reply.focus()
    page.keyboard.press("End")
    page.keyboard.press("Shift+Tab")  # the toolbar is one tab stop before the text
    assert page.evaluate(FOCUSED) == "Nagłówek"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(FOCUSED) == "Lista"
    page.keyboard.press("Enter")  # the line becomes a list item; focus returns to the text
    assert page.evaluate("() => document.activeElement.name") == "body"
    assert reply.input_value() == "- Kartka na drzwiach"
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("- ")
    page.keyboard.press("Control+B")
    page.keyboard.type("drugie spotkanie")
    assert reply.input_value() == "- Kartka na drzwiach\n- **drugie spotkanie**"
    follow(page, page.get_by_role("button", name="Wyślij odpowiedź"))
    last = page.locator("article.post .post-text").last
    assert last.locator("li").all_inner_texts() == ["Kartka na drzwiach", "drugie spotkanie"]
    assert last.locator("li strong").inner_text() == "drugie spotkanie"
