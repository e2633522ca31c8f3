"""The development path: published course modules that close a person's gaps, ordered by impact and prerequisites.

A module closes part of a gap when it evidences the competence above the person's current level; the part it closes
is min(module level, required) − current. Where no module reaches the required level, the rest needs assessed
practice: the path lists those codes (needs_assessment) and the page offers an assessment request for each.
Courses are ordered by the total they close (then by how many gaps they touch); a course's prerequisites that the
person has not completed come before it, even when they close no gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...courses.models import Course, CourseVersion, Enrolment
from ...courses.services.learning import published_modules
from .profile import Gap


@dataclass
class PathModule:
    title: str
    key: str
    closes: dict[str, int]  # code -> levels of the gap it closes


@dataclass
class PathCourse:
    slug: str
    title: str
    prerequisites: list[str]
    modules: list[PathModule] = field(default_factory=list)
    closes: dict[str, int] = field(default_factory=dict)  # code -> levels closed by the course as a whole
    prerequisite_only: bool = False
    enrolled: bool = False

    @property
    def impact(self) -> int:
        return sum(self.closes.values())


@dataclass
class DevelopmentPath:
    courses: list[PathCourse]
    by_gap: dict[str, list[tuple[str, str, str]]]  # code -> [(course slug, course title, module title)]
    needs_assessment: set[str] = field(default_factory=set)  # gaps no module closes in full: ask a trainer


def development_path(session: Session, user_id: int, gap_list: list[Gap]) -> DevelopmentPath:
    gap_by_code = {g.code: g for g in gap_list if g.size > 0}
    completed = set(
        session.scalars(
            select(Course.slug)
            .join(Enrolment, Enrolment.course_id == Course.id)
            .where(Enrolment.user_id == user_id, Enrolment.completed_at.is_not(None))
        )
    )
    enrolled = set(
        session.scalars(select(Course.slug).join(Enrolment, Enrolment.course_id == Course.id).where(Enrolment.user_id == user_id))
    )
    courses: dict[str, PathCourse] = {}
    all_published: dict[str, CourseVersion] = {}
    titles: dict[str, str] = {}
    by_gap: dict[str, list[tuple[str, str, str]]] = {}
    reach: dict[str, int] = {}  # code -> the highest level a published module evidences
    for course, version, module in published_modules(session):
        for code, level in (module.competences or {}).items():
            reach[code] = max(reach.get(code, 0), int(level))
        all_published[course.slug] = version
        titles[course.slug] = version.title
        closes = {}
        for code, level in (module.competences or {}).items():
            gap = gap_by_code.get(code)
            if gap is not None and int(level) > gap.current:
                closes[code] = min(int(level), gap.required) - gap.current
        if not closes:
            continue
        entry = courses.setdefault(
            course.slug, PathCourse(course.slug, version.title, list(version.prerequisites or []), enrolled=course.slug in enrolled)
        )
        entry.modules.append(PathModule(module.title, module.key, closes))
        for code, size in closes.items():
            entry.closes[code] = max(entry.closes.get(code, 0), size)
            by_gap.setdefault(code, []).append((course.slug, version.title, module.title))

    ranked = sorted(courses.values(), key=lambda c: (-c.impact, -len(c.closes), c.slug))
    ordered: list[PathCourse] = []
    placed: set[str] = set()

    def place(slug: str, trail: frozenset[str]) -> None:
        if slug in placed or slug in trail:
            return
        entry = courses.get(slug)
        if entry is None:
            version = all_published.get(slug)
            if version is None or slug in completed:
                return
            entry = PathCourse(slug, titles[slug], list(version.prerequisites or []), prerequisite_only=True, enrolled=slug in enrolled)
        for prerequisite in entry.prerequisites:
            if prerequisite not in completed:
                place(prerequisite, trail | {slug})
        placed.add(slug)
        ordered.append(entry)

    for entry in ranked:
        place(entry.slug, frozenset())
    needs_assessment = {code for code, gap in gap_by_code.items() if reach.get(code, 0) < gap.required}
    return DevelopmentPath(ordered, by_gap, needs_assessment)
