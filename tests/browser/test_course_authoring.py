"""A trainer writes a course without knowing any syntax: the address comes from the title, prerequisites and
competences are ticked, the quiz is built with buttons, the lesson is formatted with a keyboard toolbar and an
image is inserted at the cursor with its description. Every page passes axe at 1280 and 320 px."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser

TITLE = "Łąka – ćwiczenia z mediacji sąsiedzkiej"
SLUG = "laka-cwiczenia-z-mediacji-sasiedzkiej"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (11, 79, 138)).save(buffer, format="PNG")
    return buffer.getvalue()


def _no_horizontal_scroll(page, what: str) -> None:
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), f"{what} scrolls sideways at 320 px"
    axe_check(page, f"{what} at 320 px")
    _screenshot(page, f"{what}-320")
    page.set_viewport_size({"width": 1280, "height": 900})
    _screenshot(page, f"{what}-1280")


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("ELEARN_SCREENSHOTS")  # set it to look at the pages (docs/architecture.md, Tests)
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _create_course(page, live_server) -> None:
    page.goto(f"{live_server}/authoring/courses/new")
    axe_check(page, "new course")
    page.get_by_label("Tytuł kursu").fill(TITLE)
    assert page.get_by_label("Adres kursu (slug)").input_value() == SLUG  # made from the title as it is typed
    page.get_by_label("Opis kursu").fill("Ćwiczenia z prowadzenia rozmowy stron sporu o wspólną przestrzeń osiedla.")
    page.get_by_label("Rola zawodowa").select_option("mediator")
    page.get_by_label("Liczba godzin").fill("1")
    page.get_by_role("group", name="Kursy wymagane wcześniej").get_by_label("Wprowadzenie do organizowania społeczności lokalnej").check()
    _no_horizontal_scroll(page, "course-new")
    follow(page, page.get_by_role("button", name="Zapisz kurs"))
    assert page.url.endswith(f"/authoring/courses/{SLUG}")
    axe_check(page, "course edit")


def _add_module(page) -> None:
    follow(page, page.get_by_role("link", name="Dodaj moduł"))
    axe_check(page, "new module")
    page.get_by_label("Tytuł modułu").fill("Rozmowa stron")
    page.get_by_label("Liczba godzin modułu").fill("1")
    page.get_by_role("checkbox", name="MED.1.1", exact=False).first.check()
    _no_horizontal_scroll(page, "module")
    follow(page, page.get_by_role("button", name="Zapisz moduł"))
    assert "Moduł został dodany." in page.inner_text("main")


def _add_assignment(page) -> None:
    follow(page, page.get_by_role("link", name="Dodaj zadanie praktyczne"))
    axe_check(page, "new assignment")
    page.get_by_label("Tytuł zadania").fill("Rozmowa stron sporu o parking")
    page.get_by_label("Polecenie dla uczestnika (Markdown)").fill("Przeprowadź rozmowę i opisz, jak strony doszły do porozumienia.")
    page.get_by_label("MED.1.2", exact=False).select_option("2")  # competences and levels from lists, nothing typed
    _no_horizontal_scroll(page, "assignment")
    follow(page, page.get_by_role("button", name="Zapisz zadanie"))
    assert "Zadanie zostało zapisane." in page.inner_text("main")


def _build_quiz(page) -> None:
    follow(page, page.get_by_role("link", name="Utwórz quiz"))
    axe_check(page, "quiz builder (empty)")
    follow(page, page.get_by_role("button", name="Dodaj pytanie"))
    question = page.get_by_role("group", name="Pytanie 1")
    assert page.evaluate("() => document.activeElement.id") == "questions-0-text"  # focus on the new question
    page.keyboard.type("Kto rozstrzyga spór w mediacji?")
    question.get_by_label("Odpowiedź 1", exact=True).fill("Mediator")
    question.get_by_label("Odpowiedź 2", exact=True).fill("Strony sporu, które same wypracowują porozumienie")
    question.get_by_label("poprawna (odpowiedź 2)").check()
    question.get_by_label("Wyjaśnienie pokazywane po odpowiedzi").fill("Mediator pomaga, ale nie rozstrzyga.")
    axe_check(page, "quiz builder (one question)")
    _no_horizontal_scroll(page, "quiz-builder")
    follow(page, page.get_by_role("button", name="Widok zaawansowany (tekst)"))
    source = page.get_by_label("Quiz w postaci tekstu").input_value()
    assert source.startswith("### Kto rozstrzyga spór w mediacji?\n- ( ) Mediator\n- (x) Strony sporu")
    axe_check(page, "quiz text view")
    follow(page, page.get_by_role("button", name="Zapisz quiz"))
    assert "Quiz został zapisany." in page.inner_text("main")


def test_trainer_authors_a_course_without_syntax(page, live_server, tmp_path):
    login(page, live_server, "trener@example.org")
    _create_course(page, live_server)
    _add_module(page)
    _add_assignment(page)
    _build_quiz(page)

    page.goto(f"{live_server}/authoring/courses/{SLUG}/modules/rozmowa-stron/lessons/new")
    axe_check(page, "lesson editor")
    toolbar = page.get_by_role("toolbar", name="Formatowanie tekstu")
    assert toolbar.is_visible()
    names = [toolbar.get_by_role("button").nth(i).inner_text() for i in range(toolbar.get_by_role("button").count())]
    assert names == ["Nagłówek", "Pogrubienie", "Lista", "Odnośnik", "Tabela", "Ramka"]

    page.get_by_label("Tytuł lekcji").fill("Pierwsza rozmowa")
    text = page.get_by_label("Treść lekcji (Markdown)")
    text.fill("Zacznij od zasad.\n\nPotem oddaj głos stronom.")
    # one tab stop: Tab from the title lands on the first button, arrows move, Home/End jump, Tab leaves to the text
    page.get_by_label("Tytuł lekcji").focus()
    page.keyboard.press("Tab")
    focused = "() => document.activeElement.textContent.trim()"
    assert page.evaluate(focused) == "Nagłówek"
    page.keyboard.press("ArrowRight")
    assert page.evaluate(focused) == "Pogrubienie"
    page.keyboard.press("End")
    assert page.evaluate(focused) == "Ramka"
    page.keyboard.press("ArrowRight")
    assert page.evaluate(focused) == "Nagłówek"  # wraps around
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "source"
    # select "zasad" and make it bold from the toolbar with the keyboard
    page.evaluate(
        "() => { const t = document.getElementById('source'); const i = t.value.indexOf('zasad'); t.setSelectionRange(i, i + 5); }"
    )
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "Pogrubienie"  # the toolbar remembers the last button
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "source"
    assert text.input_value() == "Zacznij od **zasad**.\n\nPotem oddaj głos stronom."
    page.evaluate("() => { const t = document.getElementById('source'); t.setSelectionRange(t.value.length, t.value.length); }")
    page.keyboard.press("Control+B")  # the shortcut, with nothing selected: a placeholder to type over, selected
    assert text.input_value().endswith("stronom.**pogrubiony tekst**")
    page.keyboard.type("ważne")
    assert text.input_value().endswith("stronom.**ważne**")

    # an image goes where the cursor is, after its description is given
    text.fill("Zacznij od zasad.\n\nPotem oddaj głos stronom.")
    page.evaluate("() => { const t = document.getElementById('source'); t.focus(); t.setSelectionRange(17, 17); }")
    png = tmp_path / "Układ sali.png"
    png.write_bytes(_png())
    page.get_by_label("Obraz lub dokument").set_input_files(str(png))
    page.get_by_role("button", name="Wstaw do tekstu").click()
    status = page.locator("[data-upload-status]")
    status.filter(has_text="Opisz obraz").wait_for()
    assert page.evaluate("() => document.activeElement.id") == "image_alt"
    page.get_by_label("Opis obrazu (tekst alternatywny)").fill("Układ sali: stół okrągły, strony naprzeciw siebie")
    page.get_by_role("button", name="Wstaw do tekstu").click()
    status.filter(has_text="wstawiony").wait_for()
    assert text.input_value() == (
        "Zacznij od zasad.\n\n![Układ sali: stół okrągły, strony naprzeciw siebie](media/uklad-sali.png)\n\nPotem oddaj głos stronom."
    )
    image = page.locator("#live-preview img[alt^='Układ sali']")
    image.wait_for()
    page.wait_for_function(
        "() => { const i = document.querySelector('#live-preview img'); return i && i.complete && i.naturalWidth === 40; }"
    )
    axe_check(page, "lesson editor with image")
    _no_horizontal_scroll(page, "lesson-editor")
    follow(page, page.get_by_role("button", name="Zapisz lekcję"))
    assert "Lekcja została dodana." in page.inner_text("main")
