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


def test_previous_lesson_link_at_first_second_and_first_of_next_module(client, login_as, synced_course):
    login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    first = client.get("/courses/kurs-testowy/lessons/pierwsza-lekcja").get_data(as_text=True)
    assert 'rel="prev"' not in first
    second = client.get("/courses/kurs-testowy/lessons/druga-lekcja").get_data(as_text=True)
    assert 'rel="prev" href="/courses/kurs-testowy/lessons/pierwsza-lekcja"' in second
    assert "Pierwsza lekcja" in second
    across = client.get("/courses/kurs-testowy/lessons/jedyna-lekcja").get_data(as_text=True)
    assert 'rel="prev" href="/courses/kurs-testowy/lessons/druga-lekcja"' in across
    assert 'rel="next"' not in across


def test_lesson_neighbours_in_reading_order(synced_course):
    from elearn.courses.services.learning import lesson_neighbours, version_modules

    _course, version = synced_course
    modules = version_modules(db.session, version)

    def keys(key):
        module, previous, following = lesson_neighbours(modules, key)
        return module.key, previous and previous[1].key, following and following[1].key

    assert keys("pierwsza-lekcja") == ("pierwszy", None, "druga-lekcja")
    assert keys("druga-lekcja") == ("pierwszy", "pierwsza-lekcja", "jedyna-lekcja")
    assert keys("jedyna-lekcja") == ("drugi", "druga-lekcja", None)


def test_two_learners_in_one_course_keep_their_own_progress(make_user, synced_course):
    from elearn.courses.services import learning

    course, version = synced_course
    first, second = make_user(), make_user()
    for user in (first, second):
        learning.enrol(db.session, user.id, course, version)
    learning.mark_lesson_done(db.session, first.id, course, version, "pierwsza-lekcja")
    learning.mark_lesson_done(db.session, first.id, course, version, "druga-lekcja")
    module_one = learning.version_modules(db.session, version, with_quiz=True)[0]
    failed = learning.submit_quiz(db.session, first.id, course, version, module_one, {1: [1], 2: [1], 3: [2]})
    passed = learning.submit_quiz(db.session, first.id, course, version, module_one, {1: [2], 2: [1, 3], 3: [1]})
    assert (failed.passed, passed.score) == (False, 100)
    learning.mark_lesson_done(db.session, second.id, course, version, "jedyna-lekcja")

    mine = learning.course_progress(db.session, first.id, course, version)
    theirs = learning.course_progress(db.session, second.id, course, version)
    assert mine.done == {"pierwsza-lekcja", "druga-lekcja"} and theirs.done == {"jedyna-lekcja"}
    assert [(m.lessons_done, m.lessons_total, m.quiz_passed, m.completed, m.percent) for m in mine.modules] == [
        (2, 2, True, True, 100),
        (0, 1, False, False, 0),
    ]
    assert [(m.lessons_done, m.quiz_passed, m.completed, m.percent) for m in theirs.modules] == [
        (0, False, False, 0),
        (1, False, True, 100),
    ]
    assert (mine.percent, theirs.percent) == (75, 25)
    assert (mine.next_lesson.key, theirs.next_lesson.key) == ("jedyna-lekcja", "pierwsza-lekcja")
    assert learning.passed_quiz_scores(db.session, first.id, course.id) == {"pierwszy": 100}
    assert learning.passed_quiz_scores(db.session, second.id, course.id) == {}
    completions = db.session.scalars(select(ModuleCompletion).where(ModuleCompletion.course_id == course.id)).all()
    assert sorted((c.user_id, c.module_key, c.quiz_score) for c in completions) == sorted(
        [(first.id, "pierwszy", 100), (second.id, "drugi", None)]
    )
    assert mine.completed_at is None and theirs.completed_at is None
    in_progress = learning.courses_in_progress(db.session, first.id)
    assert [(c.slug, p.percent) for c, _v, p in in_progress] == [("kurs-testowy", 75)]

    learning.mark_lesson_done(db.session, first.id, course, version, "jedyna-lekcja")
    assert learning.course_progress(db.session, first.id, course, version).percent == 100
    assert learning.course_progress(db.session, second.id, course, version).percent == 25
    assert learning.courses_in_progress(db.session, first.id) == []
    assert get_completed(first.id, course.id) is not None and get_completed(second.id, course.id) is None


def test_progress_of_someone_not_enrolled_is_empty(make_user, synced_course):
    from elearn.courses.services import learning

    course, version = synced_course
    visitor = make_user()
    progress = learning.course_progress(db.session, visitor.id, course, version)
    assert (progress.done, progress.completed_at, progress.percent, progress.next_lesson.key) == (set(), None, 0, "pierwsza-lekcja")
    assert [(m.lessons_done, m.quiz_passed, m.completed, m.percent) for m in progress.modules] == [(0, False, False, 0)] * 2


