"""Authoring without syntax: the address from the title, prerequisites and competences from lists, the quiz builder
(and its text view of the same questions)."""

from __future__ import annotations

import re

from sqlalchemy import select

from elearn.courses.models import Course, Module
from elearn.courses.services import format as fmt
from elearn.courses.services import quiz_builder
from elearn.extensions import db

COURSE = {"title": "Źdźbło łąki: ćwiczenia z Żółkiewskim", "summary": "Opis.", "role": "mediator", "hours": 1}


def _new_course(client, **changes):
    response = client.post("/authoring/courses/new", data={**COURSE, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_address_is_made_from_the_title_in_ascii_and_stays_unique(client, login_as):
    login_as("trainer")
    assert _new_course(client) == "zdzblo-laki-cwiczenia-z-zolkiewskim"
    assert _new_course(client) == "zdzblo-laki-cwiczenia-z-zolkiewskim-2"
    assert _new_course(client, slug="moj-adres") == "moj-adres"  # the trainer may change it
    page = client.get("/authoring/courses/new").get_data(as_text=True)
    assert 'data-slug-from="title"' in page  # courses.js fills it in as the title is typed


def test_prerequisites_are_chosen_from_the_list_of_other_courses(client, login_as):
    login_as("trainer")
    page = client.get("/authoring/courses/new").get_data(as_text=True)
    assert "<legend>Kursy wymagane wcześniej</legend>" in page
    assert 'type="checkbox" value="wprowadzenie-do-osl"' in page
    assert re.search(r'<label for="prerequisites-\d+">Wprowadzenie do organizowania społeczności lokalnej</label>', page)
    slug = _new_course(client, prerequisites=["wprowadzenie-do-osl", "animator-spolecznosci-lokalnej"])
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    assert sorted(course.prerequisites) == ["animator-spolecznosci-lokalnej", "wprowadzenie-do-osl"]
    edit = client.get(f"/authoring/courses/{slug}").get_data(as_text=True)
    assert 'checked id="prerequisites-0"' in edit or re.search(r'<input checked[^>]*value="animator-spolecznosci-lokalnej"', edit)
    assert f'value="{slug}"' not in edit  # a course is not its own prerequisite


def test_competences_are_chosen_from_the_framework_at_level_one(client, login_as):
    login_as("trainer")
    slug = _new_course(client)
    page = client.get(f"/authoring/courses/{slug}/modules/new").get_data(as_text=True)
    # the mediator's areas and the common core, by name; not the animator's
    assert re.search(r"<legend>MED\.1 [^<]+</legend>", page)
    assert re.search(r"<legend>WSP\.1 [^<]+</legend>", page)
    assert 'value="ANI.1.1"' not in page
    assert "poziom 1" in page
    response = client.post(
        f"/authoring/courses/{slug}/modules/new", data={"title": "Konflikt", "hours": 1, "competences": ["MED.1.1", "WSP.1.1"]}
    )
    assert response.status_code == 302
    module = db.session.scalar(select(Module).where(Module.title == "Konflikt"))
    assert module.competences == {"MED.1.1": 1, "WSP.1.1": 1}
    edit = client.get(f"/authoring/courses/{slug}/modules/{module.key}").get_data(as_text=True)
    assert re.search(r'id="competence-MED.1.1" value="MED.1.1" checked', edit)


def _quiz_url(client):
    slug = _new_course(client)
    client.post(f"/authoring/courses/{slug}/modules/new", data={"title": "Moduł", "hours": 1})
    return f"/authoring/courses/{slug}/modules/modul/quiz"


def _builder(questions, action="save"):
    data = {"view": "form", "action": action}
    for i, q in enumerate(questions):
        data.update({f"questions-{i}-text": q["text"], f"questions-{i}-kind": q["kind"], f"questions-{i}-feedback": q["feedback"]})
        for j, (text, correct) in enumerate(q["options"]):
            data[f"questions-{i}-options-{j}-text"] = text
            if correct:
                data[f"questions-{i}-options-{j}-correct"] = "y"
    return data


QUESTIONS = [
    {"text": "Kto prowadzi mediację?", "kind": "single", "feedback": "Mediator jest bezstronny.\n\nNie rozstrzyga sporu.",
     "options": [("Strona sporu", False), ("Bezstronny mediator", True), ("", False)]},
    {"text": "Co należy do zasad mediacji?", "kind": "multiple", "feedback": "",
     "options": [("Dobrowolność", True), ("Poufność", True), ("Przymus", False)]},
    {"text": "Mediator wydaje wyrok.", "kind": "single", "feedback": "", "options": [("Prawda", False), ("Fałsz", True)]},
]  # fmt: skip
TEXT = """### Kto prowadzi mediację?
- ( ) Strona sporu
- (x) Bezstronny mediator
> Mediator jest bezstronny.
>
> Nie rozstrzyga sporu.

### Co należy do zasad mediacji?
- [x] Dobrowolność
- [x] Poufność
- [ ] Przymus

### Mediator wydaje wyrok.
- ( ) Prawda
- (x) Fałsz
"""


def test_quiz_built_with_the_form_round_trips_with_the_text_syntax(client, login_as):
    login_as("trainer")
    url = _quiz_url(client)
    assert client.post(url, data=_builder(QUESTIONS)).status_code == 302
    module = db.session.scalar(select(Module).where(Module.title == "Moduł"))
    assert [q.kind for q in module.questions] == ["single", "multiple", "truefalse"]  # the parser tells true/false apart
    assert fmt.quiz_text([fmt.Question(q.text, q.kind, [fmt.Option(o.text, o.correct) for o in q.options], q.feedback)
                          for q in module.questions]) == TEXT  # fmt: skip

    text_view = client.get(url + "?view=text").get_data(as_text=True)
    assert "### Kto prowadzi mediację?\n- ( ) Strona sporu" in text_view
    back = client.post(url, data={"view": "text", "source": TEXT, "action": "to-form"}).get_data(as_text=True)
    assert 'value="Bezstronny mediator"' in back
    assert re.search(r'name="questions-0-options-1-correct" value="y" checked', back)
    assert "Nie rozstrzyga sporu." in back
    # saved from the text view, read by the builder: the same questions
    assert client.post(url, data={"view": "text", "source": TEXT, "action": "save"}).status_code == 302
    drafts = quiz_builder.from_questions(
        [fmt.Question(q.text, q.kind, [fmt.Option(o.text, o.correct) for o in q.options], q.feedback) for q in module.questions]
    )
    assert quiz_builder.as_text(drafts) == TEXT


def test_quiz_builder_buttons_work_without_javascript_and_save_nothing(client, login_as):
    login_as("trainer")
    url = _quiz_url(client)
    page = client.post(url, data=_builder([], action="add-question")).get_data(as_text=True)
    assert "<legend>Pytanie 1</legend>" in page
    assert 'id="questions-0-text" name="questions-0-text" value="" autofocus' in page
    assert page.count('name="questions-0-options-') == 6  # three empty answers: text and "correct"
    more = client.post(url, data=_builder([QUESTIONS[1]], action="add-option-0")).get_data(as_text=True)
    assert 'name="questions-0-options-3-text" value=""' in more
    assert 'value="Dobrowolność"' in more
    removed = client.post(url, data=_builder(QUESTIONS[:2], action="remove-question-0")).get_data(as_text=True)
    assert 'value="Co należy do zasad mediacji?"' in removed and "Kto prowadzi" not in removed
    as_text = client.post(url, data=_builder(QUESTIONS[:1], action="to-text")).get_data(as_text=True)
    assert "### Kto prowadzi mediację?\n- ( ) Strona sporu\n- (x) Bezstronny mediator\n" in as_text
    assert db.session.scalar(select(Module).where(Module.title == "Moduł")).questions == []


def test_quiz_builder_names_what_is_wrong_next_to_the_question(client, login_as):
    login_as("trainer")
    url = _quiz_url(client)
    bad = [
        {"text": "", "kind": "single", "feedback": "", "options": [("Jedna", True), ("Druga", True)]},
        {"text": "Bez poprawnej", "kind": "multiple", "feedback": "", "options": [("A", False)]},
    ]
    response = client.post(url, data=_builder(bad))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="#questions-0-text">Pytanie 1: Wpisz treść pytania. Zaznacz dokładnie jedną poprawną odpowiedź' in page
    assert 'href="#questions-1-text">Pytanie 2: Podaj co najmniej dwie odpowiedzi. Zaznacz co najmniej jedną' in page
    assert 'aria-invalid="true" aria-describedby="questions-0-text-error"' in page
    assert db.session.scalar(select(Module).where(Module.title == "Moduł")).questions == []


def test_lesson_editor_saves_first_and_inserts_an_uploaded_image_without_javascript(client, login_as):
    import io

    from elearn.courses.models import Attachment, Lesson
    from tests.courses.helpers import PNG

    login_as("trainer")
    slug = _new_course(client)
    client.post(f"/authoring/courses/{slug}/modules/new", data={"title": "Moduł", "hours": 1})
    url = f"/authoring/courses/{slug}/modules/modul/lessons/new"
    page = client.get(url).get_data(as_text=True)
    save, preview = page.index('value="Zapisz lekcję"'), page.index('value="Podgląd"')
    assert save < preview  # Save is the primary action, Preview the secondary one
    assert 'class="button button-secondary" id="preview"' in page
    assert 'role="toolbar" aria-label="Formatowanie tekstu" aria-controls="source"' in page

    text = "Pierwszy akapit."
    refused = client.post(url, data={"title": "Lekcja", "source": text, "insert_image": "1",
                                     "image": (io.BytesIO(PNG), "mapa.png")}, content_type="multipart/form-data")  # fmt: skip
    assert "Opisz obraz dla osób, które go nie widzą" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Attachment).where(Attachment.filename == "mapa.png")) is None
    inserted = client.post(url, data={"title": "Lekcja", "source": text, "insert_image": "1", "image_alt": "Mapa osiedla",
                                      "image": (io.BytesIO(PNG), "mapa.png")}, content_type="multipart/form-data")  # fmt: skip
    html = inserted.get_data(as_text=True)
    assert "Pierwszy akapit.\n\n![Mapa osiedla](media/mapa.png)\n</textarea>" in html
    assert db.session.scalar(select(Lesson).where(Lesson.title == "Lekcja")) is None  # shown again, not saved
