"""Course folders <-> database: `flask courses sync` and `flask courses export`.

sync_courses validates everything first (format, prerequisites, competence codes) and writes only when there is
nothing wrong, in the caller's single transaction; run twice, the second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.audit import audit
from ...core.errors import DomainError
from ..models import SOURCE_BROWSER, SOURCE_FILE, Course
from . import content, learning, uploads
from . import format as fmt


class SyncError(DomainError):
    """Nothing was written; the messages are `path:line: message` lines (plain English, quoted from the files)."""


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _check_cross_references(session: Session, courses: list[fmt.Course]) -> list[str]:
    errors: list[str] = []
    known = {c.slug for c in courses} | set(session.scalars(select(Course.slug)))
    graph = {c.slug: list(c.prerequisites) for c in courses}
    for row in session.execute(select(Course.slug, Course.prerequisites)):
        graph.setdefault(row[0], list(row[1] or []))
    for course in courses:
        errors += [f"{media.shown}:1: {refusal.english()}" for media, refusal in uploads.media_problems(course)]
        line = course.key_lines.get("prerequisites", 1)
        for slug in course.prerequisites:
            if slug not in known:
                errors.append(f"{course.path}:{line}: prerequisite {slug!r} is not a known course")
        if _reaches(graph, course.slug, course.slug):
            errors.append(f"{course.path}:{line}: prerequisites form a cycle through {course.slug!r}")
        existing = session.scalar(select(Course).where(Course.slug == course.slug))
        if (
            existing is not None
            and existing.source == SOURCE_BROWSER
            and content.content_hash(content.draft_to_format(session, existing)) != content.content_hash(course)
        ):
            # Never overwrite a trainer's browser work from files; an unchanged export of it syncs as "unchanged".
            errors.append(
                f"{course.path}:{course.key_lines.get('slug', 1)}: slug {course.slug!r} belongs to a course edited in the "
                "browser and these files differ from it; choose another slug"
            )
        codes = set().union(*(content.module_codes(m) for m in course.modules))
        rejected = content.rejected_competences(session, course.slug, codes)
        for module in course.modules:
            places = [(code, module.competence_lines.get(code, 1)) for code in module.competences]
            places += [(code, a.competence_lines.get(code, a.line)) for a in module.assignments for code in a.competences]
            for code, line in places:
                if code in rejected:
                    errors.append(f"{module.path}:{line}: {code}: {rejected[code]}")
    return errors


def _reaches(graph: dict[str, list[str]], start: str, target: str) -> bool:
    seen: set[str] = set()
    stack = list(graph.get(start, []))
    while stack:
        slug = stack.pop()
        if slug == target:
            return True
        if slug not in seen:
            seen.add(slug)
            stack.extend(graph.get(slug, []))
    return False


def sync_courses(session: Session, root: Path | str, *, actor_id: int | None = None) -> SyncReport:
    """Import or update every course under root (or the single course folder root); the caller commits."""
    try:
        parsed = fmt.parse_course_tree(Path(root))
    except fmt.FormatError as exc:
        raise SyncError(*exc.errors) from None
    errors = _check_cross_references(session, parsed)
    if errors:
        raise SyncError(*errors)
    report = SyncReport()
    # Prerequisites first, so a course is never published before the courses it names.
    for course_data in _dependency_order(parsed):
        digest = content.content_hash(course_data)
        course = session.scalar(select(Course).where(Course.slug == course_data.slug))
        if course is None:
            course = Course(slug=course_data.slug, title=course_data.title, role=course_data.role, source=SOURCE_FILE)
            session.add(course)
            session.flush()
            content.apply_format(session, course, course_data)
            uploads.sync_media(session, course, course_data.media, actor_id=actor_id)
            content.publish(session, course, actor_id=actor_id, validate=False)
            audit(session, "courses.sync.create", actor_id=actor_id, target=course)
            report.created.append(course.slug)
            continue
        latest = learning.published_version(session, course.id, course.published_number)
        draft_same = content.content_hash(content.draft_to_format(session, course)) == digest
        if draft_same and latest is not None and latest.content_hash == digest:
            report.unchanged.append(course.slug)
            continue
        if not draft_same:
            content.apply_format(session, course, course_data)
            uploads.sync_media(session, course, course_data.media, actor_id=actor_id)
        content.publish(session, course, actor_id=actor_id, validate=False)
        audit(session, "courses.sync.update", actor_id=actor_id, target=course)
        report.updated.append(course.slug)
    session.flush()
    return report


def _dependency_order(courses: list[fmt.Course]) -> list[fmt.Course]:
    by_slug = {c.slug: c for c in courses}
    ordered: list[fmt.Course] = []
    seen: set[str] = set()

    def visit(course: fmt.Course) -> None:
        if course.slug in seen:
            return
        seen.add(course.slug)
        for slug in course.prerequisites:
            if slug in by_slug:
                visit(by_slug[slug])
        ordered.append(course)

    for course in sorted(courses, key=lambda c: c.slug):
        visit(course)
    return ordered


def export_course(session: Session, slug: str, directory: Path | str, *, published: bool = False) -> list[Path]:
    """Write the course (its draft, or its latest published version) as course.yml + NN-key.md files + media/."""
    course = session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        raise LookupError(slug)
    if published:
        version = learning.published_version(session, course.id, course.published_number)
        if version is None:
            raise LookupError(slug)
        data = content.version_to_format(version)
    else:
        data = content.draft_to_format(session, course)
    target = Path(directory)
    if target.name != slug:
        target = target / slug
    return fmt.write_course_dir(data, target, uploads.media_files(session, course.id))
