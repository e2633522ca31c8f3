"""Lesson HTML cached by an older, laxer renderer is rendered again by `flask setup` (issue 9, finding 14)."""

from __future__ import annotations

from sqlalchemy import select

from elearn.courses.models import Lesson
from elearn.courses.services.content import rerender_stale, source_hash
from elearn.extensions import db


def test_setup_re_renders_lessons_cached_by_the_old_renderer(synced_course):
    lessons = db.session.scalars(select(Lesson).where(Lesson.course_id == synced_course[0].id)).all()
    assert any(lesson.version_id is not None for lesson in lessons)  # published copies too
    for lesson in lessons:  # as the old renderer left them: unprefixed ids, author classes, plain source hash
        lesson.html = '<h3 id="podrozdzial">Podrozdział</h3><p class="button">x</p>'
        lesson.source_hash = source_hash(lesson.source or "")
    db.session.commit()
    assert rerender_stale(db.session) == len(lessons)
    for lesson in lessons:
        assert 'class="button"' not in lesson.html
        assert 'id="podrozdzial"' not in lesson.html
    assert rerender_stale(db.session) == 0
