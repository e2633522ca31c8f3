"""Trainer authoring in the browser: permissions, drafts, publishing, reordering, quizzes and edit conflicts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.courses.models import Course, Lesson, Module
from elearn.extensions import db

LESSON_TEXT = "Tekst lekcji o **partycypacji**.\n\n### Szczegóły\n\nWięcej."
QUIZ = "### Czy to działa?\n- (x) Prawda\n- ( ) Fałsz\n> Tak.\n"


def _create_course(client, slug="nowy-kurs", hours=2, prerequisites=()):
    response = client.post("/authoring/courses/new", data={
        "slug": slug, "title": "Nowy kurs z przeglądarki", "summary": "Opis.", "role": "animator", "hours": hours,
        "authors": "Anna Trenerka", "prerequisites": list(prerequisites), "wiedza": "zna i rozumie coś\nzna drugie",
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Course).where(Course.slug == slug))


def _add_module(client, slug, title, hours=1, quiz=""):
    response = client.post(f"/authoring/courses/{slug}/modules/new", data={
        "title": title, "hours": hours, "quiz_pass": 100, "competences": "ANI.1.1", "intro": "Wstęp.",
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    key = response.headers["Location"].rsplit("/", 1)[-1]
    if quiz:
        saved = client.post(f"/authoring/courses/{slug}/modules/{key}/quiz", data={"view": "text", "source": quiz, "action": "save"})
        assert saved.status_code == 302, saved.get_data(as_text=True)
    return key


def _add_lesson(client, slug, module_key, title, source=LESSON_TEXT):
    response = client.post(
        f"/authoring/courses/{slug}/modules/{module_key}/lessons/new", data={"title": title, "source": source, "submit": "1"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_trainer_writes_publishes_and_learner_studies(client, make_user, login):
    trainer = login(make_user("trainer"))
    course = _create_course(client)
    assert course.source == "browser"
    assert course.created_by_id == trainer.id
    assert course.outcomes == {"wiedza": ["zna i rozumie coś", "zna drugie"]}
    first = _add_module(client, "nowy-kurs", "Moduł pierwszy", quiz=QUIZ)
    second = _add_module(client, "nowy-kurs", "Moduł drugi")
    lesson = _add_lesson(client, "nowy-kurs", first, "Lekcja pierwsza")
    _add_lesson(client, "nowy-kurs", second, "Lekcja druga")
    edit = client.get(f"/authoring/courses/nowy-kurs/lessons/{lesson}").get_data(as_text=True)
    assert "<strong>partycypacji</strong>" in edit  # rendered preview of the saved text
    module = db.session.scalar(select(Module).where(Module.key == first, Module.version_id.is_(None)))
    assert module.competences == {"ANI.1.1": 1}
    assert module.questions[0].kind == "truefalse"

    learner = make_user("learner")
    login(learner)
    assert client.get("/courses/nowy-kurs").status_code == 404  # drafts are invisible to learners
    assert "Nowy kurs z przeglądarki" not in client.get("/courses").get_data(as_text=True)

    login(trainer)
    response = client.post("/authoring/courses/nowy-kurs/publish", data={"confirmed": "1"}, follow_redirects=True)
    assert "Opublikowano wersję 1" in response.get_data(as_text=True)
    again = client.post("/authoring/courses/nowy-kurs/publish", data={"confirmed": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Brak zmian do opublikowania" in again

    login(learner)
    assert "Nowy kurs z przeglądarki" in client.get("/courses").get_data(as_text=True)
    client.post("/courses/nowy-kurs/enrol")
    page = client.get(f"/courses/nowy-kurs/lessons/{lesson}").get_data(as_text=True)
    assert "<strong>partycypacji</strong>" in page

    # Draft edits after publishing stay invisible until the next publish.
    login(trainer)
    row = db.session.scalar(select(Lesson).where(Lesson.key == lesson, Lesson.version_id.is_(None)))
    client.post(
        f"/authoring/courses/nowy-kurs/lessons/{lesson}",
        data={"title": "Lekcja pierwsza", "source": "Zmieniony szkic.", "row_version": row.row_version, "submit": "1"},
    )
    login(learner)
    assert "Zmieniony szkic." not in client.get(f"/courses/nowy-kurs/lessons/{lesson}").get_data(as_text=True)


def test_publish_refuses_wrong_hours_with_a_message(client, login_as):
    login_as("trainer")
    _create_course(client, hours=5)
    module = _add_module(client, "nowy-kurs", "Jedyny")
    _add_lesson(client, "nowy-kurs", module, "Lekcja")
    page = client.post("/authoring/courses/nowy-kurs/publish", data={"confirmed": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Kurs ma 5 godz., a jego moduły sumują się do 1." in page
    assert db.session.scalar(select(Course).where(Course.slug == "nowy-kurs")).published_number == 0


def test_modules_move_up_and_down_and_delete(client, login_as):
    login_as("trainer")
    course = _create_course(client, hours=3)
    a, b, c = (_add_module(client, "nowy-kurs", t) for t in ("Alfa", "Beta", "Gamma"))

    def order():
        return [
            m.key
            for m in db.session.scalars(
                select(Module).where(Module.course_id == course.id, Module.version_id.is_(None)).order_by(Module.position)
            )
        ]

    assert order() == [a, b, c]
    client.post(f"/authoring/courses/nowy-kurs/modules/{c}/move", data={"direction": "up"})
    assert order() == [a, c, b]
    client.post(f"/authoring/courses/nowy-kurs/modules/{a}/move", data={"direction": "down"})
    assert order() == [c, a, b]
    client.post(f"/authoring/courses/nowy-kurs/modules/{a}/delete", data={"confirmed": "1"})
    assert order() == [c, b]


def test_quiz_editor_shows_parser_errors_next_to_the_field(client, login_as):
    login_as("trainer")
    _create_course(client)
    key = _add_module(client, "nowy-kurs", "Moduł")
    response = client.post(
        f"/authoring/courses/nowy-kurs/modules/{key}/quiz", data={"view": "text", "source": "### Pytanie\n- (x) a\n- (x) b\n"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="source-error"' in html
    assert "pytanie jednokrotnego wyboru musi mieć dokładnie jedną odpowiedź (x), a ma 2" in html
    assert db.session.scalar(select(Module).where(Module.title == "Moduł")).questions == []
    bad_code = client.post("/authoring/courses/nowy-kurs/modules/new", data={"title": "Inny", "hours": 1, "competences": "ANI.1: 5"})
    assert "Wybierz tylko z listy." in bad_code.get_data(as_text=True)
    assert db.session.scalar(select(Module).where(Module.title == "Inny")) is None


def test_two_trainers_editing_the_same_lesson_do_not_overwrite_each_other(app, make_user, login):
    first_client, second_client = app.test_client(), app.test_client()
    anna, marek = make_user("trainer", full_name="Anna Trenerka"), make_user("trainer", full_name="Marek Trener")
    login_fixture_for = {}
    for user, client in ((anna, first_client), (marek, second_client)):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        login_fixture_for[user.id] = client
    _create_course(first_client)
    module = _add_module(first_client, "nowy-kurs", "Moduł")
    key = _add_lesson(first_client, "nowy-kurs", module, "Lekcja", "Wersja początkowa.")
    url = f"/authoring/courses/nowy-kurs/lessons/{key}"
    # Both open the editor at the same version.
    version = db.session.scalar(select(Lesson).where(Lesson.key == key, Lesson.version_id.is_(None))).row_version
    assert f'value="{version}"' in first_client.get(url).get_data(as_text=True)
    saved = first_client.post(url, data={"title": "Lekcja", "source": "Tekst Anny.", "row_version": version, "submit": "1"})
    assert saved.status_code == 302
    clash = second_client.post(url, data={"title": "Lekcja", "source": "Tekst Marka.", "row_version": version, "submit": "1"})
    html = clash.get_data(as_text=True)
    assert clash.status_code == 200
    assert "Ktoś inny zapisał tę lekcję" in html
    assert "Tekst Anny." in html
    assert "Tekst Marka." in html
    db.session.expire_all()
    row = db.session.scalar(select(Lesson).where(Lesson.key == key, Lesson.version_id.is_(None)))
    assert row.source == "Tekst Anny."
    # Saving again with the version shown in the conflict form is a deliberate overwrite.
    retry = second_client.post(url, data={"title": "Lekcja", "source": "Tekst Marka.", "row_version": row.row_version, "submit": "1"})
    assert retry.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Lesson).where(Lesson.key == key, Lesson.version_id.is_(None))).source == "Tekst Marka."


def test_file_courses_are_not_edited_in_the_browser(client, login_as):
    login_as("trainer")
    response = client.get("/authoring/courses/wprowadzenie-do-osl")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/authoring/courses")
    assert "Wprowadzenie do organizowania społeczności lokalnej" in client.get("/authoring/courses").get_data(as_text=True)


def test_preview_endpoint_uses_the_learner_renderer(client, login_as):
    login_as("trainer")
    response = client.post("/authoring/preview", data={"source": "!!! uwaga\n    Ostrożnie.\n\n| a | b |\n|---|---|\n| 1 | 2 |"})
    html = response.get_json()["html"]
    assert 'class="admonition uwaga"' in html
    assert "<table>" in html
    assert "Uwaga" in html


AUTHORING_ROUTES = [
    ("GET", "/authoring/courses"),
    ("GET", "/authoring/courses/new"),
    ("POST", "/authoring/courses/new"),
    ("GET", "/authoring/courses/nowy-kurs"),
    ("POST", "/authoring/courses/nowy-kurs/publish"),
    ("GET", "/authoring/courses/nowy-kurs/modules/new"),
    ("GET", "/authoring/courses/nowy-kurs/modules/m"),
    ("POST", "/authoring/courses/nowy-kurs/modules/m/move"),
    ("POST", "/authoring/courses/nowy-kurs/modules/m/delete"),
    ("GET", "/authoring/courses/nowy-kurs/modules/m/lessons/new"),
    ("GET", "/authoring/courses/nowy-kurs/lessons/l"),
    ("POST", "/authoring/courses/nowy-kurs/lessons/l/delete"),
    ("POST", "/authoring/preview"),
    ("GET", "/authoring/courses/nowy-kurs/uploads"),
    ("POST", "/authoring/courses/nowy-kurs/uploads"),
]


@pytest.mark.parametrize(("method", "url"), AUTHORING_ROUTES)
def test_authoring_routes_need_trainer_or_admin(client, login_as, method, url):
    anonymous = client.open(url, method=method)
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]
    login_as("learner", "coordinator")
    assert client.open(url, method=method).status_code == 403


def test_admin_may_author(client, login_as):
    login_as("admin")
    assert client.get("/authoring/courses/new").status_code == 200
    _create_course(client, slug="kurs-admina")


def test_an_expired_editor_page_keeps_the_typed_text_and_saves_nothing(app, client, login_as):
    """WCAG 2.2.1: a lesson editor left open past the CSRF time limit re-renders with the text, in Polish."""
    login_as("trainer")
    _create_course(client)
    module = _add_module(client, "nowy-kurs", "Moduł")
    key = _add_lesson(client, "nowy-kurs", module, "Lekcja")
    row = db.session.scalar(select(Lesson).where(Lesson.key == key, Lesson.version_id.is_(None)))
    typed = "Długi tekst pisany od rana, którego nie wolno zgubić."
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        edit = client.post(
            f"/authoring/courses/nowy-kurs/lessons/{key}",
            data={"title": "Lekcja", "source": typed, "row_version": row.row_version, "submit": "1", "csrf_token": "wygasly"},
        )
        new = client.post(
            f"/authoring/courses/nowy-kurs/modules/{module}/lessons/new",
            data={"title": "Nowa", "source": typed, "submit": "1", "csrf_token": "wygasly"},
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    for response in (edit, new):
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert typed in page  # in the textarea, ready to send again with the page's fresh token
        assert "Tekst nie został jeszcze zapisany" in page
        assert 'name="csrf_token"' in page
        assert "CSRF" not in page
    db.session.refresh(row)
    assert row.source == LESSON_TEXT
    assert db.session.scalar(select(db.func.count()).select_from(Lesson).where(Lesson.title == "Nowa")) == 0


def test_the_markdown_hint_describes_the_text_field_and_the_preview_is_not_live(client, login_as):
    login_as("trainer")
    _create_course(client)
    module = _add_module(client, "nowy-kurs", "Moduł")
    page = client.get(f"/authoring/courses/nowy-kurs/modules/{module}/lessons/new").get_data(as_text=True)
    assert 'aria-describedby="source-hint"' in page and 'id="source-hint"' in page
    assert 'id="live-preview"' in page and 'aria-live="polite">' not in page.split('id="live-preview"')[1][:40]
    assert 'role="status" id="preview-status"' in page
