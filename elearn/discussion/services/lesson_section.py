"""The lesson page's discussion section (the courses.lesson slot): how many threads the lesson has and where to
ask, shown to whoever may read the course's discussion. One count query on the lesson page."""

from __future__ import annotations

from typing import Any

from ...extensions import db
from . import access, posting


def build(user: Any, *, course: Any = None, lesson: Any = None, **_about: Any) -> dict | None:
    if course is None or lesson is None or not access.may_read_course(db.session, user, course):
        return None
    return {"course": course, "lesson": lesson, "threads": posting.lesson_thread_count(db.session, course.id, lesson.key)}
