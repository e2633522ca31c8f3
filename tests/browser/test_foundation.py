"""A social worker registers into a real kujawsko-pomorskie institution, confirms the address from the e-mail,
sees the dashboard, logs out and in again."""

from __future__ import annotations

import email
import email.policy
import re
import time
from pathlib import Path

from tests.browser.helpers import axe_check, follow, login


def _confirmation_link(app, address: str) -> str:
    """The link in the confirmation mail; mail is sent by a background job, so wait for it briefly."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for path in sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"] == address:
                body = message.get_body(preferencelist=("plain",)).get_content()
                return re.search(r"http://\S+/register/confirm/\S+", body).group(0)
        time.sleep(0.1)
    raise AssertionError(f"no confirmation mail to {address}")


def test_register_confirm_dashboard_logout_login(page, live_server, live_app):
    page.goto(live_server + "/")
    axe_check(page)
    assert page.locator("html").get_attribute("lang") == "pl"
    follow(page, page.get_by_role("link", name="Załóż konto").first)
    axe_check(page)

    # A submit with missing fields shows Polish errors tied to the fields, and the summary takes focus.
    follow(page, page.get_by_role("button", name="Załóż konto"))
    axe_check(page, "registration with errors")
    name_field = page.get_by_label("Imię i nazwisko")
    assert name_field.get_attribute("aria-invalid") == "true"
    assert "To pole jest wymagane." in page.locator(f"#{name_field.get_attribute('aria-describedby').split()[-1]}").inner_text()

    name_field.fill("Zofia Wiśniewska-Łęcka")
    page.get_by_label("Adres e-mail").fill("zofia.lecka@example.org")
    picker = page.get_by_role("combobox", name="Instytucja")
    picker.fill("gops lubicz")
    page.get_by_role("option", name="Gminny ośrodek pomocy społecznej – gmina wiejska Lubicz").click()
    page.get_by_label("Stanowisko").fill("pracownik socjalny")
    page.get_by_label("Hasło", exact=True).fill("bezpieczne-haslo-2026")
    page.get_by_label("Powtórz hasło").fill("bezpieczne-haslo-2026")
    page.get_by_label("Potwierdzam", exact=False).check()
    page.get_by_role("button", name="Załóż konto").click()
    page.wait_for_url(live_server + "/login")
    assert "Otwórz link w tej wiadomości, aby aktywować konto." in page.inner_text("main")
    axe_check(page)

    page.goto(_confirmation_link(live_app, "zofia.lecka@example.org"))
    page.wait_for_url(live_server + "/dashboard")
    axe_check(page)
    assert "Zofia Wiśniewska-Łęcka" in page.inner_text("main")
    page.goto(live_server + "/account")
    assert "czeka na potwierdzenie" in page.inner_text("main")
    axe_check(page, "account with a pending institution request")

    page.get_by_role("button", name="Wyloguj się").click()
    page.wait_for_url(live_server + "/")
    axe_check(page)

    login(page, live_server, "zofia.lecka@example.org", "bezpieczne-haslo-2026")
    axe_check(page)


def test_keyboard_skip_link_reaches_main(page, live_server):
    page.goto(live_server + "/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Przejdź do treści głównej"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.evaluate("() => location.hash") == ""  # no "#main" for a later form to carry (tests/browser/test_everyday.py)


def test_admin_pages_are_accessible(page, live_server):
    login(page, live_server, "admin@example.org")
    for path in (
        "/admin/users",
        "/admin/institutions/",
        "/admin/audit",
        "/admin/institution-requests",
        "/account",
        "/privacy",
        "/accessibility",
    ):
        page.goto(live_server + path)
        axe_check(page)
    page.goto(live_server + "/admin/institutions/")
    follow(page, page.get_by_role("link", name="Dodaj instytucję"))
    axe_check(page)


def test_account_and_membership_pages_fit_a_narrow_screen(page, live_server):
    login(page, live_server, "koordynator@example.org")
    page.set_viewport_size({"width": 320, "height": 900})
    for path in ("/account", "/institution-requests"):
        page.goto(live_server + path)
        axe_check(page)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), path
