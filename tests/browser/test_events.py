"""Training events in a real browser: the organiser schedules, a learner registers, the trainer takes attendance.

axe-core runs on every page; key pages are checked for horizontal scrolling at 320 px and photographed at 320 and
1280 px into the test's temporary directory (for a person to look at; never committed)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser


def no_horizontal_scroll(page, shots, name: str) -> None:
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
        if width == 320:
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            wide = page.evaluate(
                "() => [...document.querySelectorAll('body *')].filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > "
                "document.documentElement.clientWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className)"
            )
            assert overflow <= 0, f"{name} scrolls horizontally at 320 px by {overflow} px (wider elements: {wide})"


def test_organiser_learner_and_trainer_paths(page, live_server, tmp_path):
    shots = tmp_path
    # anyone: the public calendar with the demo events
    page.goto(f"{live_server}/events")
    axe_check(page, "calendar")
    assert "Praca z rodziną w kryzysie" in page.locator("main").inner_text()
    no_horizontal_scroll(page, shots, "calendar")
    page.set_viewport_size({"width": 1280, "height": 900})

    # organiser: schedule a two-day workshop
    login(page, live_server, "rops@example.org")
    page.goto(f"{live_server}/events/new")
    axe_check(page, "new event form")
    day = date.today() + timedelta(days=20)
    page.fill("#title", "Warsztat przeglądarkowy: mediacje rodzinne")
    page.select_option("#type", "warsztat")
    page.fill("#description", "Ćwiczymy **mediacje**.")
    page.fill("#sessions-0-day", day.isoformat())
    page.fill("#sessions-0-start", "09:00")
    page.fill("#sessions-0-end", "15:00")
    page.fill("#sessions-1-day", (day + timedelta(days=1)).isoformat())
    page.fill("#sessions-1-start", "09:00")
    page.fill("#sessions-1-end", "13:00")
    page.fill("#city", "Toruń")
    page.fill("#place_name", "Sala 12")
    page.fill("#capacity", "2")
    page.fill("#registration_opens", date.today().isoformat())
    page.fill("#registration_closes", (day - timedelta(days=1)).isoformat())
    page.fill("#cancellation_deadline", (day - timedelta(days=2)).isoformat())
    page.select_option("#trainers", label="Tomasz Nowak")
    no_horizontal_scroll(page, shots, "event-form")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Zapisz wydarzenie").click()
    page.wait_for_selector(".flash-success")
    axe_check(page, "event page (organiser)")
    event_url = page.url
    assert "10 h zegarowych (13,33 h" in page.locator("main").inner_text()
    page.context.clear_cookies()

    # learner: register
    login(page, live_server, "pracownik@example.org")
    page.goto(event_url)
    axe_check(page, "event page (learner)")
    page.get_by_role("button", name="Zapisz się").click()
    page.wait_for_selector(".flash-success")
    assert "zapisany" in page.locator("main").inner_text()
    axe_check(page, "event page after registering")
    no_horizontal_scroll(page, shots, "event-detail")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/events/mine")
    axe_check(page, "my events")
    page.context.clear_cookies()

    # trainer: the past demo workshop — attendance list, marking, assessment
    login(page, live_server, "trener@example.org")
    page.goto(f"{live_server}/events")
    page.goto(f"{live_server}/dashboard")
    page.goto(f"{live_server}/events/5")
    axe_check(page, "past workshop (trainer)")
    follow(page, page.get_by_role("link", name="Sprawdź obecność"))
    axe_check(page, "attendance sheet")
    boxes = page.locator("input.big-check")
    assert boxes.count() == 8  # 4 participants × 2 sessions
    boxes.nth(7).check()
    page.get_by_role("button", name="Zapisz obecność").click()
    page.wait_for_selector(".flash-success")
    axe_check(page, "attendance saved")
    no_horizontal_scroll(page, shots, "attendance")
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.request.get(f"{live_server}/events/5/attendance-list.pdf")
    assert response.headers["content-type"] == "application/pdf"
    page.goto(f"{live_server}/events/5/assessment")
    axe_check(page, "assessment grid")
    page.goto(f"{live_server}/events/5/participants")
    axe_check(page, "participants")
    page.goto(f"{live_server}/events/5/evaluation/results")
    axe_check(page, "evaluation results")
