"""The holder hears about an issued certificate: the header link counts it, the list shows it, it can be marked
read, and e-mail preferences are saved; axe on every page and no horizontal scroll at 320 px."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_issued_certificate_reaches_the_holders_bell_list_and_preferences(page, live_server):
    login(page, live_server, "rops@example.org")
    page.goto(f"{live_server}/certificates/queue")
    row = page.locator("tbody tr").filter(has_text="absolwent@example.org").filter(has_text="Wprowadzenie")
    follow(page, row.get_by_role("button", name="Wydaj"))
    follow(page, page.get_by_role("button", name="Wydaj zaświadczenia"))
    page.wait_for_selector(".flash-success")
    number = re.search(r"ROPS-KP/\d{4}/\d{6}", page.locator(".flash-success").inner_text()).group(0)
    page.get_by_role("button", name="Wyloguj").click()

    login(page, live_server, "absolwent@example.org")
    bell = page.locator("a.bell")
    assert int(re.search(r"Powiadomienia \((\d+)", bell.inner_text()).group(1)) >= 1
    bell.click()
    page.wait_for_url(f"{live_server}/notifications")
    axe_check(page)
    item = page.locator("li.notification").filter(has_text=number)
    assert "nieprzeczytane" in item.inner_text()
    item.get_by_role("button", name=re.compile("Oznacz jako przeczytane")).click()
    page.wait_for_selector(".flash-success")
    assert "nieprzeczytane" not in page.locator("li.notification").filter(has_text=number).inner_text()
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert no_horizontal_scroll(page)

    follow(page, page.get_by_role("link", name="Ustawienia e-maili"))
    axe_check(page)
    assert no_horizontal_scroll(page)
    page.get_by_label("unieważniono moje zaświadczenie").uncheck()
    page.get_by_role("button", name="Zapisz ustawienia").click()
    page.wait_for_selector(".flash-success")
    assert not page.get_by_label("unieważniono moje zaświadczenie").is_checked()
    assert page.get_by_label("wydano mi zaświadczenie").is_checked()
    axe_check(page)
