"""Views of many people at once: a coordinator's team matrix and a trainer's learners."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...accounts.models import User, UserRole
from ...core.collation import polish_sort_key
from ...core.roles import LEARNER
from ...courses.models import Course, Enrolment
from ...courses.services.learning import courses_in_progress, published_modules
from .access import trainer_course_ids
from .framework import framework_facts
from .levels import levels_for_users, meeting_profile
from .levels import meeting_each as levels_meeting_each


@dataclass
class MatrixRow:
    user: User
    levels: dict[str, int]


def team_members_query(institution_id: int):
    """Active learners employed by the institution (never anyone from another institution), by name."""
    return (
        select(User)
        .where(User.institution_id == institution_id, User.erased_at.is_(None), User.active.is_(True))
        .where(User.id.in_(select(UserRole.user_id).where(UserRole.role == LEARNER)))
        .order_by(User.full_name, User.id)
    )


def team_members(session: Session, institution_id: int) -> list[User]:
    return list(session.scalars(team_members_query(institution_id)))


def matrix_rows(session: Session, members: list[User]) -> list[MatrixRow]:
    """Each member's levels, in one query for all of them."""
    levels = levels_for_users(session, [m.id for m in members])
    return [MatrixRow(m, levels[m.id]) for m in members]


def team_matrix(session: Session, institution_id: int) -> list[MatrixRow]:
    return matrix_rows(session, team_members(session, institution_id))


def matrix_table(
    session: Session, rows: list[MatrixRow], codes: list[str], required: dict[str, int], facts: list[tuple[str, dict[int, str]]] = ()
) -> tuple[list[str], list[list]]:
    """The team as a header and rows for the spreadsheet export: the required level first, then how many meet each
    competence, then one row per worker with their courses, what higher domains add (certificates) and levels."""
    counts = course_counts(session, [row.user.id for row in rows])
    meeting = meeting_each(rows, required)
    fixed = ["Imię i nazwisko", "Stanowisko", "Kursy ukończone", "Kursy w toku", *[label for label, _v in facts], "Spełnione wymagania"]
    header = [*fixed, *codes]
    blank = [""] * (len(fixed) - 1)
    body: list[list] = [["Poziom wymagany", *blank, *[required.get(c, 0) for c in codes]]]
    body.append([f"Spełnia wymóg (z {len(rows)})", *blank, *[meeting.get(c, 0) for c in codes]])
    for row in rows:
        count = counts[row.user.id]
        person = [row.user.full_name, row.user.job_title or "", count.completed, count.in_progress]
        person += [values.get(row.user.id, "") for _label, values in facts]
        person.append(f"{met_count(row.levels, required)} z {len(required)}")
        body.append([*person, *[row.levels.get(c, 0) for c in codes]])
    return header, body


@dataclass
class CourseCounts:
    enrolled: int = 0
    completed: int = 0

    @property
    def in_progress(self) -> int:
        return self.enrolled - self.completed


def course_counts(session: Session, user_ids: list[int]) -> dict[int, CourseCounts]:
    """Courses each worker is enrolled in and has completed, in one query for the whole page."""
    counts = {uid: CourseCounts() for uid in user_ids}
    if not user_ids:
        return counts
    rows = session.execute(
        select(Enrolment.user_id, func.count(), func.count(Enrolment.completed_at))
        .where(Enrolment.user_id.in_(user_ids))
        .group_by(Enrolment.user_id)
    )
    for user_id, enrolled, completed in rows:
        counts[user_id] = CourseCounts(enrolled, completed)
    return counts


def met_count(levels: dict[str, int], required: dict[str, int]) -> int:
    """How many of the role's required competences a worker meets."""
    return sum(1 for code, level in required.items() if levels.get(code, 0) >= level)


def meeting_each(rows: list[MatrixRow], required: dict[str, int]) -> dict[str, int]:
    """The summary row of these rows (the export's): for each competence, how many of them meet the required level."""
    return {code: sum(1 for row in rows if row.levels.get(code, 0) >= level) for code, level in required.items()}


def _member_ids(institution_id: int):
    return team_members_query(institution_id).with_only_columns(User.id).order_by(None)


def team_meeting(session: Session, institution_id: int, required: dict[str, int]) -> dict[str, int]:
    """The summary row for the whole team (not one page), counted in the database: one grouped query whatever its
    size, and nothing per worker comes back to Python."""
    return levels_meeting_each(session, _member_ids(institution_id), required)


