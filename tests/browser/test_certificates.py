"""An issuer issues a certificate for the demo graduate, finds it in the register and revokes it; anyone then sees it revoked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser


def test_issue_register_revoke_and_public_verification(page, live_server):
    login(page, live_server, "rops@example.org")
    page.goto(f"{live_server}/certificates/queue")
    axe_check(page)
    row = page.locator("tbody tr").filter(has_text="absolwent@example.org").filter(has_text="Animator społeczności lokalnej")
    follow(page, row.get_by_role("button", name="Wydaj"))
    assert page.get_by_role("heading", name="Wydać zaświadczenia (liczba: 1)?").is_visible()  # the confirmation page
    axe_check(page, "issue confirmation")
    follow(page, page.get_by_role("button", name="Wydaj zaświadczenia"))
    page.wait_for_url(f"{live_server}/certificates/queue")
    flash = page.locator(".flash-success")
    number = re.search(r"ROPS-KP/\d{4}/\d{6}", flash.inner_text()).group(0)
    axe_check(page)

    page.goto(f"{live_server}/certificates/register")
    axe_check(page)
    page.get_by_label("Numer, posiadacz lub tytuł kursu").fill("Absolwentka")
    page.get_by_role("button", name="Szukaj").click()
    follow(page, page.get_by_role("link", name=number))
    axe_check(page)
    verify_url = page.locator('a[href^="/verify/"]').first.get_attribute("href")
    page.get_by_label("Powód unieważnienia").fill("Błędnie wpisane nazwisko uczestniczki")
    follow(page, page.get_by_role("button", name="Unieważnij zaświadczenie"))
    assert "Tego nie można cofnąć." in page.inner_text("main")
    axe_check(page, "revoke confirmation")
    shots = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(shots / f"confirm-revoke-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.get_by_label("Powód unieważnienia").input_value() == "Błędnie wpisane nazwisko uczestniczki"
    follow(page, page.get_by_role("button", name="Unieważnij zaświadczenie"))
    page.wait_for_selector(".flash-success")
    assert "unieważnione" in page.locator("main").inner_text()
    axe_check(page)

    page.context.clear_cookies()
    page.goto(f"{live_server}{verify_url}")
    text = page.locator("main").inner_text()
    assert "unieważnione" in text
    assert number in text
    assert "Błędnie wpisane" not in text  # the reason is not public
    axe_check(page)
    page.goto(f"{live_server}/verify")
    axe_check(page)
