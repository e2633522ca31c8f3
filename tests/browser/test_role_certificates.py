"""A trainer confirms the demo candidate's two missing competences; she requests the animator role certificate;
the issuer issues it from the queue; anyone verifies it. axe-core on every page, no horizontal scroll at 320 px."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser


def fits_320(page, selector: str | None = None) -> bool:
    """No horizontal scroll at 320 px: the whole page, or only the given block on pages with older wide parts."""
    page.set_viewport_size({"width": 320, "height": 800})
    if selector:
        fits = page.evaluate("(s) => document.querySelector(s).getBoundingClientRect().right <= 320", selector)
    else:
        fits = page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return fits


def test_candidate_assessed_requests_issuer_issues_public_verifies(page, live_server):
    login(page, live_server, "trener@example.org")
    page.goto(f"{live_server}/competencies/learners")
    follow(page, page.get_by_role("link", name="Ewa Kandydatka").first)
    axe_check(page)
    for code in ("ANI.4.2", "ANI.4.3"):
        page.get_by_label("Kompetencja", exact=True).select_option(code)
        page.get_by_label("Oceniony poziom").select_option("2")
        page.get_by_label("Uzasadnienie oceny").fill("Samodzielnie przygotowała i poprowadziła partnerstwo lokalne.")
        page.get_by_role("button", name="Zapisz ocenę").click()
        page.wait_for_selector(".flash-success")
    axe_check(page)
    page.context.clear_cookies()

    login(page, live_server, "kandydatka@example.org")
    page.goto(f"{live_server}/competencies/profile")
    section = page.locator("#role-animator")
    assert "26 z 26 kompetencji potwierdzonych" in section.inner_text()
    axe_check(page)
    assert fits_320(page, "#role-certificates-heading + p + ul")  # the profile's older tables scroll on their own
    section.get_by_role("link", name=re.compile("Wystąp o zaświadczenie roli")).click()
    axe_check(page)
    page.get_by_label("Data urodzenia").fill("1988-03-14")
    page.get_by_label("Miejsce urodzenia").fill("Chełmża")
    page.get_by_role("button", name="Wystąp o zaświadczenie").click()
    page.wait_for_url(f"{live_server}/certificates/mine")
    axe_check(page)
    assert fits_320(page)
    page.context.clear_cookies()

    login(page, live_server, "rops@example.org")
    page.goto(f"{live_server}/certificates/queue")
    axe_check(page)
    assert fits_320(page)
    follow(page, page.get_by_role("button", name="Wydaj zaświadczenie dla: Ewa Kandydatka (Animator społeczności lokalnej)"))
    axe_check(page, "role certificate confirmation")
    follow(page, page.get_by_role("button", name="Wydaj zaświadczenia"))
    page.wait_for_url(f"{live_server}/certificates/queue")
    number = re.search(r"ROPS-KP/\d{4}/\d{6}", page.locator(".flash-success").inner_text()).group(0)
    page.goto(f"{live_server}/certificates/register")
    follow(page, page.get_by_role("link", name=number))
    axe_check(page)
    verify_url = page.locator('a[href^="/verify/"]').first.get_attribute("href")
    page.goto(f"{live_server}/certificates/roles/settings")
    axe_check(page)
    page.context.clear_cookies()

    page.goto(f"{live_server}{verify_url}")
    text = page.locator("main").inner_text()
    assert number in text and "Animator społeczności lokalnej" in text
    assert "pracownik socjalny – organizator społeczności lokalnej" in text
    assert "ANI.4.3" in text and "ocena trenera" in text
    axe_check(page)
    assert fits_320(page)
