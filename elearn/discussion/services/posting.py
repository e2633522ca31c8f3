"""Threads and posts: starting a thread, replying (with a quote and attachments), editing with history kept,
subscriptions and their notifications, and the trainer's "answered" mark.

Every write is throttled per person (core.throttle, `RATELIMIT_DISCUSSION_POST`), renders the Markdown once through
core.markdown (the one sanitiser), refreshes the thread's search document, and flushes; the view commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import nh3
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ...accounts.models import User
from ...core import throttle
from ...core.audit import audit
from ...core.files import check_upload
from ...core.markdown import render_markdown
from ...core.notifications import notify, path_for
from ...core.timeutil import utcnow
from ...courses.models import Course
from ...courses.services.content import slugify, unique_key
from .. import notifications as kinds
from ..errors import DiscussionError, FilesRefused
from ..models import Forum, Post, PostAttachment, PostRevision, Subscription, Thread
from . import access, indexing

POSTS_PER_PAGE = 20
THREADS_PER_PAGE = 20
MAX_FILES = 3
MAX_BODY = 20000


@dataclass(frozen=True)
class Place:
    """Where a thread lives: a topic forum, or a course (and a lesson of its published version)."""

    forum: Forum | None = None
    course: Course | None = None
    lesson_key: str | None = None
    lesson_title: str | None = None


def upload_dir(instance_path: str) -> Path:
    return Path(instance_path) / "discussion"


def excerpt(html: str, length: int = 200) -> str:
    """Plain text of rendered HTML, cut at a word boundary (quotes, search documents, notifications)."""
    text = " ".join(nh3.clean(html or "", tags=set()).split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"


def _throttle(user: User, scope: str = "discussion-post") -> None:
    if throttle.is_blocked(scope, str(user.id), "RATELIMIT_DISCUSSION_POST"):
        raise DiscussionError(_l("You are writing very fast. Wait a few minutes before posting again."))
    throttle.record_failure(scope, str(user.id), "RATELIMIT_DISCUSSION_POST")  # counts every post, not only failures


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DiscussionError(_l("Write something first."))
    if len(body) > MAX_BODY:
        raise DiscussionError(_l("A post may have at most %(max)s characters.", max=MAX_BODY))
    return body


def _store_files(post: Post, files: list[tuple[str, bytes]], instance_path: str) -> None:
    files = [(name, data) for name, data in files if name]
    if len(files) > MAX_FILES:
        raise FilesRefused(_l("Attach at most %(max)s files to one post.", max=MAX_FILES))
    checked = [
        (name, data, check_upload(data, types_key="DISCUSSION_FILE_TYPES", limit_key="DISCUSSION_FILE_MAX_BYTES", filename=name))
        for name, data in files
    ]
    folder = upload_dir(instance_path)
    for name, data, upload in checked:
        folder.mkdir(parents=True, exist_ok=True)
        stored = f"{secrets.token_hex(16)}.{upload.kind}"
        (folder / stored).write_bytes(data)
        post.attachments.append(PostAttachment(filename=Path(name).name[:200], path=stored, mimetype=upload.mimetype, size=len(data)))


def subscribe(session: Session, user_id: int, thread: Thread) -> None:
    if session.get(Subscription, (user_id, thread.id)) is None:
        session.add(Subscription(user_id=user_id, thread_id=thread.id))
        session.flush()


def unsubscribe(session: Session, user_id: int, thread: Thread) -> None:
    session.execute(delete(Subscription).where(Subscription.user_id == user_id, Subscription.thread_id == thread.id))
    session.flush()


def is_subscribed(session: Session, user_id: int, thread: Thread) -> bool:
    return session.get(Subscription, (user_id, thread.id)) is not None


def _new_post(session: Session, thread: Thread, author: User, body: str, quoted: Post | None) -> Post:
    now = utcnow()
    post = Post(thread=thread, author_id=author.id, body=body, body_html=render_markdown(body), quoted=quoted, created_at=now)
    session.add(post)
    thread.last_post_at = now
    thread.post_count = (thread.post_count or 0) + 1
    return post


def start_thread(
    session: Session, user: User, place: Place, *, title: str, body: str, files: list[tuple[str, bytes]], instance_path: str
) -> Thread:
    title = " ".join((title or "").split())
    if not title:
        raise DiscussionError(_l("Give the thread a title."))
    body = _clean_body(body)
    if place.course is not None and not access.may_read_course(session, user, place.course):
        raise DiscussionError(_l("Only the course's learners and trainers take part in its discussion."))
    _throttle(user)
    thread = Thread(
        forum_id=place.forum.id if place.forum else None, course_id=place.course.id if place.course else None,
        lesson_key=place.lesson_key, title=title[:200], author_id=user.id, post_count=0,
    )  # fmt: skip
    session.add(thread)
    post = _new_post(session, thread, user, body, None)
    _store_files(post, files, instance_path)
    session.flush()
    subscribe(session, user.id, thread)
    indexing.index_thread(session, thread)
    return thread


def quotable(session: Session, user: User, thread: Thread, post_id: int | None) -> Post | None:
    """The post to quote, if it is in this thread and the person may read its text."""
    if not post_id:
        return None
    post = session.get(Post, post_id)
    if post is None or post.thread_id != thread.id or post.erased_at is not None:
        return None
    return post if access.may_see_body(user, post, access.may_moderate_thread(user, thread)) else None


def post_url(session: Session, post: Post) -> str:
    """The thread page holding the post, anchored at it."""
    before = session.scalar(select(func.count(Post.id)).where(Post.thread_id == post.thread_id, Post.id < post.id)) or 0
    page = before // POSTS_PER_PAGE + 1
    path = (
        path_for("discussion.thread", thread_id=post.thread_id, page=page)
        if page > 1
        else path_for("discussion.thread", thread_id=post.thread_id)
    )
    return f"{path}#post-{post.id}"


def reply(
    session: Session, user: User, thread: Thread, *, body: str, quote_id: int | None, files: list[tuple[str, bytes]], instance_path: str
) -> Post:
    if not access.may_post(session, user, thread):
        raise DiscussionError(_l("This thread is locked: no new replies."))
    body = _clean_body(body)
    _throttle(user)
    post = _new_post(session, thread, user, body, quotable(session, user, thread, quote_id))
    _store_files(post, files, instance_path)
    session.flush()
    url = post_url(session, post)
    subscribers = session.scalars(select(Subscription.user_id).where(Subscription.thread_id == thread.id, Subscription.user_id != user.id))
    for recipient_id in subscribers:
        recipient = session.get(User, recipient_id)
        if recipient is None or not recipient.active or not access.may_read_thread(session, recipient, thread):
            continue  # left the course since subscribing: no news from a discussion they can no longer read
        notify(
            session, recipient_id, kinds.REPLY, {"title": thread.title, "author": user.full_name, "excerpt": excerpt(post.body_html)}, url
        )
    subscribe(session, user.id, thread)
    indexing.index_thread(session, thread)
    return post


def edit_post(session: Session, user: User, post: Post, body: str) -> None:
    """The author corrects their post; the earlier text is kept as a revision moderators can read."""
    if not access.may_edit(user, post):
        raise DiscussionError(_l("This post can no longer be edited."))
    body = _clean_body(body)
    if body == post.body:
        return
    session.add(PostRevision(post=post, body=post.body, written_at=post.edited_at or post.created_at))
    post.body, post.body_html, post.edited_at = body, render_markdown(body), utcnow()
    session.flush()
    indexing.index_thread(session, post.thread)


def set_answer(session: Session, moderator: User, post: Post, answer: bool) -> None:
    """Mark (or unmark) the post that answers the thread's question; the asker is told."""
    thread = post.thread
    if not access.may_mark_answer(moderator, thread):
        raise DiscussionError(_l("Only the course's trainers mark answers."))
    if answer and post.hidden:
        raise DiscussionError(_l("A hidden post cannot be the answer."))
    post.is_answer = answer
    post.answered_by_id = moderator.id if answer else None
    session.flush()
    thread.answered = bool(session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread.id, Post.is_answer.is_(True))))
    audit(session, "discussion.answer" if answer else "discussion.unanswer", actor_id=moderator.id, target=post, thread_id=thread.id)
    if answer and thread.author_id and thread.author_id != moderator.id:
        notify(
            session, thread.author_id, kinds.ANSWERED, {"title": thread.title, "trainer": moderator.full_name},
            post_url(session, post),
        )  # fmt: skip
    session.flush()


