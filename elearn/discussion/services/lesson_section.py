"""The lesson page's discussion section (the courses.lesson slot): where to read and ask about the lesson.

The lesson page is the hot path and only enrolled learners reach it, so the section runs no query: the caller passes
the enrolment it already holds, and the section links to the lesson's threads instead of counting them."""

from __future__ import annotations

from typing import Any

from . import access


def build(user: Any, *, course: Any = None, lesson: Any = None, enrolment: Any = None, **_about: Any) -> dict | None:
    if course is None or lesson is None:
        return None
    if enrolment is None and not (access.is_course_trainer(user, course) or user.has_role(access.ADMIN)):
        return None
    return {"course": course, "lesson": lesson}
