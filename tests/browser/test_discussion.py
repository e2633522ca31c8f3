"""Discussion in a real browser, on the demo data: a learner reads the answered lesson question and replies with a
quote, writes in a direct conversation; ROPS staff hide the reported forum post with a reason. axe-core at 1280 and
320 px on every page, no horizontal scrolling at 320 px; screenshots into ELEARN_SCREENSHOTS when set."""

from __future__ import annotations

import os

import pytest

from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("ELEARN_SCREENSHOTS")


def check(page, name: str) -> None:
    axe_check(page, f"{name} at 1280 px")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/discussion-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls horizontally at 320 px by {overflow} px"
    axe_check(page, f"{name} at 320 px")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/discussion-{name}-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_learner_reads_the_answer_replies_with_a_quote_and_writes_a_message(page, live_server):
    login(page, live_server, "uczestniczka@example.org")
    page.goto(f"{live_server}/discussion")
    check(page, "index")
    follow(page, page.get_by_role("link", name="Wprowadzenie do organizowania społeczności lokalnej"))
    check(page, "course")
    follow(page, page.get_by_role("link", name="Informowanie czy konsultowanie? Jak to rozróżnić w praktyce"))
    check(page, "thread")
    answer = page.locator("article.post-answer")
    assert "Tomasz Nowak" in answer.inner_text() and "Konsultowanie ma trzy elementy" in answer.inner_text()
    assert "Zofia Absolwentka napisał(a):" in answer.inner_text()
    follow(page, answer.get_by_role("link", name="Cytuj wpis: Tomasz Nowak"))
    assert "Cytujesz: Tomasz Nowak" in page.locator("#quote-preview").inner_text()
    page.get_by_label("Twoja odpowiedź").fill("Czy kartka na drzwiach wystarczy, czy lepiej **drugie spotkanie**?")
    follow(page, page.get_by_role("button", name="Wyślij odpowiedź"))
    last = page.locator("article.post").last
    assert "drugie spotkanie" in last.inner_text() and "Tomasz Nowak napisał(a):" in last.inner_text()
    check(page, "thread-after-reply")

    lesson = page.locator("nav.breadcrumbs a").nth(2)
    follow(page, lesson)
    check(page, "lesson-discussion")

    follow(page, page.get_by_role("button", name="Wyloguj się"))
    login(page, live_server, "pracownik@example.org")  # her direct conversation with the coordinator
    page.goto(f"{live_server}/messages")
    check(page, "conversations")
    follow(page, page.get_by_role("link", name="Barbara Wiśniewska"))
    assert "Prześlę Ci po spotkaniu notatkę" in page.locator("main").inner_text()
    check(page, "conversation")
    page.get_by_label("Wiadomość").fill("Dziękuję, notatkę podpiszę w poniedziałek.")
    follow(page, page.get_by_role("button", name="Wyślij"))
    assert "Wiadomość wysłana" in page.locator(".flashes").inner_text()
    page.goto(f"{live_server}/messages/people")
    check(page, "contacts")
    page.goto(f"{live_server}/discussion/forums/animacja-w-malej-gminie/new")
    check(page, "new-thread")


def test_rops_staff_hide_the_reported_forum_post_with_a_reason(page, live_server):
    login(page, live_server, "rops@example.org")
    assert "zgłoszony wpis czeka" in page.locator("main").inner_text()
    page.goto(f"{live_server}/discussion/reports")
    check(page, "reports")
    assert "prywatny numer telefonu" in page.locator("tbody").inner_text()
    follow(page, page.get_by_role("link", name="Ukryj z podaniem powodu"))
    check(page, "hide")
    page.get_by_label("Powód").fill("Wpis ujawniał prywatny numer telefonu mieszkanki")
    follow(page, page.get_by_role("button", name="Ukryj wpis"))
    assert "ukryty przez moderatora: Wpis ujawniał prywatny numer telefonu mieszkanki" in page.locator("main").inner_text()
    check(page, "thread-moderator")
    page.goto(f"{live_server}/discussion/forums/srps-w-praktyce")
    check(page, "forum")
