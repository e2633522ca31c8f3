"""Quiz attempts: an empty submission is refused, options are shuffled per attempt, a passed quiz leads on, and a
course's attempt limit and waiting time hold (issue 13)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from elearn.courses.models import QuizAttempt
from elearn.courses.services import content
from elearn.courses.services import format as fmt
from elearn.courses.services.format.write import course_yml_text
from elearn.courses.services.sync import sync_courses
from elearn.extensions import db
from tests.courses.helpers import write_course

QUIZ = "/courses/kurs-testowy/modules/pierwszy/quiz"
RIGHT = {"q1": "2", "q2": ["1", "3"], "q3": "1"}
WRONG = {"q1": "1", "q2": "2", "q3": "2"}


def _attempts(user) -> int:
    return len(db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id)).all())


def test_an_empty_submission_is_refused_and_not_recorded(client, login_as, synced_course):
    user = login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    page = client.post(QUIZ, data={}).get_data(as_text=True)
    assert "Zaznacz co najmniej jedną odpowiedź" in page
    assert 'class="error-summary" role="alert"' in page
    assert _attempts(user) == 0
    assert "Twój wynik" not in page


def test_options_are_shuffled_per_attempt_and_stable_within_it(client, login_as, course_root):
    modules = {"01-pierwszy.md": _module_with_options(8)}
    write_course(course_root, "kurs-testowy", modules=modules, hours=2)
    sync_courses(db.session, course_root)
    db.session.commit()
    user = login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    first = _options(client.get(QUIZ).get_data(as_text=True))
    assert first == _options(client.get(QUIZ).get_data(as_text=True))  # stable while the learner answers
    assert sorted(first) == [str(n) for n in range(1, 9)] and first != sorted(first)  # 8 options: 1 in 40 320 stays put
    answered = client.post(QUIZ, data={"q1": "1"}).get_data(as_text=True)
    assert _options(answered) == first  # the result shows the order that was answered
    second = _options(client.get(QUIZ).get_data(as_text=True))
    assert second != first and sorted(second) == sorted(first)
    assert _attempts(user) == 1


def _module_with_options(count: int) -> str:
    options = "\n".join(f"- {'(x)' if n == 1 else '( )'} odpowiedź numer {n}" for n in range(1, count + 1))
    return f"---\ntitle: Pierwszy moduł\nhours: 2\nquiz_pass: 50\n---\n\n## Lekcja\n\nTekst.\n\n## Quiz\n\n### Która?\n{options}\n"


def _options(page: str) -> list[str]:
    return re.findall(r'<input[^>]*name="q1"[^>]*value="(\d+)"', page)


def test_a_passed_quiz_links_to_the_next_module(client, login_as, synced_course):
    login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    page = client.post(QUIZ, data=RIGHT).get_data(as_text=True)
    assert 'href="/courses/kurs-testowy/modules/drugi"' in page and "Następny moduł: Drugi moduł" in page
    failed = client.post(QUIZ, data=WRONG).get_data(as_text=True)
    assert "Następny moduł" not in failed


def test_the_last_module_leads_back_to_the_course(client, login_as, course_root):
    write_course(course_root, "kurs-testowy", modules={"01-pierwszy.md": _module_with_options(3)}, hours=2)
    sync_courses(db.session, course_root)
    db.session.commit()
    login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    page = client.post(QUIZ, data={"q1": "1"}).get_data(as_text=True)
    assert "Wróć do strony kursu" in page and 'href="/courses/kurs-testowy"' in page


def test_attempt_limit_holds(client, login_as, course_root):
    write_course(course_root, "kurs-testowy", quiz_attempts=2)
    sync_courses(db.session, course_root)
    db.session.commit()
    user = login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    assert "Wykorzystane podejścia: 0 z 2." in client.get(QUIZ).get_data(as_text=True)
    client.post(QUIZ, data=WRONG)
    last = client.post(QUIZ, data=WRONG).get_data(as_text=True)
    assert "Wykorzystano wszystkie podejścia (2)" in last and "Sprawdź odpowiedzi" not in last
    refused = client.post(QUIZ, data=RIGHT).get_data(as_text=True)
    assert "Wykorzystano wszystkie podejścia (2) do tego quizu." in refused
    assert _attempts(user) == 2


def test_waiting_time_between_attempts(client, login_as, course_root):
    write_course(course_root, "kurs-testowy", quiz_wait_minutes=60)
    sync_courses(db.session, course_root)
    db.session.commit()
    user = login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    after = client.post(QUIZ, data=WRONG).get_data(as_text=True)
    assert "Możesz spróbować ponownie od" in after and "Sprawdź odpowiedzi" not in after
    assert "odczekujesz 60 minut" in after
    refused = client.post(QUIZ, data=RIGHT).get_data(as_text=True)
    assert "po upływie czasu oczekiwania" in refused and _attempts(user) == 1
    # An hour later the quiz is open again.
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == user.id))
    db.session.execute(update(QuizAttempt).where(QuizAttempt.id == attempt.id).values(at=attempt.at - timedelta(minutes=61)))
    db.session.commit()
    assert "Sprawdź odpowiedzi" in client.get(QUIZ).get_data(as_text=True)
    client.post(QUIZ, data=RIGHT)
    assert _attempts(user) == 2


def test_rules_round_trip_through_course_yml(course_root):
    write_course(course_root, "kurs-testowy", quiz_attempts=3, quiz_wait_minutes=30)
    sync_courses(db.session, course_root)
    db.session.commit()
    text = (course_root / "kurs-testowy" / "course.yml").read_text(encoding="utf-8")
    parsed = fmt.parse_course_yml(text, "course.yml", fmt.Errors())
    assert (parsed.quiz_attempts, parsed.quiz_wait_minutes) == (3, 30)
    written = course_yml_text(parsed)
    assert "quiz_attempts: 3\nquiz_wait_minutes: 30\n" in written
    assert fmt.parse_course_yml(written, "course.yml", fmt.Errors()) == parsed
    # Unset rules are not written at all: older course files stay byte-identical.
    assert "quiz_" not in course_yml_text(
        fmt.parse_course_yml(text.replace("quiz_attempts: 3\n", "").replace("quiz_wait_minutes: 30\n", ""), "c", fmt.Errors())
    )
    errors = fmt.Errors()
    fmt.parse_course_yml(text.replace("quiz_attempts: 3", "quiz_attempts: 0"), "course.yml", errors)
    assert any("quiz_attempts must be a whole number from 1 to 100" in e for e in errors)


def test_authoring_form_sets_the_rules(client, login_as):
    login_as("trainer")
    data = {"slug": "zasady-quizu", "title": "Zasady quizu", "summary": "Opis.", "role": "wspolne", "hours": "2",
            "quiz_attempts": "3", "quiz_wait_minutes": "1440"}  # fmt: skip
    response = client.post("/authoring/courses/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    from elearn.courses.models import Course

    course = db.session.scalar(select(Course).where(Course.slug == "zasady-quizu"))
    assert (course.quiz_attempts, course.quiz_wait_minutes) == (3, 1440)
    assert "quiz_attempts: 3\nquiz_wait_minutes: 1440\n" in course_yml_text(content.draft_to_format(db.session, course))
    bad = client.post("/authoring/courses/new", data={**data, "slug": "inne", "quiz_attempts": "0"}).get_data(as_text=True)
    assert "Quiz attempts allowed" not in bad and "Liczba podejść" in bad
