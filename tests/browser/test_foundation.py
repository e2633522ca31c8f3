"""A social worker registers into a real kujawsko-pomorskie institution, logs in, sees the dashboard, logs out."""

from __future__ import annotations

from tests.browser.helpers import axe_check, login


def test_register_login_dashboard_logout(page, live_server):
    page.goto(live_server + "/")
    axe_check(page)
    assert page.locator("html").get_attribute("lang") == "pl"
    page.get_by_role("link", name="Załóż konto").first.click()
    axe_check(page)

    # A submit with missing fields shows Polish errors tied to the fields, and the summary takes focus.
    page.get_by_role("button", name="Załóż konto").click()
    axe_check(page, "registration with errors")
    name_field = page.get_by_label("Imię i nazwisko")
    assert name_field.get_attribute("aria-invalid") == "true"
    assert "To pole jest wymagane." in page.locator(f"#{name_field.get_attribute('aria-describedby').split()[-1]}").inner_text()

    name_field.fill("Zofia Wiśniewska-Łęcka")
    page.get_by_label("Adres e-mail").fill("zofia.lecka@example.org")
    page.get_by_label("Instytucja").select_option(label="Gminny ośrodek pomocy społecznej – gmina wiejska Lubicz")
    page.get_by_label("Stanowisko").fill("pracownik socjalny")
    page.get_by_label("Hasło", exact=True).fill("bezpieczne-haslo-2026")
    page.get_by_label("Powtórz hasło").fill("bezpieczne-haslo-2026")
    page.get_by_label("Potwierdzam", exact=False).check()
    page.get_by_role("button", name="Załóż konto").click()
    page.wait_for_url(live_server + "/dashboard")
    axe_check(page)
    assert "Zofia Wiśniewska-Łęcka" in page.inner_text("main")

    page.get_by_role("button", name="Wyloguj").click()
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
    assert page.evaluate("() => location.hash") == "#main"


def test_admin_pages_are_accessible(page, live_server):
    login(page, live_server, "admin@example.org")
    for path in ("/admin/users", "/admin/institutions/", "/admin/audit", "/account", "/privacy", "/accessibility"):
        page.goto(live_server + path)
        axe_check(page)
    page.goto(live_server + "/admin/institutions/")
    page.get_by_role("link", name="Dodaj instytucję").click()
    axe_check(page)
