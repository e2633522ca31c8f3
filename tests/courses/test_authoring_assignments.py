"""Practical assignments in the browser editor: add, edit, delete, publish with the course and export as files."""

from __future__ import annotations

from sqlalchemy import select

from elearn.courses.models import Module
from elearn.courses.services import format as fmt
from elearn.courses.services.sync import export_course
from elearn.extensions import db
from tests.courses.test_authoring import _add_lesson, _add_module, _create_course

BASE = "/authoring/courses/nowy-kurs/modules/{key}/assignments"
GOOD = {
    "title": "Mapa zasobów osiedla",
    "instructions": "Narysuj **mapę** zasobów.",
    "competences-ANI.1.2": "2",
    "competences-ANI.1.1": "1",
    "competences-ANI.1.3": "",
    "criteria": "Mapa ma legendę\n\nPodano źródła",
    "form": "text files",
    "due_days": "14",
}


def test_trainer_adds_edits_publishes_exports_and_deletes_an_assignment(client, make_user, login, tmp_path):
    login(make_user("trainer"))
    _create_course(client, hours=1)
    key = _add_module(client, "nowy-kurs", "Moduł z zadaniem")
    _add_lesson(client, "nowy-kurs", key, "Lekcja")
    bad = client.post(BASE.format(key=key) + "/new", data={**GOOD, "competences-ANI.1.2": "3", "due_days": "0"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Wybierz tylko z listy." in html and 'aria-invalid="true"' in html
    none = client.post(BASE.format(key=key) + "/new", data={**GOOD, "competences-ANI.1.2": "", "competences-ANI.1.1": ""})
    assert "Wybierz co najmniej jedną kompetencję, którą ocenia zadanie." in none.get_data(as_text=True)
    saved = client.post(BASE.format(key=key) + "/new", data=GOOD)
    assert saved.status_code == 302
    module = db.session.scalar(select(Module).where(Module.key == key, Module.version_id.is_(None)))
    [row] = module.assignments
    assert row["key"] == "mapa-zasobow-osiedla" and row["competences"] == {"ANI.1.2": 2, "ANI.1.1": 1}
    assert row["criteria"] == ["Mapa ma legendę", "Podano źródła"] and row["form"] == ["text", "files"]
    assert "<strong>mapę</strong>" in row["instructions_html"]
    edit = client.get(BASE.format(key=key) + "/mapa-zasobow-osiedla").get_data(as_text=True)
    assert "Mapa ma legendę" in edit
    assert '<option value="2" selected>poziom 2</option>' in edit.split('id="competences-ANI.1.2"')[1].split("</select>")[0]
    client.post(BASE.format(key=key) + "/mapa-zasobow-osiedla", data={**GOOD, "title": "Mapa zasobów", "due_days": ""})
    db.session.expire_all()
    assert module.assignments[0]["title"] == "Mapa zasobów" and module.assignments[0]["due_days"] is None

    assert client.post("/authoring/courses/nowy-kurs/publish", data={"confirmed": "1"}).status_code == 302
    published = db.session.scalar(select(Module).where(Module.key == key, Module.version_id.is_not(None)))
    assert published.assignments[0]["key"] == "mapa-zasobow-osiedla"
    export_course(db.session, "nowy-kurs", tmp_path / "out", published=True)
    text = next((tmp_path / "out").glob("*/01-*.md")).read_text(encoding="utf-8")
    assert "## Zadanie: Mapa zasobów" in text
    [course] = fmt.parse_course_tree(tmp_path / "out")
    assert course.modules[0].assignments[0].competences == {"ANI.1.2": 2, "ANI.1.1": 1}

    client.post(BASE.format(key=key) + "/mapa-zasobow-osiedla/delete", data={"confirmed": "1"})
    db.session.expire_all()
    assert module.assignments == [] and published.assignments != []  # the published version keeps its assignment


def test_assignments_of_file_courses_are_not_edited_in_the_browser(client, make_user, login):
    login(make_user("trainer"))
    response = client.get("/authoring/courses/wprowadzenie-do-osl/modules/czym-jest-osl/assignments/new")
    assert response.status_code == 302
