"""Course analytics for trainers, on hand-counted data in the seeded animator course:
6 learners attempt module 1's quiz — 5 answer every question right, 1 picks a wrong answer to question 1 — so
question 1 is answered right by 5/6 = 83%, its wrong answer chosen by 1/6 = 17%, the others by 0%; question 2 by 100%.
Module 1 completed by 6, module 2 by 2 ("< 5"); 5 completed enrolments taking 10, 20, 30, 40, 50 days → median 30;
an assignment submitted by 5 (3 passed, 1 failed, 1 to improve; a draft does not count) → 60%."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.analytics.services import courses as service
from elearn.core.timeutil import utcnow
from elearn.courses.models import Enrolment, ModuleCompletion
from elearn.courses.services.learning import published_course, submit_quiz
from elearn.extensions import db
from elearn.practice.models import Submission
from tests.certificates.helpers import ANIMATOR


def _right(question) -> list[int]:
    return [o.position for o in question.options if o.correct]


def _wrong(question) -> int:
    return next(o.position for o in question.options if not o.correct)


def _build(make_user):
    course, version = published_course(db.session, ANIMATOR)
    first = version.modules[0]
    with_assignment = next(m for m in version.modules if m.assignments)
    now = utcnow()
    learners = [make_user("learner") for _ in range(6)]
    for n, learner in enumerate(learners):
        done = now - timedelta(days=1) if n < 5 else None
        start = (done or now) - timedelta(days=10 * (n + 1))
        db.session.add(Enrolment(user_id=learner.id, course_id=course.id, enrolled_at=start, completed_at=done))
        db.session.add(ModuleCompletion(user_id=learner.id, course_id=course.id, module_key=first.key, version_number=version.number))
    db.session.flush()
    for n, learner in enumerate(learners):
        answers = {q.position: _right(q) for q in first.questions}
        if n == 5:
            answers[first.questions[0].position] = [_wrong(first.questions[0])]
        submit_quiz(db.session, learner.id, course, version, first, answers)
    second = version.modules[1]
    for learner in learners[:2]:
        db.session.add(ModuleCompletion(user_id=learner.id, course_id=course.id, module_key=second.key, version_number=version.number))
    item = with_assignment.assignments[0]
    for learner, status in zip(learners, ("passed", "passed", "passed", "failed", "revise", "draft"), strict=True):
        db.session.add(
            Submission(
                user_id=learner.id,
                course_id=course.id,
                module_key=with_assignment.key,
                assignment_key=item["key"],
                title=item["title"],
                status=status,
            )
        )
    db.session.commit()
    return course, version, first, with_assignment


def test_report_counts_funnel_median_pass_rates_and_items(make_user):
    course, version, _first, with_assignment = _build(make_user)
    found = service.report(db.session, course, version)
    assert found.enrolled == 6 and found.completed == 5 and found.median_days == 30.0
    assert found.modules[0].completed == 6 and found.modules[1].completed == "< 5"
    q1, q2 = found.modules[0].items[:2]
    assert q1.correct == 83 and q2.correct == 100
    assert sorted(o.chosen for o in q1.options if not o.correct) == sorted([17] + [0] * (len(q1.options) - 2))
    stat = next(m for m in found.modules if m.title == with_assignment.title).assignments[0]
    assert (stat.submitted, stat.passed) == (5, 60)


def test_small_groups_show_no_shares():
    assert service.share(1, 4) == "< 5" and service.share(0, 0) is None and service.share(4, 5) == 80


def test_trainer_sees_only_courses_they_look_after_and_admin_all(make_user, client, login_as):
    course, _version, first, _a = _build(make_user)
    login_as("trainer")
    page = client.get(f"/analytics/courses/{ANIMATOR}").get_data(as_text=True)
    assert "83%" in page and "30,0 dni" in page and first.questions[0].text[:30] in page.replace("&#34;", '"')
    assert ANIMATOR in client.get("/analytics/courses").get_data(as_text=True)
    owner = make_user("trainer")
    course.created_by_id = owner.id  # now the course of another trainer
    db.session.commit()
    assert client.get(f"/analytics/courses/{ANIMATOR}").status_code == 404
    assert ANIMATOR not in client.get("/analytics/courses").get_data(as_text=True)
    client.get("/logout")
    login_as("admin")
    assert client.get(f"/analytics/courses/{ANIMATOR}").status_code == 200
    client.get("/logout")
    login_as("learner")
    assert client.get(f"/analytics/courses/{ANIMATOR}").status_code == 403
    assert db.session.scalar(select(Submission.id)) is not None
