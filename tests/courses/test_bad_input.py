"""Empty, too long, wrong-type and malicious values on every authoring form: a Polish field error and no row written."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from elearn.courses.models import Attachment, Course, Lesson, Module, QuizAttempt
from elearn.extensions import db
from tests.bad_input import CONTROL, XSS, assert_field_error, count_rows

LONG = "a" * 300
REQUIRED = "To pole jest wymagane."
TOO_LONG = "nie może mieć więcej niż"
NOT_INT = "Nieprawidłowa liczba całkowita"
NOT_A_CHOICE = "Wybierz tylko z listy."
QUIZ = "### Czy to działa?\n- (x) Prawda\n- ( ) Fałsz\n"


def _course_data(**changes) -> dict:
    data = {
        "slug": "kurs-z-bledami",
        "title": "Kurs z błędami",
        "summary": "Opis kursu.",
        "role": "animator",
        "hours": "2",
        "authors": "Anna Trenerka",
        "wiedza": "zna i rozumie",
    }
    data.update(changes)
    return data


@pytest.fixture
def draft(client, login_as):
    """A trainer logged in with a browser course 'kurs-szkic' that has one module with one lesson."""
    login_as("trainer")
    assert client.post("/authoring/courses/new", data=_course_data(slug="kurs-szkic")).status_code == 302
    response = client.post("/authoring/courses/kurs-szkic/modules/new", data={"title": "Moduł", "hours": "2", "quiz_pass": "70"})
    assert response.status_code == 302
    module_key = response.headers["Location"].rsplit("/", 1)[-1]
    response = client.post(
        f"/authoring/courses/kurs-szkic/modules/{module_key}/lessons/new", data={"title": "Lekcja", "source": "Tekst.", "submit": "1"}
    )
    assert response.status_code == 302
    return {"module": module_key, "lesson": response.headers["Location"].rsplit("/", 1)[-1]}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "a" * 81, TOO_LONG),
        ("slug", "Zły Adres", "Użyj tylko liter a-z, cyfr 0-9 i pojedynczych łączników."),
        ("slug", XSS, "Użyj tylko liter a-z, cyfr 0-9 i pojedynczych łączników."),
        ("title", "", REQUIRED),
        ("title", LONG, TOO_LONG),
        ("title", XSS, "Znaki < i > są tu niedozwolone."),
        ("title", "Tytuł\x00", "znaków sterujących"),
        ("summary", "", REQUIRED),
        ("summary", "a" * 2001, TOO_LONG),
        ("summary", CONTROL, "znaków sterujących"),
        ("role", "HACK", "Nieprawidłowy wybór"),
        ("role", XSS, "Nieprawidłowy wybór"),
        ("hours", "", REQUIRED),
        ("hours", "dwie", REQUIRED),
        ("hours", "0", REQUIRED),
        ("hours", "99999999999999999999", None),
        ("authors", "a" * 2001, TOO_LONG),
        ("authors", CONTROL, "znaków sterujących"),
        ("prerequisites", "nie-ma-takiego-kursu", NOT_A_CHOICE),
        ("prerequisites", XSS, NOT_A_CHOICE),
        ("wiedza", CONTROL, "znaków sterujących"),
        ("umiejetnosci", CONTROL, "znaków sterujących"),
        ("kompetencje_spoleczne", CONTROL, "znaków sterujących"),
    ],
)
def test_new_course_rejects_bad_input(client, login_as, field, value, message):
    login_as("trainer")
    before = count_rows(Course)
    response = client.post("/authoring/courses/new", data=_course_data(**{field: value}))
    assert_field_error(response, field, message)
    assert count_rows(Course) == before


def test_duplicate_course_address_is_a_field_error(client, draft):
    before = count_rows(Course)
    response = client.post("/authoring/courses/new", data=_course_data(slug="kurs-szkic"))
    assert_field_error(response, "slug", "Kurs o tym adresie już istnieje.")
    assert count_rows(Course) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("title", "", REQUIRED), ("title", XSS, "Znaki < i > są tu niedozwolone."), ("hours", "abc", REQUIRED)],
)
def test_course_edit_rejects_bad_input_and_keeps_the_saved_values(client, draft, field, value, message):
    response = client.post("/authoring/courses/kurs-szkic", data=_course_data(slug="kurs-szkic", **{field: value}))
    assert_field_error(response, field, message)
    course = db.session.scalar(select(Course).where(Course.slug == "kurs-szkic"))
    assert (course.title, course.hours) == ("Kurs z błędami", 2)


def _module_data(**changes) -> dict:
    data = {"title": "Moduł drugi", "hours": "1", "quiz_pass": "70", "competences": "ANI.1.1", "intro": "Wstęp."}
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", REQUIRED),
        ("title", LONG, TOO_LONG),
        ("title", XSS, "Znaki < i > są tu niedozwolone."),
        ("hours", "", "Podaj liczbę godzin."),
        ("hours", "jedna", NOT_INT),
        ("hours", "-1", "z zakresu 0 i 500"),
        ("hours", "501", "z zakresu 0 i 500"),
        ("quiz_pass", "siedemdziesiąt", NOT_INT),
        ("quiz_pass", "101", "z zakresu 0 i 100"),
        ("competences", "ANI.1.1: 1", NOT_A_CHOICE),
        ("competences", "XXX.1.1", NOT_A_CHOICE),
        ("competences", XSS, NOT_A_CHOICE),
        ("wiedza", CONTROL, "znaków sterujących"),
        ("umiejetnosci", CONTROL, "znaków sterujących"),
        ("kompetencje_spoleczne", CONTROL, "znaków sterujących"),
        ("intro", "a" * 20001, TOO_LONG),
        ("intro", CONTROL, "znaków sterujących"),
    ],
)
def test_module_form_rejects_bad_input(client, draft, field, value, message):
    before = count_rows(Module)
    response = client.post("/authoring/courses/kurs-szkic/modules/new", data=_module_data(**{field: value}))
    assert_field_error(response, field, message)
    assert count_rows(Module) == before


def test_module_edit_rejects_bad_input_and_keeps_the_saved_values(client, draft):
    url = f"/authoring/courses/kurs-szkic/modules/{draft['module']}"
    response = client.post(url, data=_module_data(title="Moduł", hours="abc"))
    assert_field_error(response, "hours", NOT_INT)
    module = db.session.scalar(select(Module).where(Module.key == draft["module"], Module.version_id.is_(None)))
    assert (module.hours, module.competences) == (2, {})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", REQUIRED),
        ("title", LONG, TOO_LONG),
        ("title", XSS, "Znaki < i > są tu niedozwolone."),
        ("title", "Lekcja\x07", "znaków sterujących"),
        ("title", "Quiz", "jest zarezerwowany"),
        ("source", "", REQUIRED),
        ("source", "a" * 200001, TOO_LONG),
        ("source", CONTROL, "znaków sterujących"),
    ],
)
@pytest.mark.parametrize("button", ["submit", "preview"])
def test_lesson_form_rejects_bad_input(client, draft, field, value, message, button):
    before = count_rows(Lesson)
    data = {"title": "Nowa lekcja", "source": "Tekst lekcji.", button: "1"}
    data[field] = value
    response = client.post(f"/authoring/courses/kurs-szkic/modules/{draft['module']}/lessons/new", data=data)
    assert_field_error(response, field, message)
    assert count_rows(Lesson) == before


@pytest.mark.parametrize("row_version", ["abc", XSS, "-5", ""])
def test_lesson_edit_with_a_wrong_row_version_is_a_conflict_not_an_error(client, draft, row_version):
    url = f"/authoring/courses/kurs-szkic/lessons/{draft['lesson']}"
    response = client.post(url, data={"title": "Lekcja", "source": "Nadpisany tekst.", "row_version": row_version, "submit": "1"})
    assert response.status_code == 200
    assert XSS not in response.get_data(as_text=True)
    lesson = db.session.scalar(select(Lesson).where(Lesson.key == draft["lesson"], Lesson.version_id.is_(None)))
    assert lesson.source == "Tekst."


def test_lesson_edit_rejects_bad_input_and_keeps_the_saved_text(client, draft):
    lesson = db.session.scalar(select(Lesson).where(Lesson.key == draft["lesson"], Lesson.version_id.is_(None)))
    url = f"/authoring/courses/kurs-szkic/lessons/{draft['lesson']}"
    response = client.post(url, data={"title": XSS, "source": "Inny tekst.", "row_version": lesson.row_version, "submit": "1"})
    assert_field_error(response, "title", "Znaki < i > są tu niedozwolone.")
    db.session.refresh(lesson)
    assert (lesson.title, lesson.source) == ("Lekcja", "Tekst.")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Wybierz plik."),
        ({"file": (io.BytesIO(b""), "")}, "Wybierz plik."),
        ({"file": (io.BytesIO(b""), "pusty.png")}, None),
        ({"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n"), "../../" + XSS + ".png")}, None),
    ],
)
def test_upload_form_rejects_missing_or_empty_files(client, draft, data, message):
    before = count_rows(Attachment)
    response = client.post("/authoring/courses/kurs-szkic/uploads", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert XSS not in html
    if message or count_rows(Attachment) == before:
        assert 'id="file-error"' in html
        if message:
            assert message in html
    assert count_rows(Attachment) == before


def test_preview_with_too_long_text_is_a_clean_400(client, draft):
    response = client.post("/authoring/preview", data={"source": "a" * 200001})
    assert response.status_code == 400
    assert response.get_json() == {"error": "Nie udało się pokazać podglądu tekstu."}


@pytest.mark.parametrize("query", [XSS, "a" * 1000, "\x00\x1b", "%' OR 1=1 --"])
def test_catalogue_search_and_filter_accept_any_text(client, login_as, query):
    login_as("learner")
    response = client.get("/courses", query_string={"q": query, "role": query})
    assert response.status_code == (400 if "\x00" in query else 200)  # NUL bytes in a URL: core refuses them
    assert XSS not in response.get_data(as_text=True)


@pytest.mark.parametrize("answer", ["abc", XSS, "999", "-1", ""])
def test_quiz_answers_that_are_not_options_are_no_answers(client, login_as, synced_course, answer):
    login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    before = count_rows(QuizAttempt)
    response = client.post("/courses/kurs-testowy/modules/pierwszy/quiz", data={"q0": answer, "q1": answer, "q2": answer})
    assert response.status_code == 200
    assert XSS not in response.get_data(as_text=True)
    # Values that are not options are dropped; with nothing left the attempt is refused, not recorded as 0%.
    assert count_rows(QuizAttempt) == before
    assert "Zaznacz co najmniej jedną odpowiedź" in response.get_data(as_text=True)
    mixed = client.post("/courses/kurs-testowy/modules/pierwszy/quiz", data={"q1": "2", "q2": answer, "q3": answer})
    assert mixed.status_code == 200 and count_rows(QuizAttempt) == before + 1  # one real answer: a (failed) attempt
    assert not db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc())).passed
