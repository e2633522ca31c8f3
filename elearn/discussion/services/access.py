"""Who may read, write and moderate where: the one object-level permission module of the domain.

- A course's discussion (and its lessons' discussions) is read and written by learners enrolled in the course and by
  the course's trainers; administrators may read and moderate it. A course's trainers are the trainer who created
  it (browser courses) or every trainer for the shared courses synced from files — the rule practice uses too.
- Topic forums are open to every logged-in person; ROPS staff (issuer role) and administrators create and moderate
  them.
- Moderators may still post in a locked thread; nobody else may.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ...accounts.models import User
from ...core.roles import ADMIN, ISSUER, TRAINER
from ...courses.models import Course
from ...courses.services import learning
from ..models import Post, Thread

FORUM_MODERATORS = (ISSUER, ADMIN)


def is_course_trainer(user: User, course: Course) -> bool:
    return user.has_role(TRAINER) and course.created_by_id in (None, user.id)


def taught_courses(session: Session, user: User) -> list[Course]:
    """Published courses whose discussions this trainer moderates."""
    if not user.has_role(TRAINER):
        return []
    looked_after = or_(Course.created_by_id == user.id, Course.created_by_id.is_(None))
    return list(session.scalars(select(Course).where(Course.published_number > 0, looked_after).order_by(Course.title)))


def may_read_course(session: Session, user: User, course: Course) -> bool:
    if not course.published_number:
        return False
    if user.has_role(ADMIN) or is_course_trainer(user, course):
        return True
    return learning.get_enrolment(session, user.id, course.id) is not None


def may_moderate_course(user: User, course: Course) -> bool:
    return user.has_role(ADMIN) or is_course_trainer(user, course)


def may_create_forum(user: User) -> bool:
    return user.has_role(*FORUM_MODERATORS)


def may_read_thread(session: Session, user: User, thread: Thread) -> bool:
    if thread.forum_id is not None:
        return True
    return may_read_course(session, user, thread.course)


def may_moderate_thread(user: User, thread: Thread) -> bool:
    if thread.forum_id is not None:
        return user.has_role(*FORUM_MODERATORS)
    return may_moderate_course(user, thread.course)


def may_post(session: Session, user: User, thread: Thread) -> bool:
    if not may_read_thread(session, user, thread):
        return False
    return not thread.locked or may_moderate_thread(user, thread)


def may_mark_answer(user: User, thread: Thread) -> bool:
    """Trainers mark the answer in their courses' discussions, ROPS staff in the forums."""
    return may_moderate_thread(user, thread)


def may_see_body(user: User, post: Post, moderator: bool) -> bool:
    """A hidden post's text is shown to its author and the moderators; everyone else reads the reason only."""
    return not post.hidden or moderator or post.author_id == user.id


def may_edit(user: User, post: Post) -> bool:
    return post.author_id == user.id and not post.hidden and post.erased_at is None and not post.thread.locked
