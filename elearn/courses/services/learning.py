"""Enrolment, progress, quizzes and completion — always against the latest published version."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from flask import has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, Select, String, bindparam, event, func, literal, select, union_all, update
from sqlalchemy.orm import Session, selectinload

from ...core.caching import VersionCache
from ...core.db import insert_if_missing
from ...core.errors import DomainError
from ...core.timeutil import utcnow
from .. import signals
from ..models import (
    Course,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonProgress,
    Module,
    ModuleCompletion,
    Question,
    QuizAttempt,
)
from .quiz_rules import check_attempt, quiz_gate


class NotEnrolled(DomainError):
    def __init__(self) -> None:
        super().__init__(_l("Enrol in the course to study its lessons."))


class PrerequisitesMissing(DomainError):
    """Names the courses to complete first; .missing keeps them for the caller."""

    def __init__(self, missing: list[Course]):
        self.missing = missing
        names = ", ".join(f"„{c.title}”" for c in missing)
        super().__init__(_l("You cannot enrol yet: first complete %(courses)s.", courses=names))


def published_versions(*also) -> Select:
    """SELECT Course, CourseVersion (and `also`) joined on each course's latest published version.

    The one spelling of "published" for every domain; callers add their joins, filters and order.
    """
    latest = (CourseVersion.course_id == Course.id) & (CourseVersion.number == Course.published_number)
    return select(Course, CourseVersion, *also).join(CourseVersion, latest)


def published_version(session: Session, course_id: int, number: int | None = None) -> CourseVersion | None:
    """The given version of a course, or its latest published version when number is None."""
    if number is None:
        number = session.scalar(select(Course.published_number).where(Course.id == course_id))
    if not number:
        return None
    return session.scalar(select(CourseVersion).where(CourseVersion.course_id == course_id, CourseVersion.number == number))


def published_modules(session: Session, course_ids: list[int] | None = None) -> list[tuple[Course, CourseVersion, Module]]:
    """Modules of the latest published version of every course (or of the given courses), by course slug and position."""
    stmt = published_versions(Module).join(Module, Module.version_id == CourseVersion.id).order_by(Course.slug, Module.position)
    if course_ids is not None:
        stmt = stmt.where(Course.id.in_(course_ids))
    return [(course, version, module) for course, version, module in session.execute(stmt)]


# --- the person-independent facts of published modules, cached per process ---------------------------------------


@dataclass(frozen=True)
class PublishedModuleFacts:
    """What the next-step providers need of a module of a course's latest published version. Read-only: the JSON
    columns are frozen (mappings, tuples) because one copy is shared by every request of the process."""

    course_id: int
    course_slug: str
    version_title: str
    key: str
    title: str
    competences: Mapping[str, int]
    assignments: tuple[Mapping[str, Any], ...]


_MODULE_FACTS: VersionCache[tuple[tuple, ...]] = VersionCache(256)  # as many versions as the outlines below
_MODULE_FACTS_MEMO = "courses.published_module_facts"


def _frozen(value):
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def published_module_facts(session: Session) -> tuple[PublishedModuleFacts, ...]:
    """Every module of every course's latest published version, by course slug and position.

    One small query names the published versions (the courses' slugs with them); their modules' titles, competences
    and assignments are read once per process and version (keyed by id, content hash and publication time, as
    outlines are: a published version never changes, a new one has a new key). Within a request the result is kept
    on the session until it writes or its transaction ends, so the dashboard's and profile's panels read it once.
    """
    memo = session.info.get(_MODULE_FACTS_MEMO) if has_request_context() else None
    if memo is not None:
        return memo
    latest = (CourseVersion.course_id == Course.id) & (CourseVersion.number == Course.published_number)
    versions = session.execute(
        select(Course.id, Course.slug, CourseVersion.id, CourseVersion.title, CourseVersion.content_hash, CourseVersion.published_at)
        .join(CourseVersion, latest)
        .order_by(Course.slug)
    ).all()
    keys = {row[2]: (row[2], row[4], row[5]) for row in versions}
    found = {version_id: _MODULE_FACTS.get(key) for version_id, key in keys.items()}
    missing = [version_id for version_id, modules in found.items() if modules is None]
    if missing:
        loaded: dict[int, list[tuple]] = {version_id: [] for version_id in missing}
        for version_id, *values in session.execute(
            select(Module.version_id, Module.key, Module.title, Module.competences, Module.assignments)
            .where(Module.version_id.in_(missing))
            .order_by(Module.version_id, Module.position)
        ):
            key, title, competences, assignments = values
            loaded[version_id].append((key, title, _frozen(dict(competences or {})), _frozen(list(assignments or []))))
        for version_id, modules in loaded.items():
            found[version_id] = _MODULE_FACTS.put(keys[version_id], tuple(modules))
    facts = tuple(
        PublishedModuleFacts(course_id, slug, version_title, *module)
        for course_id, slug, version_id, version_title, _hash, _at in versions
        for module in found[version_id]
    )
    if has_request_context():
        session.info[_MODULE_FACTS_MEMO] = facts
    return facts


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_module_facts(session: Session, *_args) -> None:
    session.info.pop(_MODULE_FACTS_MEMO, None)


def published_course(session: Session, slug: str) -> tuple[Course, CourseVersion] | None:
    """The course and its latest published version, or None for unknown slugs and never-published drafts."""
    row = session.execute(published_versions().where(Course.slug == slug)).first()
    return (row[0], row[1]) if row else None


def course_titles(session: Session, slugs: set[str]) -> dict[str, str]:
    """Titles of the named published courses as last published, for naming links to them."""
    if not slugs:
        return {}
    return {course.slug: version.title for course, version in session.execute(published_versions().where(Course.slug.in_(slugs)))}


def version_modules(session: Session, version: CourseVersion, *, with_quiz: bool = False) -> list[Module]:
    """The version's modules with their lesson outlines; question texts and options only when a quiz is shown.

    The lesson player calls this on every page, so it loads no lesson bodies and no quiz content.
    """
    questions = selectinload(Module.questions)
    questions = questions.selectinload(Question.options) if with_quiz else questions.load_only(Question.id, Question.module_id)
    return list(
        session.scalars(
            select(Module)
            .where(Module.version_id == version.id)
            .order_by(Module.position)
            .options(selectinload(Module.lessons).load_only(Lesson.id, Lesson.key, Lesson.title, Lesson.position, Lesson.module_id))
            .options(questions)
        )
    )


def module_quiz(session: Session, version: CourseVersion, key: str) -> Module | None:
    """One module of the version with its quiz (questions and options) and lesson outline, for the quiz page."""
    return session.scalar(
        select(Module)
        .where(Module.version_id == version.id, Module.key == key)
        .options(selectinload(Module.lessons).load_only(Lesson.id, Lesson.key, Lesson.title, Lesson.position, Lesson.module_id))
        .options(selectinload(Module.questions).selectinload(Question.options))
    )


@dataclass(frozen=True)
class LessonOutline:
    id: int
    key: str
    title: str
    position: int


@dataclass(frozen=True)
class ModuleOutline:
    """What pages need of a published module's structure; `questions` holds question ids (truthy when quizzed)."""

    id: int
    key: str
    title: str
    position: int
    hours: int
    quiz_pass: int
    lessons: tuple[LessonOutline, ...]
    questions: tuple[int, ...]
    competences: tuple[str, ...] = ()  # codes the module evidences (pages offer "read more" on them)

    @property
    def has_quiz(self) -> bool:
        return bool(self.questions)


OUTLINE_CACHE_SIZE = 256
_OUTLINES: VersionCache[tuple[ModuleOutline, ...]] = VersionCache(OUTLINE_CACHE_SIZE)


def version_outline(session: Session, version: CourseVersion) -> tuple[ModuleOutline, ...]:
    """The modules and lessons of a published version, cached per process: a published version never changes.

    Keyed by id, content hash and publication time, so a database whose ids are reused (a rolled-back or deleted
    version) can never be served another version's outline. Bounded LRU of OUTLINE_CACHE_SIZE versions.
    """
    cache_key = (version.id, version.content_hash, version.published_at)
    return _OUTLINES.get_or_load(cache_key, lambda: _load_outline(session, version.id))


def _load_outline(session: Session, version_id: int) -> tuple[ModuleOutline, ...]:
    modules = session.execute(
        select(Module.id, Module.key, Module.title, Module.position, Module.hours, Module.quiz_pass, Module.competences)
        .where(Module.version_id == version_id)
        .order_by(Module.position)
    ).all()
    lessons: dict[int, list[LessonOutline]] = {}
    for module_id, *values in session.execute(
        select(Lesson.module_id, Lesson.id, Lesson.key, Lesson.title, Lesson.position)
        .where(Lesson.version_id == version_id)
        .order_by(Lesson.module_id, Lesson.position)
    ):
        lessons.setdefault(module_id, []).append(LessonOutline(*values))
    questions: dict[int, list[int]] = {}
    module_ids = [row.id for row in modules]
    if module_ids:
        for module_id, question_id in session.execute(
            select(Question.module_id, Question.id).where(Question.module_id.in_(module_ids)).order_by(Question.position)
        ):
            questions.setdefault(module_id, []).append(question_id)
    return tuple(
        ModuleOutline(
            *row[:6],
            lessons=tuple(lessons.get(row.id, ())),
            questions=tuple(questions.get(row.id, ())),
            competences=tuple(sorted(row.competences or {})),
        )
        for row in modules
    )


# The learner's hot pages run the statements below on every GET. Each is built once per process with named bind
# parameters: building a statement (and its cache key) cost SQLAlchemy more than running it on an indexed table.


@functools.cache
def _lesson_page_statement():
    lesson_join = (Lesson.version_id == CourseVersion.id) & (Lesson.key == bindparam("key"))
    return published_versions(Lesson).outerjoin(Lesson, lesson_join).where(Course.slug == bindparam("slug"))


def published_lesson_page(session: Session, slug: str, key: str) -> tuple[Course, CourseVersion, Lesson | None] | None:
    """The course, its latest published version and that version's lesson `key` (None if absent), in one query."""
    row = session.execute(_lesson_page_statement(), {"slug": slug, "key": key}).first()
    return (row[0], row[1], row[2]) if row else None


def published_lesson(session: Session, version: CourseVersion, key: str) -> Lesson | None:
    return session.scalar(select(Lesson).where(Lesson.version_id == version.id, Lesson.key == key))


def lesson_neighbours(modules: list[Module], key: str) -> tuple[Module, tuple | None, tuple | None]:
    """The lesson's module and the (module, lesson) pairs before and after it in reading order."""
    sequence = [(module, lesson) for module in modules for lesson in module.lessons]
    index = next(i for i, (_module, lesson) in enumerate(sequence) if lesson.key == key)
    previous = sequence[index - 1] if index > 0 else None
    following = sequence[index + 1] if index + 1 < len(sequence) else None
    return sequence[index][0], previous, following


@functools.cache
def _enrolment_statement():
    return select(Enrolment).where(Enrolment.user_id == bindparam("user_id"), Enrolment.course_id == bindparam("course_id"))


def get_enrolment(session: Session, user_id: int, course_id: int) -> Enrolment | None:
    return session.scalar(_enrolment_statement(), {"user_id": user_id, "course_id": course_id})


def completed_course_ids(session: Session, user_id: int) -> set[int]:
    return set(session.scalars(select(Enrolment.course_id).where(Enrolment.user_id == user_id, Enrolment.completed_at.is_not(None))))


def missing_prerequisites(session: Session, user_id: int, version: CourseVersion) -> list[Course]:
    if not version.prerequisites:
        return []
    done = completed_course_ids(session, user_id)
    courses = session.scalars(select(Course).where(Course.slug.in_(version.prerequisites))).all()
    by_slug = {c.slug: c for c in courses}
    return [by_slug[s] for s in version.prerequisites if s in by_slug and by_slug[s].id not in done]


def enrol(session: Session, user_id: int, course: Course, version: CourseVersion) -> Enrolment:
    """Enrol once; refused with PrerequisitesMissing naming the courses to complete first."""
    existing = get_enrolment(session, user_id, course.id)
    if existing is not None:
        return existing
    missing = missing_prerequisites(session, user_id, version)
    if missing:
        raise PrerequisitesMissing(missing)
    # a double click (or a second tab) enrolling at the same moment waits for the first and then inserts nothing
    insert_if_missing(session, Enrolment, user_id=user_id, course_id=course.id, enrolled_at=utcnow())
    return get_enrolment(session, user_id, course.id)


def done_keys(session: Session, user_id: int, course_id: int) -> set[str]:
    return set(
        session.scalars(select(LessonProgress.lesson_key).where(LessonProgress.user_id == user_id, LessonProgress.course_id == course_id))
    )


def passed_quiz_scores(session: Session, user_id: int, course_id: int) -> dict[str, int]:
    """Best passed score per module key."""
    best: dict[str, int] = {}
    rows = session.execute(
        select(QuizAttempt.module_key, QuizAttempt.score).where(
            QuizAttempt.user_id == user_id, QuizAttempt.course_id == course_id, QuizAttempt.passed.is_(True)
        )
    )
    for key, score in rows:
        best[key] = max(best.get(key, 0), score)
    return best


def mark_lesson_done(session: Session, user_id: int, course: Course, version: CourseVersion, lesson_key: str) -> None:
    if get_enrolment(session, user_id, course.id) is None:
        raise NotEnrolled()
    # The same person in two tabs may mark the lesson at the same moment: the second insert waits for the first and
    # then inserts nothing (tests/courses/test_concurrent_progress.py).
    insert_if_missing(session, LessonProgress, user_id=user_id, course_id=course.id, lesson_key=lesson_key, done_at=utcnow())
    update_completion(session, user_id, course, version)


@dataclass
class QuestionResult:
    question: Question
    chosen: list[int]
    correct: bool


@dataclass
class QuizResult:
    score: int
    points: int
    total: int
    passed: bool
    results: list[QuestionResult] = field(default_factory=list)
    attempt: QuizAttempt | None = None


def score_quiz(module: Module, answers: dict[int, list[int]]) -> QuizResult:
    """One point per question, all or nothing: the chosen options must be exactly the correct ones."""
    results = []
    for question in module.questions:
        chosen = sorted(set(answers.get(question.position, [])))  # two picks on a single-choice question never match
        correct = sorted(o.position for o in question.options if o.correct)
        results.append(QuestionResult(question=question, chosen=chosen, correct=chosen == correct))
    total = len(results)
    points = sum(r.correct for r in results)
    score = round(100 * points / total) if total else 100
    passed = total == 0 or points * 100 >= module.quiz_pass * total
    return QuizResult(score=score, points=points, total=total, passed=passed, results=results)


def submit_quiz(
    session: Session, user_id: int, course: Course, version: CourseVersion, module: Module, answers: dict[int, list[int]]
) -> QuizResult:
    if get_enrolment(session, user_id, course.id) is None:
        raise NotEnrolled()
    check_attempt(quiz_gate(session, user_id, version, module.key), answers)
    result = score_quiz(module, answers)
    attempt = QuizAttempt(
        user_id=user_id,
        course_id=course.id,
        module_key=module.key,
        version_number=version.number,
        answers={str(k): v for k, v in sorted(answers.items())},
        score=result.score,
        passed=result.passed,
        at=utcnow(),
    )
    session.add(attempt)
    session.flush()
    result.attempt = attempt
    update_completion(session, user_id, course, version)
    return result


def attempts(session: Session, user_id: int, course_id: int, module_key: str) -> list[QuizAttempt]:
    return list(
        session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.user_id == user_id, QuizAttempt.course_id == course_id, QuizAttempt.module_key == module_key)
            .order_by(QuizAttempt.at.desc(), QuizAttempt.id.desc())
        )
    )


