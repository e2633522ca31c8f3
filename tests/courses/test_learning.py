from __future__ import annotations

from sqlalchemy import select

from elearn.courses import signals
from elearn.courses.models import Enrolment, LessonProgress, ModuleCompletion, QuizAttempt
from elearn.extensions import db


def _lesson_keys(client, slug):
    from elearn.courses.services.learning import published_course, version_modules

    _course, version = published_course(db.session, slug)
    return {m.key: [lesson.key for lesson in m.lessons] for m in version_modules(db.session, version)}


def test_learner_completes_module_and_course(client, login_as, synced_course):
    user = login_as("learner")
    course, _version = synced_course
    received = []

    def on_module(sender, **kw):
        received.append(("module", sender.key, kw["quiz_score"]))

    def on_course(sender, **kw):
        received.append(("course", sender.slug, kw["enrolment"].completed_at is not None))

    signals.module_completed.connect(on_module)
    signals.course_completed.connect(on_course)
    try:
        page = client.get("/courses")
        assert "Kurs kurs-testowy" in page.get_data(as_text=True)
        assert client.get("/courses/kurs-testowy/lessons/pierwsza-lekcja").status_code == 302  # not enrolled yet
        response = client.post("/courses/kurs-testowy/enrol")
        assert response.headers["Location"].endswith("/courses/kurs-testowy/lessons/pierwsza-lekcja")
        html = client.get("/courses/kurs-testowy/lessons/pierwsza-lekcja").get_data(as_text=True)
        assert "<strong>sąsiedztwie</strong>" in html
        assert 'href="#h-podrozdział"' in html  # table of contents
        assert 'rel="next" href="/courses/kurs-testowy/lessons/druga-lekcja"' in html
        assert "Oznacz jako ukończoną" in html
        response = client.post("/courses/kurs-testowy/lessons/pierwsza-lekcja/done")
        assert response.headers["Location"].endswith("/lessons/pierwsza-lekcja#lesson-nav")
        assert "Ta lekcja jest oznaczona jako ukończona" in client.get("/courses/kurs-testowy/lessons/pierwsza-lekcja").get_data(
            as_text=True
        )
        client.post("/courses/kurs-testowy/lessons/druga-lekcja/done")
        last = client.get("/courses/kurs-testowy/lessons/druga-lekcja").get_data(as_text=True)
        assert 'href="/courses/kurs-testowy/modules/pierwszy/quiz"' in last
        assert not received
        # Q1 right, Q2 partly right (0 points), Q3 right: 2/3 = 67% >= 50%
        result = client.post("/courses/kurs-testowy/modules/pierwszy/quiz", data={"q1": "2", "q2": "1", "q3": "1"})
        text = result.get_data(as_text=True)
        assert "67%" in text
        assert "Bo tak." in text
        assert "Dwie dobre." in text
        assert received == [("module", "pierwszy", 67)]
        client.post("/courses/kurs-testowy/lessons/jedyna-lekcja/done")
        assert received[-1] == ("course", "kurs-testowy", True)
    finally:
        signals.module_completed.disconnect(on_module)
        signals.course_completed.disconnect(on_course)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))
    assert enrolment.completed_at is not None
    assert enrolment.completed_version == 1
    assert (
        db.session.scalar(
            select(ModuleCompletion).where(ModuleCompletion.user_id == user.id, ModuleCompletion.module_key == "drugi")
        ).quiz_score
        is None
    )
    assert len(db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == user.id)).all()) == 3
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "/courses/kurs-testowy/lessons/" not in dashboard  # no longer in progress


def test_failed_quiz_is_recorded_and_module_not_completed(client, login_as, synced_course):
    user = login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    client.post("/courses/kurs-testowy/lessons/pierwsza-lekcja/done")
    client.post("/courses/kurs-testowy/lessons/druga-lekcja/done")
    page = client.post("/courses/kurs-testowy/modules/pierwszy/quiz", data={"q1": "1", "q2": ["1", "3"], "q3": "2"})
    assert "33%" in page.get_data(as_text=True)
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == user.id))
    assert attempt.passed is False
    assert attempt.score == 33
    assert db.session.scalar(select(ModuleCompletion).where(ModuleCompletion.user_id == user.id)) is None


def test_dashboard_lists_course_in_progress_with_next_lesson(client, login_as, synced_course):
    login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    client.post("/courses/kurs-testowy/lessons/pierwsza-lekcja/done")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Kurs kurs-testowy" in html
    assert "/courses/kurs-testowy/lessons/druga-lekcja" in html
    assert 'value="25"' in html  # 1 of 4 units (3 lessons and 1 quiz) as a progress bar
