"""A social worker enrols in the introductory OSL course, reads module 1 with the keyboard, marks its lessons
done, passes the quiz and sees the module completed. Every page visited passes the axe scan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from elearn.courses.services import format as fmt
from tests.browser.helpers import axe_check, follow, login

pytestmark = pytest.mark.browser

COURSE_DIR = Path(__file__).resolve().parents[2] / "courses" / "wprowadzenie-do-osl"
TITLE = "Wprowadzenie do organizowania społeczności lokalnej"


def _press(page, locator) -> None:
    """Activate a link or button from the keyboard, as a keyboard-only user would."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_learner_completes_module_one(page, live_server):
    module = fmt.parse_course_tree(COURSE_DIR)[0].modules[0]
    login(page, live_server, "pracownik@example.org")

    page.goto(live_server + "/courses")
    axe_check(page, "catalogue")
    assert page.locator("h1").inner_text() == "Katalog kursów"
    page.get_by_label("Szukaj w tytułach i treści").fill("Jarzębinowo")
    _press(page, page.get_by_role("button", name="Filtruj"))
    axe_check(page, "catalogue search")
    _press(page, page.get_by_role("link", name=TITLE))
    axe_check(page, "course page")
    assert page.locator("h1").inner_text() == TITLE

    _press(page, page.get_by_role("button", name="Zapisz się na kurs"))
    axe_check(page, "first lesson")
    lessons = module.lessons
    for index, lesson in enumerate(lessons):
        assert page.locator("h1").inner_text() == lesson.title
        assert page.locator("nav.toc a").count() >= 1  # table of contents of the lesson
        _press(page, page.get_by_role("button", name="Oznacz jako ukończoną"))
        axe_check(page, f"lesson {index + 1} done")
        assert "Ta lekcja jest oznaczona jako ukończona." in page.inner_text("main")
        if index + 1 < len(lessons):
            _press(page, page.locator("a[rel=next]"))
            axe_check(page, f"lesson {index + 2}")
    _press(page, page.get_by_role("link", name="Test modułu"))
    axe_check(page, "quiz")
    assert page.locator("form.quiz fieldset").count() == len(module.questions)
    # Checking without a single answer is refused and not counted as an attempt.
    _press(page, page.get_by_role("button", name="Sprawdź odpowiedzi"))
    assert "Zaznacz co najmniej jedną odpowiedź" in page.inner_text(".error-summary")
    assert page.locator("#quiz-result").count() == 0
    axe_check(page, "empty quiz refused")

    for index, question in enumerate(module.questions):
        fieldset = page.locator("form.quiz fieldset").nth(index)
        assert question.text in fieldset.locator("legend").inner_text()
        for option in question.options:
            if option.correct:
                fieldset.get_by_label(option.text, exact=True).check()
    _press(page, page.get_by_role("button", name="Sprawdź odpowiedzi"))
    axe_check(page, "quiz result")
    result = page.inner_text("#quiz-result")
    assert "Twój wynik: 100%" in result
    assert "Zaliczony" in result
    assert "Ukończony moduł" in result
    assert page.locator("#quiz-result").get_by_role("link", name=re.compile("^Następny moduł: ")).count() == 1
    shots = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        page.locator("#quiz-result").screenshot(path=str(shots / f"quiz-result-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    _press(page, page.get_by_role("link", name=TITLE).first)
    axe_check(page, "course page with progress")
    first_module = page.locator("ol.module-list > li").first
    assert "Ukończony moduł" in first_module.inner_text()
    assert first_module.locator("progress").get_attribute("value") == "100"


def test_trainer_writes_a_lesson_with_live_preview_and_publishes(page, live_server):
    login(page, live_server, "trener@example.org")
    page.goto(live_server + "/authoring/courses/new")
    axe_check(page, "new course form")
    page.get_by_label("Adres kursu (slug)").fill("kurs-trenera-przegladarka")
    page.get_by_label("Tytuł kursu").fill("Kurs napisany w przeglądarce")
    page.get_by_label("Opis kursu").fill("Krótki kurs przygotowany w edytorze.")
    page.get_by_label("Rola zawodowa").select_option("animator")
    page.get_by_label("Liczba godzin").fill("1")
    page.get_by_role("button", name="Zapisz kurs").click()
    page.wait_for_url("**/authoring/courses/kurs-trenera-przegladarka")
    axe_check(page, "course editor")

    follow(page, page.get_by_role("link", name="Dodaj moduł"))
    axe_check(page, "new module form")
    page.get_by_label("Tytuł modułu").fill("Spacer badawczy")
    page.get_by_label("Liczba godzin modułu").fill("1")
    follow(page, page.get_by_role("button", name="Zapisz moduł"))
    axe_check(page, "module editor")
    follow(page, page.get_by_role("link", name="Utwórz quiz"))
    follow(page, page.get_by_role("button", name="Widok zaawansowany (tekst)"))
    page.get_by_label("Quiz w postaci tekstu").fill(
        "### Kto jest ekspertem od osiedla?\n- (x) mieszkańcy\n- ( ) tylko urzędnicy\n> Mieszkańcy znają swoje miejsce."
    )
    follow(page, page.get_by_role("button", name="Zapisz quiz"))
    axe_check(page, "quiz builder")
    follow(page, page.get_by_role("link", name="Spacer badawczy"))

    follow(page, page.get_by_role("link", name="Dodaj lekcję"))
    axe_check(page, "new lesson form")
    page.get_by_label("Tytuł lekcji").fill("Jak przygotować spacer")
    page.get_by_label("Treść lekcji (Markdown)").fill("Zaproś **mieszkańców**.\n\n!!! uwaga\n    Nie oceniaj.\n\n<script>alert(1)</script>")
    preview = page.locator("#live-preview")
    preview.locator("strong").wait_for()  # rendered by the server as the trainer types (courses.js)
    assert preview.locator("strong").inner_text() == "mieszkańców"
    assert preview.locator(".admonition.uwaga").count() == 1
    assert preview.locator("script").count() == 0
    page.get_by_role("button", name="Zapisz lekcję").click()
    page.wait_for_url("**/authoring/courses/kurs-trenera-przegladarka/lessons/*")
    axe_check(page, "lesson editor")

    page.goto(live_server + "/authoring/courses/kurs-trenera-przegladarka")
    follow(page, page.get_by_role("button", name="Opublikuj"))
    axe_check(page, "publish confirmation")
    follow(page, page.get_by_role("button", name="Opublikuj"))
    axe_check(page, "published course editor")
    assert "Opublikowano wersję 1" in page.inner_text("main")
    follow(page, page.get_by_role("link", name="Zobacz jako uczestnik"))
    axe_check(page, "published course page")
    assert page.locator("h1").inner_text() == "Kurs napisany w przeglądarce"