def get_completed(user_id, course_id):
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id))
    return enrolment.completed_at


def test_courses_in_progress_lists_each_course_once_at_its_published_version_newest_first(make_user, course_root, synced_course):
    from datetime import timedelta

    from elearn.courses.services import learning
    from elearn.courses.services.sync import sync_courses
    from tests.courses.helpers import write_course

    write_course(course_root, "kurs-testowy", version=2, title="Kurs testowy, wydanie drugie")
    write_course(course_root, "kurs-drugi")
    sync_courses(db.session, course_root)
    user = make_user()
    for slug, days_ago in (("kurs-testowy", 5), ("kurs-drugi", 1)):
        course, version = learning.published_course(db.session, slug)
        learning.enrol(db.session, user.id, course, version).enrolled_at = learning.utcnow() - timedelta(days=days_ago)
    db.session.flush()
    listed = learning.courses_in_progress(db.session, user.id)
    assert [(course.slug, version.title) for course, version, _progress in listed] == [
        ("kurs-drugi", "Kurs kurs-drugi"),
        ("kurs-testowy", "Kurs testowy, wydanie drugie"),
    ]
    assert learning.courses_in_progress(db.session, make_user().id) == []


def test_progress_of_one_course_does_not_count_in_another_with_the_same_lesson_keys(make_user, course_root, synced_course):
    from elearn.courses.services import learning
    from elearn.courses.services.sync import sync_courses
    from tests.courses.helpers import write_course

    write_course(course_root, "kurs-drugi")  # the same modules, so the same lesson and module keys
    sync_courses(db.session, course_root)
    first, second = synced_course, learning.published_course(db.session, "kurs-drugi")
    user = make_user()
    for course, version in (first, second):
        learning.enrol(db.session, user.id, course, version)
    course, version = first
    modules = learning.version_modules(db.session, version, with_quiz=True)
    learning.submit_quiz(db.session, user.id, course, version, modules[0], {1: [2], 2: [1, 3], 3: [1]})  # 100%
    learning.submit_quiz(db.session, user.id, course, version, modules[0], {1: [2], 2: [1], 3: [1]})  # 67%, also passed
    for key in ("pierwsza-lekcja", "druga-lekcja"):
        learning.mark_lesson_done(db.session, user.id, course, version, key)

    other_course, other_version = second
    assert learning.done_keys(db.session, user.id, other_course.id) == set()
    assert learning.passed_quiz_scores(db.session, user.id, other_course.id) == {}
    assert learning.passed_quiz_scores(db.session, user.id, course.id) == {"pierwszy": 100}
    assert [m.completed for m in learning.course_progress(db.session, user.id, other_course, other_version).modules] == [False, False]
    learning.mark_lesson_done(db.session, user.id, other_course, other_version, "pierwsza-lekcja")
    rows = db.session.scalars(
        select(LessonProgress).where(LessonProgress.user_id == user.id, LessonProgress.lesson_key == "pierwsza-lekcja")
    )
    assert sorted((row.course_id, row.done_at is not None) for row in rows) == sorted([(course.id, True), (other_course.id, True)])
    assert learning.course_progress(db.session, user.id, other_course, other_version).done == {"pierwsza-lekcja"}
    assert not db.session.scalars(
        select(ModuleCompletion).where(ModuleCompletion.user_id == user.id, ModuleCompletion.course_id == other_course.id)
    ).all()


def test_completion_events_carry_the_moment_and_the_session(make_user, synced_course):
    from elearn.courses.services import learning

    course, version = synced_course
    user = make_user()
    learning.enrol(db.session, user.id, course, version)
    heard = []

    def on_module(sender, **kw):
        heard.append(("module", sender.key, kw["completed_at"], kw["session"] is db.session))

    def on_course(sender, **kw):
        heard.append(("course", sender.slug, kw["completed_at"], kw["session"] is db.session, kw["user_id"]))

    signals.module_completed.connect(on_module)
    signals.course_completed.connect(on_course)
    try:
        learning.mark_lesson_done(db.session, user.id, course, version, "jedyna-lekcja")
        completion = db.session.scalar(select(ModuleCompletion).where(ModuleCompletion.user_id == user.id))
        assert completion.completed_at is not None and completion.quiz_score is None
        assert heard == [("module", "drugi", completion.completed_at, True)]
        for key in ("pierwsza-lekcja", "druga-lekcja"):
            learning.mark_lesson_done(db.session, user.id, course, version, key)
        module_one = learning.version_modules(db.session, version, with_quiz=True)[0]
        learning.submit_quiz(db.session, user.id, course, version, module_one, {1: [2], 2: [1, 3], 3: [1]})
    finally:
        signals.module_completed.disconnect(on_module)
        signals.course_completed.disconnect(on_course)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
    assert heard[-1] == ("course", "kurs-testowy", enrolment.completed_at, True, user.id)
    assert learning.course_progress(db.session, user.id, course, version).completed_at == enrolment.completed_at


