"""Signal receivers: the discussion domain's part of RODO export and erasure.

Export: the threads a person started, their posts (with earlier versions and attachment names), their reports, the
direct messages they sent and whom they blocked.

Erasure keeps the shape of the discussions others took part in and removes the person's words: each post's text,
earlier versions and attachments are deleted and the post stays as a placeholder ("Użytkownik usunięty", text
removed), so the replies and quotes around it still make sense; a thread they started keeps its replies under a
neutral title, or is deleted when nobody else wrote in it. Sent messages become placeholders in the other person's
conversation; report reasons are cleared; subscriptions and blocks are deleted. The search index is refreshed.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import delete, or_, select

from .models import Block, Message, Post, PostAttachment, Report, Subscription, Thread

ERASED_THREAD_TITLE = "Wątek usuniętego użytkownika"


def _iso(value) -> str | None:
    return value.isoformat() + "Z" if value else None


def _place(thread: Thread) -> str:
    if thread.forum is not None:
        return f"forum: {thread.forum.title}"
    lesson = f", lekcja {thread.lesson_key}" if thread.lesson_key else ""
    return f"kurs: {thread.course.title}{lesson}" if thread.course else ""


def collect(user, **_kwargs) -> dict:
    from ..extensions import db

    session = db.session
    threads = session.scalars(select(Thread).where(Thread.author_id == user.id).order_by(Thread.id)).all()
    posts = session.scalars(select(Post).where(Post.author_id == user.id).order_by(Post.id)).all()
    reports = session.scalars(select(Report).where(Report.reporter_id == user.id).order_by(Report.id)).all()
    messages = session.scalars(select(Message).where(Message.sender_id == user.id).order_by(Message.id)).all()
    return {
        "discussion_threads": [{"title": t.title, "place": _place(t), "created_at": _iso(t.created_at)} for t in threads],
        "discussion_posts": [
            {
                "thread": p.thread.title,
                "text": p.body,
                "written_at": _iso(p.created_at),
                "edited_at": _iso(p.edited_at),
                "earlier_versions": [{"text": r.body, "written_at": _iso(r.written_at)} for r in p.revisions],
                "attachments": [a.filename for a in p.attachments],
                "hidden_by_moderator": p.hidden_reason,
            }
            for p in posts
        ],
        "discussion_reports": [{"reason": r.reason, "status": r.status, "at": _iso(r.created_at)} for r in reports],
        "direct_messages_sent": [
            {"to": m.conversation.other(user.id).full_name, "text": m.body, "sent_at": _iso(m.created_at)} for m in messages
        ],
        "blocked_people": [b.blocked.full_name for b in session.scalars(select(Block).where(Block.blocker_id == user.id))],
    }


def _delete_files(attachments: list[PostAttachment]) -> None:
    from .services.posting import upload_dir

    root = upload_dir(current_app.instance_path).resolve()
    for attachment in attachments:
        path = (root / attachment.path).resolve()
        if path.is_relative_to(root):
            Path(path).unlink(missing_ok=True)


def erase(user, session, **_kwargs) -> None:
    from ..core.timeutil import utcnow
    from .services import indexing

    now = utcnow()
    touched: set[int] = set()
    for post in session.scalars(select(Post).where(Post.author_id == user.id)):
        _delete_files(post.attachments)
        post.attachments.clear()
        post.revisions.clear()
        post.body, post.body_html, post.erased_at = "", "", now
        touched.add(post.thread_id)
    for thread in session.scalars(select(Thread).where(Thread.author_id == user.id)):
        others = session.scalar(
            select(Post.id).where(Post.thread_id == thread.id, or_(Post.author_id != user.id, Post.author_id.is_(None)))
        )
        if others is None:
            session.delete(thread)
            touched.discard(thread.id)
            from ..core import search

            search.remove_document(session, indexing.KIND, str(thread.id))
        else:
            thread.title = ERASED_THREAD_TITLE
            touched.add(thread.id)
    for report in session.scalars(select(Report).where(Report.reporter_id == user.id)):
        report.reason = ""
    for message in session.scalars(select(Message).where(Message.sender_id == user.id)):
        message.body, message.body_html, message.erased_at = "", "", now
    session.execute(delete(Subscription).where(Subscription.user_id == user.id))
    session.execute(delete(Block).where(or_(Block.blocker_id == user.id, Block.blocked_id == user.id)))
    session.flush()
    for thread_id in touched:
        thread = session.get(Thread, thread_id)
        if thread is not None:
            indexing.index_thread(session, thread)
