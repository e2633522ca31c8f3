"""The published modules' facts are cached per process and version: a new version is seen at once, and nothing
about a person is kept (each person's completions still filter the shared facts differently)."""

from __future__ import annotations

from dataclasses import fields

from elearn.competencies.services.next_steps import module_steps
from elearn.courses.models import Course, ModuleCompletion
from elearn.courses.services.learning import PublishedModuleFacts, published_module_facts
from elearn.courses.services.sync import sync_courses
from elearn.extensions import db

from .helpers import MODULE_ONE, MODULE_TWO, write_course


def _titles(slug: str) -> list[str]:
    return [m.title for m in published_module_facts(db.session) if m.course_slug == slug]


def test_a_newly_published_version_is_seen_at_once(app, course_root):
    write_course(course_root, "kurs-swiezy")
    sync_courses(db.session, course_root)
    db.session.commit()
    first = _titles("kurs-swiezy")
    assert first == _titles("kurs-swiezy")  # the second read comes from the cache
    assert len(first) == 2 and "Pierwszy moduł, wydanie drugie" not in first

    renamed = MODULE_ONE.replace("title: Pierwszy moduł", "title: Pierwszy moduł, wydanie drugie")
    write_course(course_root, "kurs-swiezy", {"01-pierwszy.md": renamed, "02-drugi.md": MODULE_TWO})
    sync_courses(db.session, course_root)
    db.session.commit()
    assert _titles("kurs-swiezy")[0] == "Pierwszy moduł, wydanie drugie"


def test_nothing_person_specific_is_cached(app, course_root, make_user):
    write_course(course_root, "kurs-wspolny")
    sync_courses(db.session, course_root)
    done, not_done = make_user("learner"), make_user("learner")
    course = db.session.query(Course).filter_by(slug="kurs-wspolny").one()
    db.session.add(ModuleCompletion(user_id=done.id, course_id=course.id, module_key="pierwszy", version_number=1))
    db.session.commit()
    assert {f.name for f in fields(PublishedModuleFacts)} == {
        "course_id", "course_slug", "version_title", "key", "title", "competences", "assignments"
    }  # fmt: skip
    published_module_facts(db.session)  # warm the cache
    for _ in range(2):  # either order, from the same cached facts
        assert not [s for s in module_steps(db.session, done.id, {"WSP.1.1": 0}).get("WSP.1.1", []) if "kurs-wspolny" in s.url]
        assert [s for s in module_steps(db.session, not_done.id, {"WSP.1.1": 0})["WSP.1.1"] if "kurs-wspolny" in s.url]
