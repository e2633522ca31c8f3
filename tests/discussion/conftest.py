"""Discussion fixtures: a shipped course looked after by one trainer, with an enrolled learner and its first lesson."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from elearn.accounts.models import User
from elearn.courses.models import Course, Enrolment
from elearn.courses.services import learning
from elearn.extensions import db

SLUG = "wprowadzenie-do-osl"


@dataclass
class CourseSide:
    course: Course
    trainer: User
    learner: User
    lesson_key: str
    lesson_title: str


@pytest.fixture
def side(make_user) -> CourseSide:
    """The introductory course made the trainer's own (as a browser course is), so only they moderate it."""
    trainer = make_user("trainer", full_name="Tomasz Trener")
    learner = make_user("learner", full_name="Anna Pytająca")
    course = db.session.scalar(select(Course).where(Course.slug == SLUG))
    course.created_by_id = trainer.id
    db.session.add(Enrolment(user_id=learner.id, course_id=course.id))
    version = learning.published_version(db.session, course.id)
    first = learning.version_outline(db.session, version)[0].lessons[0]
    db.session.commit()
    return CourseSide(course, trainer, learner, first.key, first.title)


@pytest.fixture
def forum():
    from elearn.discussion.demo import load_forums
    from elearn.discussion.services import posting

    load_forums(db.session)
    db.session.commit()
    return posting.forum_by_slug(db.session, "srps-w-praktyce")
