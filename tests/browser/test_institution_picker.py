"""The institution picker is a combobox a keyboard user can search and choose from; without a choice nothing is sent."""

from __future__ import annotations

from pathlib import Path

from tests.browser.helpers import axe_check, follow, login

SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def test_keyboard_search_choose_and_submit(page, live_server):
    page.goto(live_server + "/register")
    picker = page.get_by_role("combobox", name="Instytucja")
    assert picker.get_attribute("aria-expanded") == "false"
    assert page.locator("select[name=institution_id]").input_value() == ""  # nothing preselected
    picker.focus()
    page.keyboard.type("lubicz")  # without the accents of "Łubianka" or "Lubicz", words match either
    assert picker.get_attribute("aria-expanded") == "true"
    listbox = page.get_by_role("listbox")
    options = listbox.get_by_role("option")
    assert options.count() >= 1
    assert "powiat toruński" in listbox.inner_text()  # grouped by powiat
    axe_check(page, "registration with the picker open")
    page.keyboard.press("ArrowDown")
    active = picker.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    assert picker.get_attribute("aria-expanded") == "false"
    assert picker.input_value() == "Gminny ośrodek pomocy społecznej – gmina wiejska Lubicz"
    chosen = page.locator("select[name=institution_id]").input_value()
    assert chosen != ""

    # Accents optional, several words narrow the list; Escape closes, a second Escape clears the choice.
    picker.fill("lysomice")
    assert listbox.get_by_role("option").all_inner_texts() == ["Gminny ośrodek pomocy społecznej – gmina wiejska Łysomice"]
    page.keyboard.press("Escape")
    assert picker.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Escape")
    assert picker.input_value() == "" and page.locator("select[name=institution_id]").input_value() == ""

    # Submitting with no institution chosen gives the Polish error, and the picker stays enhanced.
    follow(page, page.get_by_role("button", name="Załóż konto"))
    picker = page.get_by_role("combobox", name="Instytucja")
    assert picker.get_attribute("aria-invalid") == "true"
    assert "To pole jest wymagane." in page.inner_text(".error-summary")
    axe_check(page, "registration with errors")


def test_picker_at_320_and_1280_px(page, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server + "/register")
        picker = page.get_by_role("combobox", name="Instytucja")
        picker.fill("toruń")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        axe_check(page, f"picker at {width} px")
        page.screenshot(path=str(SHOTS / f"picker-{width}.png"), full_page=False)
        picker.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"picker-open-{width}.png"))


def test_without_javascript_the_grouped_select_remains(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/register")
        select = page.get_by_label("Instytucja")
        assert page.get_by_role("combobox", name="Instytucja").count() == 1  # the native select, not an input
        assert page.locator("input[role=combobox]").count() == 0
        assert select.locator("optgroup").count() > 20
        assert select.locator("option[selected]").get_attribute("value") == ""
    finally:
        context.close()


def test_missing_institution_proposed_and_added(page, live_server):
    login(page, live_server, "uczestniczka@example.org")
    page.goto(live_server + "/account")
    follow(page, page.get_by_role("link", name="Mojej instytucji nie ma na liście: zaproponuj ją"))
    axe_check(page, "institution proposal form")
    page.get_by_label("Pełna nazwa instytucji").fill("Klub Integracji Społecznej w Obrowie")
    page.get_by_label("Typ instytucji").select_option("OTHER")
    page.get_by_label("Gmina, w której działa").select_option(label="Obrowo (gmina wiejska) – powiat toruński")
    page.get_by_label("Miejscowość").fill("Obrowo")
    follow(page, page.get_by_role("button", name="Wyślij propozycję"))
    assert "Administrator sprawdzi instytucję" in page.inner_text("main")
    page.get_by_role("button", name="Wyloguj się").click()

    login(page, live_server, "admin@example.org")
    page.goto(live_server + "/admin/institution-proposals")
    axe_check(page, "proposed institutions")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(SHOTS / f"proposals-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    follow(page, page.get_by_role("button", name="Dodaj instytucję"))
    assert "Dodano Klub Integracji Społecznej w Obrowie" in page.inner_text("main")


def test_missing_type_chosen_by_keyboard_asks_for_the_proposal(page, live_server):
    """No social economy entity (PES) of powiat toruński is listed: its "propose one" entry is found and chosen from the keyboard, and the
    fieldset asking for its name and gmina appears with only that powiat's gminas."""
    page.goto(live_server + "/register")
    fieldset = page.locator("fieldset#proposal")
    assert fieldset.is_hidden()
    picker = page.get_by_role("combobox", name="Instytucja")
    picker.focus()
    page.keyboard.type("zaproponuj pes toruński")
    options = page.get_by_role("listbox").get_by_role("option")
    assert options.all_inner_texts() == ["Brak na liście? Zaproponuj: Podmiot ekonomii społecznej (PES)"]
    assert "powiat toruński" in page.get_by_role("listbox").inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("select[name=institution_id]").input_value() == "brak-PES-0415"
    assert fieldset.is_visible()
    # Its two fields are required (and marked so) exactly while it is shown.
    assert page.locator("#proposed_name").evaluate("e => e.required")
    assert fieldset.locator(".required:visible").count() == 2
    gmina = page.get_by_label("Gmina, w której działa")
    offered = gmina.locator("optgroup:not([disabled]) option").all_inner_texts()
    assert "Lubicz (gmina wiejska)" in offered and all("Bydgoszcz" not in o for o in offered)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "proposed_name"
    axe_check(page, "registration proposing a missing PES")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        fieldset.scroll_into_view_if_needed()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"register-proposal-{width}.png"))
    # Choosing a listed institution hides the fieldset again.
    picker.fill("lysomice")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert fieldset.is_hidden()
    assert not page.locator("#proposed_name").evaluate("e => e.required")