def test_a_module_is_completed_by_its_learner_only(make_user, synced_course):
    """Another learner's done lessons never complete my module (the completion reads my progress, not the course's)."""
    from elearn.courses.services import learning

    course, version = synced_course
    first, second = make_user(), make_user()
    for user in (first, second):
        learning.enrol(db.session, user.id, course, version)
    learning.mark_lesson_done(db.session, first.id, course, version, "jedyna-lekcja")  # completes "drugi" for first
    learning.mark_lesson_done(db.session, second.id, course, version, "pierwsza-lekcja")
    rows = db.session.scalars(select(ModuleCompletion).where(ModuleCompletion.course_id == course.id)).all()
    assert [(c.user_id, c.module_key) for c in rows] == [(first.id, "drugi")]


def test_a_module_completed_in_another_course_does_not_count_here(make_user, course_root):
    """Two courses may use the same module keys: completing "drugi" in one leaves it to be completed in the other."""
    from elearn.courses.services import learning
    from elearn.courses.services.sync import sync_courses
    from tests.courses.helpers import write_course

    write_course(course_root, "kurs-testowy")
    write_course(course_root, "kurs-blizniaczy")
    sync_courses(db.session, course_root)
    user = make_user()
    pairs = [learning.published_course(db.session, slug) for slug in ("kurs-testowy", "kurs-blizniaczy")]
    for course, version in pairs:
        learning.enrol(db.session, user.id, course, version)
        learning.mark_lesson_done(db.session, user.id, course, version, "jedyna-lekcja")
    rows = db.session.execute(select(ModuleCompletion.course_id, ModuleCompletion.module_key).where(ModuleCompletion.user_id == user.id))
    assert sorted(rows) == sorted((course.id, "drugi") for course, _version in pairs)


def test_a_module_completed_before_a_new_version_still_counts_for_the_course(make_user, course_root):
    """Completions are events: a lesson added to a module the learner had completed does not take the completion back,
    and the course completes once the other modules are done."""
    from elearn.courses.services import learning
    from elearn.courses.services.sync import sync_courses
    from tests.courses.helpers import MODULE_ONE, MODULE_TWO, write_course

    write_course(course_root, "kurs-testowy")
    sync_courses(db.session, course_root)
    user = make_user()
    course, version = learning.published_course(db.session, "kurs-testowy")
    learning.enrol(db.session, user.id, course, version)
    learning.mark_lesson_done(db.session, user.id, course, version, "jedyna-lekcja")  # completes "drugi"
    longer = MODULE_TWO + "\n## Nowa lekcja\n\nTekst nowej lekcji.\n"
    write_course(course_root, "kurs-testowy", {"01-pierwszy.md": MODULE_ONE, "02-drugi.md": longer})
    sync_courses(db.session, course_root)
    course, version = learning.published_course(db.session, "kurs-testowy")
    assert version.number == 2
    for key in ("pierwsza-lekcja", "druga-lekcja"):
        learning.mark_lesson_done(db.session, user.id, course, version, key)
    module_one = next(m for m in learning.version_modules(db.session, version, with_quiz=True) if m.key == "pierwszy")
    assert learning.submit_quiz(db.session, user.id, course, version, module_one, {1: [2], 2: [1, 3], 3: [1]}).passed
    enrolment = learning.get_enrolment(db.session, user.id, course.id)
    assert enrolment.completed_at is not None and enrolment.completed_version == 2


def test_enrolling_again_keeps_the_enrolment_when_a_prerequisite_was_added_since(make_user, course_root):
    from elearn.courses.services import learning
    from elearn.courses.services.sync import sync_courses
    from tests.courses.helpers import write_course

    write_course(course_root, "kurs-wstepny")
    write_course(course_root, "kurs-testowy")
    sync_courses(db.session, course_root)
    user = make_user()
    course, version = learning.published_course(db.session, "kurs-testowy")
    enrolment = learning.enrol(db.session, user.id, course, version)
    write_course(course_root, "kurs-testowy", prerequisites=["kurs-wstepny"])
    sync_courses(db.session, course_root)
    course, version = learning.published_course(db.session, "kurs-testowy")
    assert version.prerequisites == ["kurs-wstepny"]
    assert learning.enrol(db.session, user.id, course, version).id == enrolment.id  # already in: not refused
