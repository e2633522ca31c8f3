"""What the courses domain puts into the platform's search: published courses and their lessons, never drafts."""

from __future__ import annotations

import html
from collections.abc import Iterator

import nh3
from sqlalchemy.orm import Session

from ...core import search
from ...core.markdown import inline_plain_text, render_markdown
from ..models import Course, CourseVersion
from .learning import published_versions

COURSE, LESSON = "course", "lesson"


def plain_text(markdown_source: str) -> str:
    """Markdown as the reader sees it, without markup: what search matches and quotes."""
    return " ".join(html.unescape(nh3.clean(render_markdown(markdown_source or ""), tags=set())).split())


def course_documents(course: Course, version: CourseVersion) -> tuple[search.Document, list[search.Document]]:
    """The course document (summary, outcomes, module titles and introductions) and one document per lesson."""
    parts = [version.summary or ""]
    for items in (version.outcomes or {}).values():
        parts.extend(inline_plain_text(str(item)) for item in (items or []))
    lessons = []
    for module in version.modules:
        parts.extend([module.title, plain_text(module.intro or "")])
        for lesson in module.lessons:
            url = search.path_for("courses.lesson", slug=course.slug, key=lesson.key)
            lessons.append(
                search.Document(kind=LESSON, key=f"{course.slug}/{lesson.key}", title=lesson.title, body=plain_text(lesson.source),
                                context=f"{version.title} › {module.title}", course_id=course.id, role=version.role, url=url)
            )  # fmt: skip
    document = search.Document(
        kind=COURSE, key=course.slug, title=version.title, body=" ".join(p for p in parts if p), course_id=course.id,
        role=version.role, url=search.path_for("courses.course", slug=course.slug),
    )  # fmt: skip
    return document, lessons


def index_course(session: Session, course: Course, version: CourseVersion) -> None:
    """After publishing: the index holds exactly this version's course and lesson documents."""
    document, lessons = course_documents(course, version)
    search.index_document(session, document)
    search.replace_documents(session, LESSON, lessons, course_id=course.id)


def _published(session: Session) -> Iterator[tuple[Course, CourseVersion]]:
    yield from session.execute(published_versions().order_by(Course.id)).tuples()


def all_course_documents(session: Session) -> Iterator[search.Document]:
    for course, version in _published(session):
        yield course_documents(course, version)[0]


def all_lesson_documents(session: Session) -> Iterator[search.Document]:
    for course, version in _published(session):
        yield from course_documents(course, version)[1]
