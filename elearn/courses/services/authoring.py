"""Editing drafts in the browser. Only courses authored in the browser are edited here; file courses change
through their files (otherwise the next sync would overwrite the trainer's work)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ...core.audit import audit
from ...core.errors import DomainError
from .. import signals
from ..models import SOURCE_BROWSER, Course, Lesson, Module
from . import content
from . import format as fmt


class EditConflict(DomainError):
    """Someone saved the lesson after this editor opened it; carries their version so nothing is lost."""

    def __init__(self, lesson: Lesson):
        self.title, self.source, self.row_version = lesson.title, lesson.source, lesson.row_version
        super().__init__(_l("Someone else saved this lesson while you were editing it"))


def slug_taken(session: Session, slug: str) -> bool:
    return session.scalar(select(Course.id).where(Course.slug == slug)) is not None


def free_slug(session: Session, title: str) -> str:
    """The address a new course gets from its title: Polish letters transliterated, unique ('-2', '-3' …)."""
    base = content.slugify(title)
    if base == "lekcja":  # slugify's fallback: a title without letters or digits
        base = "kurs"
    taken = set(session.scalars(select(Course.slug).where(Course.slug.startswith(base))))
    return content.unique_key(base, taken)


def prerequisite_choices(session: Session, course: Course | None) -> list[tuple[str, str]]:
    """(slug, title) of every other course, by title: what a course may require to be completed first."""
    query = select(Course.slug, Course.title)
    if course is not None:
        query = query.where(Course.id != course.id)
    return sorted(((slug, title) for slug, title in session.execute(query)), key=lambda row: row[1].casefold())


@dataclass
class CompetenceGroup:
    code: str
    name: str
    competences: list[tuple[str, str]]  # (code, name)


def competence_groups(session: Session, role: str, chosen) -> list[CompetenceGroup]:
    """The framework's competences a module of a course in this role may name, grouped by area: the role's own areas
    and the common core, plus any area of a code already chosen. A chosen code the framework no longer has is kept
    in a group of its own, so saving the form never drops it silently (publishing then reports it)."""
    chosen = set(chosen or ())
    catalogue = [c for _receiver, found in signals.competence_catalogue.send(None, session=session) for c in found or []]
    groups: dict[str, CompetenceGroup] = {}
    for item in catalogue:
        if item.role in (role, "wspolne") or item.code in chosen:
            groups.setdefault(item.area_code, CompetenceGroup(item.area_code, item.area_name, [])).competences.append(
                (item.code, item.name)
            )
    unknown = sorted(chosen - {c.code for c in catalogue})
    result = sorted(groups.values(), key=lambda g: (not g.code.startswith("WSP"), g.code))
    if unknown:
        result.append(CompetenceGroup("", str(_l("Not in the competency framework")), [(code, code) for code in unknown]))
    return result


def create_course(session: Session, *, user_id: int, slug: str, title: str, summary: str, role: str, hours: int,
                  authors: list[str], prerequisites: list[str], outcomes: dict, quiz_attempts: int | None = None,
                  quiz_wait_minutes: int | None = None) -> Course:  # fmt: skip
    course = Course(
        slug=slug, title=title, summary=summary, role=role, hours=hours, authors=authors, prerequisites=prerequisites,
        outcomes=outcomes, quiz_attempts=quiz_attempts, quiz_wait_minutes=quiz_wait_minutes, source=SOURCE_BROWSER,
        created_by_id=user_id,
    )  # fmt: skip
    session.add(course)
    session.flush()
    audit(session, "courses.create", actor_id=user_id, target=course, slug=slug)
    return course


def update_course(session: Session, course: Course, *, user_id: int, **values) -> None:
    for name, value in values.items():
        setattr(course, name, value)
    session.flush()
    audit(session, "courses.update", actor_id=user_id, target=course)


def add_module(session: Session, course: Course, *, user_id: int, title: str, hours: int, quiz_pass: int = 70) -> Module:
    taken = {m.key for m in content.draft_modules(session, course)}
    key = content.unique_key(content.slugify(title), taken)
    position = (session.scalar(
        select(func.max(Module.position)).where(Module.course_id == course.id, Module.version_id.is_(None))
    ) or 0) + 1  # fmt: skip
    module = Module(course_id=course.id, version_id=None, key=key, position=position, title=title, hours=hours, quiz_pass=quiz_pass)
    session.add(module)
    session.flush()
    audit(session, "courses.module.add", actor_id=user_id, target=module, course=course.slug)
    return module


def update_module(session: Session, module: Module, *, user_id: int, title: str, hours: int, quiz_pass: int,
                  competences: dict[str, int], outcomes: dict, intro: str,
                  questions: list[fmt.Question] | None = None) -> None:  # fmt: skip
    module.title, module.hours, module.quiz_pass = title, hours, quiz_pass
    module.competences, module.outcomes = competences, outcomes
    if module.intro != intro:
        module.intro = intro
        content.render_intro(module)
    if questions is not None:
        content.set_questions(session, module, questions)
    session.flush()
    audit(session, "courses.module.update", actor_id=user_id, target=module)


def save_quiz(session: Session, module: Module, questions: list[fmt.Question], *, user_id: int) -> None:
    """Replace the draft module's quiz (checked questions: from the quiz builder or its text view)."""
    content.set_questions(session, module, questions)
    session.flush()
    audit(session, "courses.quiz.save", actor_id=user_id, target=module, questions=len(questions))


