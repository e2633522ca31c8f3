"""The same learner in two tabs (or two devices) marking a lesson done, or finishing a module, at the same moment.

Found by `make loadtest`: with several sessions of one person acting at once, the second "mark as done" of a lesson
inserted a row the first had just committed and answered 500. Each test holds the first transaction open until the
second is waiting on it (on PostgreSQL, on the row's unique index; on SQLite, on the write lock), then commits."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from elearn.accounts import services as accounts
from elearn.competencies.models import Evidence
from elearn.courses import signals
from elearn.courses.models import Enrolment, LessonProgress, ModuleCompletion, QuizAttempt
from elearn.courses.services import learning
from elearn.extensions import db
from tests.certificates.helpers import separate_app
from tests.helpers import BACKEND, PASSWORD

pytestmark = pytest.mark.no_db_transaction

INTRO = "wprowadzenie-do-osl"


def finish(session: Session, user_id: int, course, version, module, *, but_last_lesson: bool = False) -> None:
    """The module's quiz passed and its lessons done (all, or all but the last)."""
    if module.questions:
        answers = {q.position: [o.position for o in q.options if o.correct] for q in module.questions}
        assert learning.submit_quiz(session, user_id, course, version, module, answers).passed
    for lesson in module.lessons[:-1] if but_last_lesson else module.lessons:
        learning.mark_lesson_done(session, user_id, course, version, lesson.key)


def learner_enrolled(app, *, other_modules_done: bool = False) -> tuple[int, int, str]:
    """A learner enrolled in the introductory course with its last module's quiz passed and every lesson of it done
    but one; with `other_modules_done`, every other module completed too."""
    with app.app_context():
        user = accounts.create_user(
            db.session, email="dwie.karty@example.org", full_name="Dorota Dwukartowa", password=PASSWORD, roles=("learner",)
        )
        course, version = learning.published_course(db.session, INTRO)
        learning.enrol(db.session, user.id, course, version)
        modules = learning.version_modules(db.session, version, with_quiz=True)
        for module in modules[:-1] if other_modules_done else []:
            finish(db.session, user.id, course, version, module)
        finish(db.session, user.id, course, version, modules[-1], but_last_lesson=True)
        db.session.commit()
        return user.id, course.id, modules[-1].lessons[-1].key


def waiting_on_a_lock(app) -> bool:
    """Whether another connection is blocked on a lock (PostgreSQL); SQLite's waiting writer cannot be seen, so a pause."""
    if BACKEND != "postgresql":
        time.sleep(0.5)
        return True
    with app.app_context(), db.engine.connect() as conn:
        return bool(
            conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"))
        )


def in_two_sessions(app, first, second) -> list[BaseException]:
    """Run `first` in one session and keep it uncommitted until `second`, in another session, waits on it; then commit
    both. Returns the errors either raised."""
    errors: list[BaseException] = []
    first_done, release = threading.Event(), threading.Event()

    def run(action, before_commit=None):
        with app.app_context(), Session(db.engine) as session:
            try:
                action(session)
                if before_commit:
                    before_commit()
                session.commit()
            except BaseException as error:  # collected for the test's assertion
                session.rollback()
                errors.append(error)
                first_done.set()

    def hold():
        first_done.set()
        release.wait(10)

    one = threading.Thread(target=run, args=(first, hold))
    one.start()
    assert first_done.wait(10)
    two = threading.Thread(target=run, args=(second,))
    two.start()
    deadline = time.monotonic() + 10
    while not waiting_on_a_lock(app) and time.monotonic() < deadline:
        time.sleep(0.02)
    release.set()
    one.join(10)
    two.join(10)
    return errors


@pytest.fixture
def app(tmp_path):
    with separate_app(tmp_path, "two_tabs") as application:
        yield application


def _objects(session: Session):
    return learning.published_course(session, INTRO)


def test_the_last_lesson_marked_done_in_two_tabs_at_once_counts_once(app):
    user_id, _course_id, last = learner_enrolled(app)
    module_signals: list[str] = []

    def mark(session):
        course, version = _objects(session)
        learning.mark_lesson_done(session, user_id, course, version, last)

    def count(sender, **kwargs):
        module_signals.append(sender.key)

    with signals.module_completed.connected_to(count):
        errors = in_two_sessions(app, mark, mark)
    assert errors == []
    with app.app_context():
        done = db.session.scalar(
            select(func.count()).select_from(LessonProgress).where(LessonProgress.user_id == user_id, LessonProgress.lesson_key == last)
        )
        completions = db.session.scalars(select(ModuleCompletion.module_key).where(ModuleCompletion.user_id == user_id)).all()
        evidence = db.session.scalar(select(func.count()).select_from(Evidence).where(Evidence.user_id == user_id))
    assert done == 1
    assert len(completions) == 1 and module_signals == completions  # the module completed once, its evidence recorded once
    assert evidence > 0


def test_the_course_completed_from_two_tabs_at_once_is_completed_once(app):
    user_id, course_id, last = learner_enrolled(app, other_modules_done=True)
    courses_completed: list[int] = []

    def mark(session):
        course, version = _objects(session)
        learning.mark_lesson_done(session, user_id, course, version, last)

    def count(sender, **kwargs):
        courses_completed.append(kwargs["user_id"])

    with signals.course_completed.connected_to(count):
        errors = in_two_sessions(app, mark, mark)
    assert errors == []
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id))
    assert enrolment.completed_at is not None and courses_completed == [user_id]


def test_a_quiz_passed_in_two_tabs_at_once_keeps_both_attempts_and_completes_the_module_once(app):
    with app.app_context():
        user = accounts.create_user(
            db.session, email="dwa.quizy@example.org", full_name="Daria Dwuquizowa", password=PASSWORD, roles=("learner",)
        )
        course, version = learning.published_course(db.session, INTRO)
        learning.enrol(db.session, user.id, course, version)
        module = next(m for m in learning.version_modules(db.session, version, with_quiz=True) if m.questions)
        for lesson in module.lessons:
            learning.mark_lesson_done(db.session, user.id, course, version, lesson.key)
        db.session.commit()
        user_id, module_key = user.id, module.key
    module_signals: list[str] = []

    def submit(session):
        course, version = _objects(session)
        quiz = next(m for m in learning.version_modules(session, version, with_quiz=True) if m.key == module_key)
        answers = {q.position: [o.position for o in q.options if o.correct] for q in quiz.questions}
        assert learning.submit_quiz(session, user_id, course, version, quiz, answers).passed

    def count(sender, **kwargs):
        module_signals.append(sender.key)

    with signals.module_completed.connected_to(count):
        errors = in_two_sessions(app, submit, submit)
    assert errors == []
    with app.app_context():
        attempts = db.session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.user_id == user_id))
        completions = db.session.scalars(select(ModuleCompletion.module_key).where(ModuleCompletion.user_id == user_id)).all()
    assert attempts == 2  # both answers were scored and shown, so both are kept
    assert completions == [module_key] and module_signals == [module_key]


def test_enrolling_twice_at_once_enrols_once(app):
    with app.app_context():
        user_id = accounts.create_user(
            db.session, email="dwa.klikniecia@example.org", full_name="Dawid Dwuklik", password=PASSWORD, roles=("learner",)
        ).id
        db.session.commit()

    def enrol(session):
        course, version = _objects(session)
        assert learning.enrol(session, user_id, course, version).user_id == user_id

    assert in_two_sessions(app, enrol, enrol) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.user_id == user_id)) == 1
