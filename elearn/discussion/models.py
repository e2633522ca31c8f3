"""Discussion threads and posts (under a course, a lesson, or a topic forum), moderation records, and direct
messages between users who share a course or an institution.

A thread belongs either to a topic forum (forum_id) or to a course (course_id, with lesson_key when it is asked
under a lesson): the CHECK constraint holds exactly one of the two. Post bodies are stored as the author wrote them
(Markdown) and as sanitised HTML rendered once on save. Posts and messages are personal data of their authors
(see listeners.py for what export and erasure do with them).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import check_in
from ..core.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..courses.models import Course

OPEN, RESOLVED, DISMISSED = "open", "resolved", "dismissed"
REPORT_STATUSES = (OPEN, RESOLVED, DISMISSED)
REPORT_LABELS = {OPEN: _l("waiting"), RESOLVED: _l("post hidden"), DISMISSED: _l("dismissed")}


class Forum(db.Model):
    """An open topic forum created by ROPS staff (e.g. "SRPS w praktyce"); course discussions need no row."""

    __tablename__ = "discussion_forums"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Thread(db.Model):
    __tablename__ = "discussion_threads"
    __table_args__ = (
        CheckConstraint("(forum_id IS NULL) <> (course_id IS NULL)", name="one_place"),
        CheckConstraint("lesson_key IS NULL OR course_id IS NOT NULL", name="lesson_in_course"),
        Index("ix_discussion_threads_course_lesson", "course_id", "lesson_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("discussion_forums.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    lesson_key: Mapped[str | None] = mapped_column(String(80))
    # Written by the author; on erasure replaced by a neutral title (listeners.erase).
    title: Mapped[str] = mapped_column(String(200), info={"personal": True})
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    post_count: Mapped[int] = mapped_column(default=0)
    answered: Mapped[bool] = mapped_column(default=False)
    locked_at: Mapped[datetime | None]
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lock_reason: Mapped[str | None] = mapped_column(String(300))

    forum: Mapped[Forum | None] = relationship()
    course: Mapped[Course | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    posts: Mapped[list[Post]] = relationship(back_populates="thread", order_by="Post.id", cascade="all, delete-orphan")

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class Post(db.Model):
    __tablename__ = "discussion_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("discussion_threads.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text, info={"personal": True})  # Markdown as written
    body_html: Mapped[str] = mapped_column(Text, info={"personal": True})  # sanitised rendering of body
    # Quoting refers to the quoted post, so its text is shown from the source (hidden or erased stays so).
    quoted_post_id: Mapped[int | None] = mapped_column(ForeignKey("discussion_posts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]  # the author's account was erased: body cleared
    is_answer: Mapped[bool] = mapped_column(default=False)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(String(300))

    thread: Mapped[Thread] = relationship(back_populates="posts")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    quoted: Mapped[Post | None] = relationship(remote_side=[id], foreign_keys=[quoted_post_id])
    attachments: Mapped[list[PostAttachment]] = relationship(
        back_populates="post", order_by="PostAttachment.id", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[PostRevision]] = relationship(back_populates="post", order_by="PostRevision.id", cascade="all, delete-orphan")

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None


class PostRevision(db.Model):
    """The text of a post before an edit: moderators read the edit history."""

    __tablename__ = "discussion_post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("discussion_posts.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, info={"personal": True})
    written_at: Mapped[datetime]  # when this earlier text was written
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship(back_populates="revisions")


class PostAttachment(db.Model):
    __tablename__ = "discussion_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("discussion_posts.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200), info={"personal": True})  # as uploaded, used on download
    path: Mapped[str] = mapped_column(String(80), info={"personal": True})  # random storage name
    mimetype: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]

    post: Mapped[Post] = relationship(back_populates="attachments")


class Report(db.Model):
    __tablename__ = "discussion_reports"
    __table_args__ = (CheckConstraint(check_in("status", REPORT_STATUSES), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("discussion_posts.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(500), info={"personal": True})
    status: Mapped[str] = mapped_column(String(10), default=OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    post: Mapped[Post] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])


class Subscription(db.Model):
    """Who is told about new replies in a thread (its author and whoever replied are subscribed automatically)."""

    __tablename__ = "discussion_subscriptions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("discussion_threads.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Conversation(db.Model):
    """A direct conversation of two people; user_a_id < user_b_id so a pair has one conversation."""

    __tablename__ = "discussion_conversations"
    __table_args__ = (UniqueConstraint("user_a_id", "user_b_id"), CheckConstraint("user_a_id < user_b_id", name="ordered_pair"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_a_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    user_b_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)

    user_a: Mapped[User] = relationship(foreign_keys=[user_a_id])
    user_b: Mapped[User] = relationship(foreign_keys=[user_b_id])

    def other(self, user_id: int) -> User:
        return self.user_b if user_id == self.user_a_id else self.user_a


class Message(db.Model):
    __tablename__ = "discussion_messages"
    __table_args__ = (Index("ix_discussion_messages_unread", "conversation_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("discussion_conversations.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text, info={"personal": True})
    body_html: Mapped[str] = mapped_column(Text, info={"personal": True})
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]

    conversation: Mapped[Conversation] = relationship()
    sender: Mapped[User | None] = relationship(foreign_keys=[sender_id])


class Block(db.Model):
    """blocker_id does not accept direct messages from blocked_id (and cannot write to them until unblocking)."""

    __tablename__ = "discussion_blocks"
    __table_args__ = (CheckConstraint("blocker_id <> blocked_id", name="not_self"),)

    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id])
