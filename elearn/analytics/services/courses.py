"""Course analytics for the trainers who look after a course: enrolments and completion, the completion funnel per
module, median time to complete, assignment pass rates and quiz item analysis.

Every count of people is suppressed under 5 ("< 5"), and a share is shown only when the group it is taken over has
5 people or more, so a trainer cannot read one learner's answers out of a small group. Quiz item analysis uses the
attempts made on the course's latest published version (its questions and options are the ones shown); each
attempt counts, as a learner's retries are answers too.

Who may see it: admins every course; a trainer the courses they look after (competencies' trainer_course_ids: the
browser courses they created and the shared file courses) — decided here, the view only asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...accounts.models import User
from ...competencies.services.access import trainer_course_ids
from ...core.roles import ADMIN
from ...courses.models import Course, CourseVersion, Enrolment, ModuleCompletion, QuizAttempt
from ...courses.services.learning import published_versions
from ...practice.models import DRAFT, PASSED, Submission
from .suppression import SUPPRESSED, THRESHOLD, show


def courses_for(session: Session, user: User) -> list[Course]:
    """Published courses the user may analyse, by title."""
    stmt = select(Course).where(Course.published_number > 0).order_by(Course.title)
    if not user.has_role(ADMIN):
        stmt = stmt.where(Course.id.in_(trainer_course_ids(user.id)))
    return list(session.scalars(stmt))


def course_for(session: Session, user: User, slug: str) -> tuple[Course, CourseVersion] | None:
    """The course and its latest published version, or None when unknown or not the user's (the caller answers 404)."""
    row = session.execute(published_versions().where(Course.slug == slug)).first()
    if row is None or row[0] not in courses_for(session, user):
        return None
    return row[0], row[1]


def share(part: int, whole: int) -> int | str | None:
    """Per cent of a group, or "< 5" when the group is too small to publish a share of; None for an empty group."""
    if whole == 0:
        return None
    return SUPPRESSED if whole < THRESHOLD else round(100 * part / whole)


@dataclass
class OptionStat:
    text: str
    correct: bool
    chosen: int | str | None  # per cent of attempts that picked it


@dataclass
class ItemStat:
    position: int
    text: str
    correct: int | str | None  # per cent of attempts answering exactly right
    options: list[OptionStat]


@dataclass
class AssignmentStat:
    title: str
    submitted: int | str
    passed: int | str | None  # per cent of submitted


@dataclass
class ModuleStat:
    position: int
    title: str
    completed: int | str
    attempts: int | str
    items: list[ItemStat] = field(default_factory=list)
    assignments: list[AssignmentStat] = field(default_factory=list)


@dataclass
class CourseReport:
    course: Course
    version: CourseVersion
    enrolled: int | str
    completed: int | str
    median_days: float | str | None
    modules: list[ModuleStat]


def _median_days(session: Session, course_id: int) -> float | str | None:
    rows = session.execute(
        select(Enrolment.enrolled_at, Enrolment.completed_at).where(Enrolment.course_id == course_id, Enrolment.completed_at.is_not(None))
    ).all()
    if not rows:
        return None
    if len(rows) < THRESHOLD:
        return SUPPRESSED
    return round(median((done - start).total_seconds() / 86400 for start, done in rows), 1)


def _items(module, attempts: list[dict]) -> list[ItemStat]:
    out = []
    for question in module.questions:
        right = sorted(o.position for o in question.options if o.correct)
        picks = [sorted(set(a.get(str(question.position), []))) for a in attempts]
        options = [OptionStat(o.text, o.correct, share(sum(o.position in p for p in picks), len(picks))) for o in question.options]
        out.append(ItemStat(question.position, question.text, share(sum(p == right for p in picks), len(picks)), options))
    return out


def _assignments(session: Session, course_id: int, module) -> list[AssignmentStat]:
    out = []
    for item in module.assignments or []:
        rows = session.execute(
            select(Submission.status).where(
                Submission.course_id == course_id,
                Submission.module_key == module.key,
                Submission.assignment_key == item["key"],
                Submission.status != DRAFT,
            )
        ).all()
        passed = sum(status == PASSED for (status,) in rows)
        out.append(AssignmentStat(item["title"], show(len(rows)), share(passed, len(rows))))
    return out


def report(session: Session, course: Course, version: CourseVersion) -> CourseReport:
    count = select(func.count(Enrolment.id)).where(Enrolment.course_id == course.id)
    enrolled = session.scalar(count) or 0
    completed = session.scalar(count.where(Enrolment.completed_at.is_not(None))) or 0
    modules = []
    for module in version.modules:
        done = session.scalar(
            select(func.count(func.distinct(ModuleCompletion.user_id))).where(
                ModuleCompletion.course_id == course.id, ModuleCompletion.module_key == module.key
            )
        )
        attempts = list(
            session.scalars(
                select(QuizAttempt.answers).where(
                    QuizAttempt.course_id == course.id,
                    QuizAttempt.module_key == module.key,
                    QuizAttempt.version_number == version.number,
                )
            )
        )
        modules.append(
            ModuleStat(
                module.position,
                module.title,
                show(done or 0),
                show(len(attempts)),
                _items(module, attempts),
                _assignments(session, course.id, module),
            )
        )
    return CourseReport(course, version, show(enrolled), show(completed), _median_days(session, course.id), modules)