# --- forums -------------------------------------------------------------------------------------------------------


def forums(session: Session) -> list[tuple[Forum, int, object]]:
    """Every forum with its number of threads and the time of its latest post, in the staff's order."""
    stmt = (
        select(Forum, func.count(Thread.id), func.max(Thread.last_post_at))
        .outerjoin(Thread, Thread.forum_id == Forum.id)
        .group_by(Forum.id)
        .order_by(Forum.position, Forum.title)
    )
    return [tuple(row) for row in session.execute(stmt)]


def forum_by_slug(session: Session, slug: str) -> Forum | None:
    return session.scalar(select(Forum).where(Forum.slug == slug))


def create_forum(session: Session, actor: User, *, title: str, description: str) -> Forum:
    if not access.may_create_forum(actor):
        raise DiscussionError(_l("Only ROPS staff create forums."))
    title = " ".join((title or "").split())
    if not title:
        raise DiscussionError(_l("Give the forum a title."))
    taken = set(session.scalars(select(Forum.slug)))
    position = (session.scalar(select(func.max(Forum.position))) or 0) + 1
    forum = Forum(slug=unique_key(slugify(title), taken), title=title, description=(description or "").strip(), position=position,
                  created_by_id=actor.id)  # fmt: skip
    session.add(forum)
    session.flush()
    audit(session, "discussion.forum_create", actor_id=actor.id, target=forum, title=title)
    return forum


def threads_query(*, forum_id: int | None = None, course_id: int | None = None, lesson_key: str | None = None):
    """Threads of a forum, of a course (all its lessons included), or of one lesson: latest activity first."""
    stmt = select(Thread)
    if forum_id is not None:
        stmt = stmt.where(Thread.forum_id == forum_id)
    if course_id is not None:
        stmt = stmt.where(Thread.course_id == course_id)
    if lesson_key is not None:
        stmt = stmt.where(Thread.lesson_key == lesson_key)
    return stmt.order_by(Thread.last_post_at.desc(), Thread.id.desc())


def posts_query(thread: Thread):
    return select(Post).where(Post.thread_id == thread.id).order_by(Post.id)
