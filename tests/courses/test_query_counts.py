"""The learner's hot pages run a small, fixed number of queries, however large the course is.

A published version is immutable, so its outline is cached per process; the user loader joins nothing it does not
need. Counts are asserted on courses of 2 and of 12 modules: equal counts mean nothing grows with the course.
"""

from __future__ import annotations

import pytest

from elearn.courses.services.sync import sync_courses
from elearn.extensions import db
from tests.querycount import counted_queries

from .conftest import write_course

LESSON_BUDGET = 5


def _module(n: int, lessons: int) -> str:
    body = "\n".join(f"## Lekcja {n}-{i}\n\nTekst lekcji {n}-{i}.\n" for i in range(1, lessons + 1))
    quiz = "## Quiz\n\n### Czy to prawda?\n- (x) Prawda\n- ( ) Fałsz\n"
    return f"---\ntitle: Moduł {n}\nhours: 1\nquiz_pass: 50\n---\n\nWstęp.\n\n{body}\n{quiz}"


def _publish(root, slug: str, modules: int, lessons: int) -> None:
    files = {f"{n:02d}-modul-{n}.md": _module(n, lessons) for n in range(1, modules + 1)}
    write_course(root, slug, files, hours=modules)
    sync_courses(db.session, root)
    db.session.commit()


def _count(app, client, url: str) -> int:
    client.get(url)  # the first request of a version fills the process's cache of its outline
    with app.app_context(), counted_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


@pytest.fixture
def two_sizes(app, client, login_as, course_root):
    _publish(course_root / "small", "kurs-maly", modules=2, lessons=2)
    _publish(course_root / "large", "kurs-duzy", modules=12, lessons=6)
    user = login_as("learner")
    for slug in ("kurs-maly", "kurs-duzy"):
        assert client.post(f"/courses/{slug}/enrol").status_code == 302
    client.post("/courses/kurs-maly/lessons/lekcja-1-1/done")
    client.post("/courses/kurs-duzy/lessons/lekcja-1-1/done")
    return user


def test_lesson_page_queries_are_few_and_do_not_grow_with_the_course(app, client, two_sizes):
    small = _count(app, client, "/courses/kurs-maly/lessons/lekcja-2-1")
    large = _count(app, client, "/courses/kurs-duzy/lessons/lekcja-7-3")
    assert small == large
    assert large <= LESSON_BUDGET


def test_course_page_queries_do_not_grow_with_the_course(app, client, two_sizes):
    small = _count(app, client, "/courses/kurs-maly")
    large = _count(app, client, "/courses/kurs-duzy")
    assert small == large
    assert large <= 7


def test_dashboard_and_profile_queries_are_bounded(app, client, two_sizes):
    from elearn.competencies.services.framework import MODEL_DIR, load_framework

    load_framework(db.session, MODEL_DIR)
    db.session.commit()
    # 26 before the framework's roles, profiles and scale were cached per process and version
    # (competencies.services.framework.framework_facts) and the current framework and a person's levels were read
    # once per request however many panels ask; 16 before the published modules' facts were cached per process and
    # version and read once per request by both the module and the assignment next steps
    assert _count(app, client, "/dashboard") <= 15
    # 50 before the same change (51 for a while: each evidence link named by its course, WCAG 2.4.6); 21 before the
    # role filter's choices came from the same per-process cache instead of the roles' ORM rows; 19 before the
    # published modules' facts were shared by the module and assignment next steps
    assert _count(app, client, "/competencies/profile") <= 18


def _loaded_questions(app, client, url: str) -> int:
    from sqlalchemy import event

    from elearn.courses.models import Question

    client.get(url)
    loaded: list[int] = []

    def count(target, _context):
        loaded.append(target.id)

    event.listen(Question, "load", count)
    try:
        assert client.get(url).status_code == 200, url
    finally:
        event.remove(Question, "load", count)
    return len(loaded)


def test_quiz_page_loads_its_own_module_only(app, client, two_sizes):
    # every module's questions and options (12 here) were loaded for one quiz before the page took the other
    # modules from the cached outline
    assert _loaded_questions(app, client, "/courses/kurs-maly/modules/modul-1/quiz") == 1
    assert _loaded_questions(app, client, "/courses/kurs-duzy/modules/modul-7/quiz") == 1
    small = _count(app, client, "/courses/kurs-maly/modules/modul-1/quiz")
    large = _count(app, client, "/courses/kurs-duzy/modules/modul-7/quiz")
    assert small == large


def test_marking_a_lesson_done_reads_the_structure_from_the_cached_outline(app, client, two_sizes):
    counts = []
    for slug, key in (("kurs-maly", "lekcja-2-1"), ("kurs-duzy", "lekcja-7-3")):
        with app.app_context(), counted_queries() as statements:
            assert client.post(f"/courses/{slug}/lessons/{key}/done").status_code == 302
        counts.append([s for s in statements if "course_modules" in s or "course_lessons" in s or "course_questions" in s])
    # the version's modules, lessons and questions were loaded on every "done" before (three statements)
    assert counts == [[], []]


def _quiz_module(questions: int) -> str:
    quiz = "".join(f"### Pytanie {n}?\n- (x) Tak {n}\n- ( ) Nie {n}\n- ( ) Nie wiem {n}\n\n" for n in range(1, questions + 1))
    return f"---\ntitle: Moduł\nhours: 1\nquiz_pass: 50\n---\n\nWstęp.\n\n## Lekcja\n\nTekst.\n\n## Quiz\n\n{quiz}"


def test_a_quiz_result_page_does_not_reload_the_quiz_after_storing_the_attempt(app, client, login_as, course_root):
    for slug, questions in (("quiz-krotki", 1), ("quiz-dlugi", 8)):
        write_course(course_root / slug, slug, {"01-modul.md": _quiz_module(questions)}, hours=1)
        sync_courses(db.session, course_root / slug)
    db.session.commit()
    login_as("learner")
    counts = []
    for slug, questions in (("quiz-krotki", 1), ("quiz-dlugi", 8)):
        assert client.post(f"/courses/{slug}/enrol").status_code == 302
        url = f"/courses/{slug}/modules/modul/quiz"
        client.get(url)
        with app.app_context(), counted_queries() as statements:
            page = client.post(url, data={f"q{n}": "1" for n in range(1, questions + 1)})
        assert page.status_code == 200 and 'id="quiz-result"' in page.get_data(as_text=True)
        counts.append(len(statements))
        stored = next(i for i, statement in enumerate(statements) if statement.startswith("INSERT INTO course_quiz_attempts"))
        content = ("FROM courses ", "FROM course_versions", "FROM course_modules", "FROM course_lessons", "FROM course_questions")
        # the commit used to expire the course, its version and the module with its lessons and questions, and the
        # result page loaded each again (and the user with roles), six statements more
        assert [s for s in statements[stored:] if any(table in s.replace("\n", " ") for table in content)] == []
    assert counts[0] == counts[1]