def update_completion(session: Session, user_id: int, course: Course, version: CourseVersion) -> None:
    """Record newly completed modules and the course; completions are events and are never taken back."""
    enrolment = get_enrolment(session, user_id, course.id)
    if enrolment is None:
        return
    modules = version_outline(session, version)  # cached: a published version's structure never changes
    done = done_keys(session, user_id, course.id)
    passed = passed_quiz_scores(session, user_id, course.id)
    completed = set(
        session.scalars(
            select(ModuleCompletion.module_key).where(ModuleCompletion.user_id == user_id, ModuleCompletion.course_id == course.id)
        )
    )
    now = utcnow()
    # Two requests of one person (two tabs) may complete the same module or course at once. Each completion is
    # claimed by one statement that only the first can win; only the winner records it and sends the signal, so the
    # evidence, notifications and certificates that follow happen once.
    for module in modules:
        if module.key in completed:
            continue
        lessons_done = all(lesson.key in done for lesson in module.lessons)
        quiz_ok = not module.questions or module.key in passed
        if lessons_done and quiz_ok:
            score = passed.get(module.key) if module.questions else None
            completed.add(module.key)
            won = insert_if_missing(
                session, ModuleCompletion, user_id=user_id, course_id=course.id, module_key=module.key,
                version_number=version.number, completed_at=now, quiz_score=score,
            )  # fmt: skip
            if won:  # the receivers read the module's declared competences and its course: the stored module
                stored = session.get(Module, module.id)
                signals.module_completed.send(stored, session=session, user_id=user_id, completed_at=now, quiz_score=score)
    if enrolment.completed_at is None and modules and all(m.key in completed for m in modules):
        claimed = session.execute(
            update(Enrolment)
            .where(Enrolment.id == enrolment.id, Enrolment.completed_at.is_(None))
            .values(completed_at=now, completed_version=version.number)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.refresh(enrolment, ["completed_at", "completed_version"])
        if claimed:
            signals.course_completed.send(course, session=session, user_id=user_id, completed_at=now, enrolment=enrolment)


def recompute_after_publish(session: Session, course: Course, version: CourseVersion) -> None:
    """A removed lesson no longer counts: learners who had done everything else now complete."""
    user_ids = session.scalars(select(Enrolment.user_id).where(Enrolment.course_id == course.id, Enrolment.completed_at.is_(None))).all()
    for user_id in user_ids:
        update_completion(session, user_id, course, version)


# --- progress for pages ----------------------------------------------------------------------------------------


@dataclass
class ModuleProgress:
    module: Module | ModuleOutline
    lessons_done: int
    lessons_total: int
    quiz_passed: bool
    completed: bool

    @property
    def percent(self) -> int:
        units = self.lessons_total + (1 if self.module.questions else 0)
        if not units:
            return 100 if self.completed else 0
        done = self.lessons_done + (1 if self.module.questions and self.quiz_passed else 0)
        return 100 if self.completed else round(100 * done / units)


@dataclass
class CourseProgress:
    modules: list[ModuleProgress]
    done: set[str]
    next_lesson: Lesson | LessonOutline | None
    completed_at: datetime | None

    @property
    def percent(self) -> int:
        if self.completed_at is not None:
            return 100
        units = sum(m.lessons_total + (1 if m.module.questions else 0) for m in self.modules)
        done = sum(m.lessons_done + (1 if m.module.questions and m.quiz_passed else 0) for m in self.modules)
        return round(100 * done / units) if units else 0


@functools.cache
def _progress_statement():
    user_id, course_id = bindparam("user_id"), bindparam("course_id")
    score = literal(None, Integer)
    done = select(literal("lesson", String).label("kind"), LessonProgress.lesson_key.label("key"), score.label("score")).where(
        LessonProgress.user_id == user_id, LessonProgress.course_id == course_id
    )
    quiz = (
        select(literal("quiz", String), QuizAttempt.module_key, func.max(QuizAttempt.score))
        .where(QuizAttempt.user_id == user_id, QuizAttempt.course_id == course_id, QuizAttempt.passed.is_(True))
        .group_by(QuizAttempt.module_key)
    )
    completed = select(literal("module", String), ModuleCompletion.module_key, score).where(
        ModuleCompletion.user_id == user_id, ModuleCompletion.course_id == course_id
    )
    return union_all(done, quiz, completed)


def progress_facts(session: Session, user_id: int, course_id: int) -> tuple[set[str], dict[str, int], set[str]]:
    """Done lesson keys, best passed quiz score per module and completed module keys: one query, not three."""
    lessons: set[str] = set()
    passed: dict[str, int] = {}
    modules: set[str] = set()
    for kind, key, best in session.execute(_progress_statement(), {"user_id": user_id, "course_id": course_id}):
        if kind == "lesson":
            lessons.add(key)
        elif kind == "quiz":
            passed[key] = best
        else:
            modules.add(key)
    return lessons, passed, modules


def course_progress(
    session: Session,
    user_id: int,
    course: Course,
    version: CourseVersion,
    modules: list[Module] | tuple[ModuleOutline, ...] | None = None,
    enrolment: Enrolment | None = None,
) -> CourseProgress:
    modules = modules if modules is not None else version_outline(session, version)
    done, passed, completed = progress_facts(session, user_id, course.id)
    enrolment = enrolment or get_enrolment(session, user_id, course.id)
    rows = []
    next_lesson = None
    for module in modules:
        total = len(module.lessons)
        count = sum(1 for lesson in module.lessons if lesson.key in done)
        rows.append(ModuleProgress(module, count, total, module.key in passed, module.key in completed))
        if next_lesson is None:
            next_lesson = next((lesson for lesson in module.lessons if lesson.key not in done), None)
    return CourseProgress(rows, done, next_lesson, enrolment.completed_at if enrolment else None)


def courses_in_progress(session: Session, user_id: int) -> list[tuple[Course, CourseVersion, CourseProgress]]:
    rows = session.execute(
        published_versions(Enrolment)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.user_id == user_id, Enrolment.completed_at.is_(None))
        .order_by(Enrolment.enrolled_at.desc())
    ).all()
    return [
        (course, version, course_progress(session, user_id, course, version, enrolment=enrolment)) for course, version, enrolment in rows
    ]
