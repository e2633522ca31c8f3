"""Views of many people at once: a coordinator's team matrix and a trainer's learners."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...accounts.models import User, UserRole
from ...core.collation import polish_sort_key
from ...core.roles import LEARNER
from ...courses.models import Course, Enrolment
from ...courses.services.learning import published_modules
from .access import trainer_course_ids
from .levels import levels_for_users


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


def matrix_table(rows: list[MatrixRow], codes: list[str], required: dict[str, int]) -> tuple[list[str], list[list]]:
    """The team matrix as a header and rows for the spreadsheet export (the required level comes first)."""
    header = ["Imię i nazwisko", "Stanowisko", *codes]
    body: list[list] = [["Poziom wymagany", "", *[required.get(c, 0) for c in codes]]]
    body += [[row.user.full_name, row.user.job_title or "", *[row.levels.get(c, 0) for c in codes]] for row in rows]
    return header, body


def trainer_courses(session: Session, trainer_id: int) -> list[Course]:
    """Courses a trainer looks after: the ones they created, and shared ones synced from files (no owner)."""
    return list(session.scalars(select(Course).where(Course.id.in_(trainer_course_ids(trainer_id))).order_by(Course.title)))


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
