"""Read-only queries: the catalogue, search, and the public API other domains call (certificates, analytics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...core import search
from ..models import Course, CourseVersion, Enrolment, Module
from .learning import published_version, published_versions
from .search_documents import COURSE, LESSON


@dataclass(frozen=True)
class CatalogueEntry:
    course: Course
    version: CourseVersion
    module_count: int


def search_course_ids(session: Session, query: str) -> list[int]:
    """Published courses whose description or one of whose lessons matches the query (the platform's search
    index, by lemma), best first."""
    ranking: list[int] = []
    for _kind, _key, course_id in search.search_ids(session, query, kinds_=(COURSE, LESSON)):
        if course_id is not None and course_id not in ranking:
            ranking.append(course_id)
    return ranking


def published_courses(session: Session, *, role: str | None = None, query: str | None = None) -> list[CatalogueEntry]:
    stmt = published_versions().order_by(CourseVersion.title)
    if role:
        stmt = stmt.where(CourseVersion.role == role)
    ranking: list[int] | None = None
    if query:
        ranking = search_course_ids(session, query)
        if not ranking:
            return []
        stmt = stmt.where(Course.id.in_(ranking))
    rows = session.execute(stmt).all()
    counts = dict(
        session.execute(
            select(Module.version_id, func.count(Module.id))
            .where(Module.version_id.in_([v.id for _c, v in rows]))
            .group_by(Module.version_id)
        ).all()
    ) if rows else {}  # fmt: skip
    entries = [CatalogueEntry(c, v, counts.get(v.id, 0)) for c, v in rows]
    if ranking is not None:
        order = {course_id: i for i, course_id in enumerate(ranking)}
        entries.sort(key=lambda e: order[e.course.id])
    return entries


def published_course_titles(session: Session) -> list[tuple[Course, CourseVersion]]:
    return list(session.execute(published_versions().order_by(CourseVersion.title)).tuples())


def enrolment_map(session: Session, user_id: int) -> dict[int, Enrolment]:
    return {e.course_id: e for e in session.scalars(select(Enrolment).where(Enrolment.user_id == user_id))}


def prerequisite_courses(session: Session, version: CourseVersion) -> list[Course]:
    if not version.prerequisites:
        return []
    by_slug = {c.slug: c for c in session.scalars(select(Course).where(Course.slug.in_(version.prerequisites)))}
    return [by_slug[s] for s in version.prerequisites if s in by_slug]


# --- public API for higher domains ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletedCourse:
    course_id: int
    slug: str
    title: str
    enrolled_at: datetime
    completed_at: datetime
    version_number: int | None  # the version the learner completed


def completed_courses(session: Session, user_id: int) -> list[CompletedCourse]:
    """A user's completed courses with dates (oldest first); the title is the one of the completed version."""
    rows = session.execute(
        select(Enrolment, Course)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user_id, Enrolment.completed_at.is_not(None))
        .order_by(Enrolment.completed_at, Enrolment.id)
    ).all()
    result = []
    for enrolment, course in rows:
        version = published_version(session, course.id, enrolment.completed_version)
        result.append(
            CompletedCourse(
                course_id=course.id,
                slug=course.slug,
                title=version.title if version else course.title,
                enrolled_at=enrolment.enrolled_at,
                completed_at=enrolment.completed_at,
                version_number=enrolment.completed_version,
            )
        )
    return result


@dataclass(frozen=True)
class ProgrammeModule:
    key: str
    position: int
    title: str
    hours: int
    competences: dict[str, int]


@dataclass(frozen=True)
class Programme:
    """What a certificate prints: title, version, hours and the programme topics (modules) with their hours."""

    course_id: int
    slug: str
    title: str
    version_number: int
    hours: int
    role: str
    outcomes: dict
    modules: tuple[ProgrammeModule, ...]

    @property
    def competences(self) -> dict[str, int]:
        """The highest level each competence is evidenced at by the course's modules."""
        merged: dict[str, int] = {}
        for module in self.modules:
            for code, level in module.competences.items():
                merged[code] = max(merged.get(code, 0), level)
        return merged


def course_programme(session: Session, course_id: int, version_number: int | None = None) -> Programme | None:
    """The programme of a published version (latest by default); None for unknown or never-published courses."""
    version = published_version(session, course_id, version_number)
    if version is None:
        return None
    modules = session.scalars(select(Module).where(Module.version_id == version.id).order_by(Module.position)).all()
    return Programme(
        course_id=course_id, slug=version.course.slug, title=version.title, version_number=version.number,
        hours=version.hours, role=version.role, outcomes=dict(version.outcomes or {}),
        modules=tuple(
            ProgrammeModule(key=m.key, position=m.position, title=m.title, hours=m.hours, competences=dict(m.competences or {}))
            for m in modules
        ),
    )  # fmt: skip


def completed_enrolments(session: Session, user_id: int) -> list[Enrolment]:
    """A user's completed enrolments, most recent first (the learner's certificate panel lists them)."""
    query = select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.completed_at.is_not(None))
    return list(session.scalars(query.order_by(Enrolment.completed_at.desc())))


def published_course_choices(session: Session) -> list[tuple[int, str]]:
    """(id, title) of every published course, by title, for a course picker."""
    query = select(Course).where(Course.published_number > 0).order_by(Course.title)
    return [(course.id, course.title) for course in session.scalars(query)]
