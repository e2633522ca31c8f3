"""Fixtures of the course tests: a course folder root and a published file course."""

from __future__ import annotations

from pathlib import Path

import pytest

from elearn.courses.services.sync import sync_courses
from elearn.extensions import db
from tests.courses.helpers import write_course


@pytest.fixture
def course_root(tmp_path) -> Path:
    return tmp_path / "courses"


@pytest.fixture
def synced_course(course_root):
    """A published file course 'kurs-testowy' (2 modules: 2 lessons + quiz of 3; 1 lesson, no quiz)."""
    write_course(course_root, "kurs-testowy")
    sync_courses(db.session, course_root)
    db.session.commit()
    from elearn.courses.services.learning import published_course

    return published_course(db.session, "kurs-testowy")
