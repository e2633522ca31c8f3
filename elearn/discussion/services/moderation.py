"""Moderation: reporting a post, hiding it with a reason (and showing it again), dismissing a report, locking a
thread, and the moderators' queue of open reports. Trainers moderate their courses' discussions, ROPS staff and
administrators the topic forums (services.access); every moderation action is written to the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from ...accounts.models import User, UserRole
from ...core.audit import audit
from ...core.notifications import notify
from ...core.roles import ADMIN, ISSUER, TRAINER
from ...core.timeutil import utcnow
from ...courses.models import Course
from .. import notifications as kinds
from ..errors import DiscussionError
from ..models import DISMISSED, OPEN, RESOLVED, Post, Report, Thread
from . import access, indexing
from .posting import post_url

MAX_REASON = 300


def _reason(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise DiscussionError(_l("Give a reason."))
    return text[:MAX_REASON]


def _require_moderator(user: User, thread: Thread) -> None:
    if not access.may_moderate_thread(user, thread):
        raise DiscussionError(_l("You do not moderate this discussion."))


def report(session: Session, reporter: User, post: Post, reason: str) -> Report:
    """Anyone who may read the post reports it once; moderators see it in their queue."""
    if not access.may_read_thread(session, reporter, post.thread):
        raise DiscussionError(_l("Only those who take part in this discussion can report its posts."))
    if post.author_id == reporter.id:
        raise DiscussionError(_l("You cannot report your own post; edit it instead."))
    existing = session.scalar(select(Report).where(Report.post_id == post.id, Report.reporter_id == reporter.id, Report.status == OPEN))
    if existing is not None:
        raise DiscussionError(_l("You have already reported this post; a moderator will look at it."))
    row = Report(post=post, reporter_id=reporter.id, reason=_reason(reason)[:500], status=OPEN)
    session.add(row)
    session.flush()
    for moderator_id in _moderator_ids(session, post.thread):
        if moderator_id != reporter.id:
            notify(session, moderator_id, kinds.REPORTED, {"title": post.thread.title}, post_url(session, post))
    audit(session, "discussion.report", actor_id=reporter.id, target=post, report_id=row.id)
    return row


def _moderator_ids(session: Session, thread: Thread) -> list[int]:
    """Who is told of a report: the course's trainer (every trainer for a shared course), ROPS staff for a forum."""
    if thread.forum_id is not None:
        roles = (ISSUER,)
    elif thread.course.created_by_id is not None:
        return [thread.course.created_by_id]
    else:
        roles = (TRAINER,)
    stmt = select(User.id).join(UserRole).where(UserRole.role.in_(roles), User.active.is_(True), User.erased_at.is_(None))
    return list(session.scalars(stmt.distinct().order_by(User.id)))


def hide(session: Session, moderator: User, post: Post, reason: str) -> None:
    """Hide the post from everyone but its author and the moderators, with the reason shown in its place; open
    reports about it are resolved."""
    _require_moderator(moderator, post.thread)
    reason = _reason(reason)
    post.hidden_at, post.hidden_by_id, post.hidden_reason = utcnow(), moderator.id, reason
    if post.is_answer:
        post.is_answer, post.answered_by_id = False, None
        post.thread.answered = any(p.is_answer for p in post.thread.posts if p.id != post.id)
    _close_reports(session, moderator, post, RESOLVED)
    session.flush()
    indexing.index_thread(session, post.thread)
    if post.author_id and post.author_id != moderator.id:
        notify(session, post.author_id, kinds.HIDDEN, {"title": post.thread.title, "reason": reason}, post_url(session, post))
    audit(session, "discussion.hide", actor_id=moderator.id, target=post, thread_id=post.thread_id, reason=reason)


def unhide(session: Session, moderator: User, post: Post) -> None:
    _require_moderator(moderator, post.thread)
    post.hidden_at, post.hidden_by_id, post.hidden_reason = None, None, None
    session.flush()
    indexing.index_thread(session, post.thread)
    audit(session, "discussion.unhide", actor_id=moderator.id, target=post, thread_id=post.thread_id)


def dismiss(session: Session, moderator: User, row: Report) -> None:
    """The report does not call for hiding: close it (and the others about the same post)."""
    _require_moderator(moderator, row.post.thread)
    _close_reports(session, moderator, row.post, DISMISSED)
    session.flush()
    audit(session, "discussion.dismiss_report", actor_id=moderator.id, target=row.post, report_id=row.id)


def _close_reports(session: Session, moderator: User, post: Post, status: str) -> None:
    for row in session.scalars(select(Report).where(Report.post_id == post.id, Report.status == OPEN)):
        row.status, row.decided_at, row.decided_by_id = status, utcnow(), moderator.id


def lock(session: Session, moderator: User, thread: Thread, reason: str) -> None:
    _require_moderator(moderator, thread)
    reason = _reason(reason)
    thread.locked_at, thread.locked_by_id, thread.lock_reason = utcnow(), moderator.id, reason
    session.flush()
    audit(session, "discussion.lock", actor_id=moderator.id, target=thread, reason=reason)


def unlock(session: Session, moderator: User, thread: Thread) -> None:
    _require_moderator(moderator, thread)
    thread.locked_at, thread.locked_by_id, thread.lock_reason = None, None, None
    session.flush()
    audit(session, "discussion.unlock", actor_id=moderator.id, target=thread)


def open_reports(user: User) -> Select:
    """Open reports in the discussions this person moderates, oldest first (the view paginates)."""
    stmt = (
        select(Report)
        .join(Post, Post.id == Report.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .outerjoin(Course, Course.id == Thread.course_id)
        .where(Report.status == OPEN)
        .order_by(Report.created_at, Report.id)
    )
    if user.has_role(ADMIN):
        return stmt
    places = []
    if access.may_create_forum(user):
        places.append(Thread.forum_id.is_not(None))
    if user.has_role(TRAINER):
        places.append(and_(Thread.course_id.is_not(None), or_(Course.created_by_id == user.id, Course.created_by_id.is_(None))))
    return stmt.where(or_(*places)) if places else stmt.where(false())


def open_report_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(open_reports(user).order_by(None).subquery())) or 0