@dataclass
class TeamSummary:
    workers: int
    roles: list[tuple[str, str, int, int]]  # role code, name, workers meeting the whole profile, required count


def team_summary(session: Session, institution_id: int) -> TeamSummary:
    """The coordinator's dashboard: team size and, per role, how many workers meet its whole profile (counted in the
    database: a query per role, whatever the team's size)."""
    members = _member_ids(institution_id)
    workers = session.scalar(select(func.count()).select_from(members.subquery())) or 0
    facts = framework_facts(session)
    out = []
    for role in facts.profiled_roles if facts else ():
        full = (
            session.scalar(select(func.count(User.id)).where(User.id.in_(members), User.id.in_(meeting_profile(role.profile))))
            if workers
            else 0
        )
        out.append((role.code, role.name, full or 0, len(role.profile)))
    return TeamSummary(workers, out)


def team_member(session: Session, institution_id: int, user_id: int) -> User | None:
    """One worker of the coordinator's own confirmed team (None for anyone else: the caller answers 404)."""
    return session.scalar(team_members_query(institution_id).where(User.id == user_id))


def trainer_courses(session: Session, trainer_id: int) -> list[Course]:
    """Courses a trainer looks after: the ones they created, and shared ones synced from files (no owner)."""
    return list(session.scalars(select(Course).where(Course.id.in_(trainer_course_ids(trainer_id))).order_by(Course.title)))


def trainer_course_overview(session: Session, trainer_id: int) -> list[tuple[Course, int, int]]:
    """The trainer's dashboard: each course they look after with its enrolled and completed learners."""
    courses = trainer_courses(session, trainer_id)
    counts = dict.fromkeys((c.id for c in courses), (0, 0))
    if courses:
        rows = session.execute(
            select(Enrolment.course_id, func.count(), func.count(Enrolment.completed_at))
            .where(Enrolment.course_id.in_(list(counts)))
            .group_by(Enrolment.course_id)
        )
        counts.update({course_id: (enrolled, completed) for course_id, enrolled, completed in rows})
    return [(course, *counts[course.id]) for course in courses]


@dataclass
class LearnerRow:
    user: User
    courses: list[str]
    codes: list[str]  # competences the learner's courses evidence
    levels: dict[str, int]


def trainer_learners(session: Session, trainer_id: int) -> list[LearnerRow]:
    """Learners enrolled in the trainer's courses, with the competences those courses' modules evidence."""
    courses = trainer_courses(session, trainer_id)
    course_ids = [c.id for c in courses]
    if not course_ids:
        return []
    codes_by_course: dict[int, set[str]] = {}
    for course, _version, module in published_modules(session, course_ids):
        codes_by_course.setdefault(course.id, set()).update((module.competences or {}).keys())
    titles = {c.id: c.title for c in courses}
    enrolments = session.execute(select(Enrolment.user_id, Enrolment.course_id).where(Enrolment.course_id.in_(course_ids))).all()
    per_user: dict[int, set[int]] = {}
    for user_id, course_id in enrolments:
        per_user.setdefault(user_id, set()).add(course_id)
    users = {
        u.id: u for u in session.scalars(select(User).where(User.id.in_(list(per_user)), User.erased_at.is_(None)).order_by(User.full_name))
    }
    levels = levels_for_users(session, list(users))
    out = []
    for user in sorted(users.values(), key=lambda u: (polish_sort_key(u.full_name), u.id)):
        ids = per_user[user.id]
        codes = sorted(set().union(*(codes_by_course.get(i, set()) for i in ids)))
        out.append(LearnerRow(user, sorted(titles[i] for i in ids), codes, levels[user.id]))
    return out


@dataclass
class WorkerCourse:
    title: str
    slug: str
    percent: int
    completed_at: object | None  # datetime of completion, None while in progress


def worker_courses(session: Session, user_id: int) -> list[WorkerCourse]:
    """A worker's courses for the coordinator's summary: those in progress with their share done, then completed."""
    out = [
        WorkerCourse(version.title, course.slug, progress.percent, None)
        for course, version, progress in courses_in_progress(session, user_id)
    ]
    completed = session.execute(
        select(Course.title, Course.slug, Enrolment.completed_at)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.user_id == user_id, Enrolment.completed_at.is_not(None))
        .order_by(Enrolment.completed_at.desc())
    )
    out += [WorkerCourse(title, slug, 100, done) for title, slug, done in completed]
    return out