def save_assignment(session: Session, module: Module, assignment: fmt.Assignment, *, user_id: int, key: str | None) -> str:
    """Add (key None: a new key from the title) or replace a practical assignment of a draft module; returns its key."""
    rows = list(module.assignments or [])
    if key is None:
        key = content.unique_key(content.slugify(assignment.title), {row["key"] for row in rows})
        assignment.key = key
        rows.append(content.assignment_rows([assignment])[0])
    else:
        assignment.key = key
        rows = [content.assignment_rows([assignment])[0] if row["key"] == key else row for row in rows]
    module.assignments = rows  # a new list: the JSON column sees the change
    session.flush()
    audit(session, "courses.assignment.save", actor_id=user_id, target=module, assignment=key)
    return key


def delete_assignment(session: Session, module: Module, key: str, *, user_id: int) -> None:
    module.assignments = [row for row in module.assignments or [] if row["key"] != key]
    session.flush()
    audit(session, "courses.assignment.delete", actor_id=user_id, target=module, assignment=key)


def move_module(session: Session, course: Course, module: Module, direction: int) -> None:
    modules = content.draft_modules(session, course)
    index = modules.index(module)
    other = index + direction
    if 0 <= other < len(modules):
        modules[index], modules[other] = modules[other], modules[index]
    for position, row in enumerate(modules, start=1):
        row.position = position
    session.flush()


def delete_module(session: Session, course: Course, module: Module, *, user_id: int) -> None:
    audit(session, "courses.module.delete", actor_id=user_id, target=module, key=module.key)
    session.delete(module)
    session.flush()
    for position, row in enumerate(content.draft_modules(session, course), start=1):
        row.position = position
    session.flush()


def add_lesson(session: Session, course: Course, module: Module, *, user_id: int, title: str, source: str) -> Lesson:
    key = content.unique_key(content.slugify(title), content.all_lesson_keys(session, course))
    lesson = Lesson(course_id=course.id, version_id=None, key=key, title=title, source=source, position=len(module.lessons) + 1)
    module.lessons.append(lesson)
    content.ensure_rendered(lesson)
    session.flush()
    audit(session, "courses.lesson.add", actor_id=user_id, target=lesson, key=key)
    return lesson


def save_lesson(session: Session, lesson: Lesson, *, user_id: int, title: str, source: str, expected_version: int) -> None:
    """Save only if nobody saved since the editor loaded `expected_version`; otherwise EditConflict."""
    if lesson.row_version != expected_version:
        raise EditConflict(lesson)
    lesson.title, lesson.source = title, source
    content.ensure_rendered(lesson)
    try:
        session.flush()
    except StaleDataError:  # another transaction saved between our read and our write
        session.rollback()
        session.refresh(lesson)
        raise EditConflict(lesson) from None
    audit(session, "courses.lesson.update", actor_id=user_id, target=lesson, version=lesson.row_version)


def delete_lesson(session: Session, module: Module, lesson: Lesson, *, user_id: int) -> None:
    audit(session, "courses.lesson.delete", actor_id=user_id, target=lesson, key=lesson.key)
    module.lessons.remove(lesson)
    session.flush()
    for position, row in enumerate(module.lessons, start=1):
        row.position = position
    session.flush()


@dataclass
class DraftStatus:
    course: Course
    modules: int
    unpublished_changes: bool


def courses_for_authoring(session: Session, *, user_id: int | None = None) -> list[DraftStatus]:
    stmt = select(Course).order_by(Course.title)
    if user_id is not None:
        stmt = stmt.where(Course.created_by_id == user_id)
    result = []
    for course in session.scalars(stmt):
        count = session.scalar(select(func.count(Module.id)).where(Module.course_id == course.id, Module.version_id.is_(None)))
        result.append(DraftStatus(course, count or 0, content.has_unpublished_changes(session, course)))
    return result
