"""Threads in the one search index (kind "discussion"): the title and the text of every post a reader may see.

Hidden and erased posts are left out of the document, so the index never holds what a moderator took down; the
permission function keeps course threads to the course's learners and trainers (forums are open to everyone)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import nh3
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core import search
from ...courses.models import Course
from ..models import Thread

KIND = "discussion"


def thread_document(thread: Thread) -> search.Document:
    posts = [p for p in thread.posts if not p.hidden and p.erased_at is None]
    body = "\n".join(" ".join(nh3.clean(p.body_html or "", tags=set()).split()) for p in posts)
    place = thread.forum or thread.course
    context = place.title if place is not None else ""
    return search.Document(
        kind=KIND, key=str(thread.id), title=thread.title, body=body, context=context,
        url=search.path_for("discussion.thread", thread_id=thread.id), course_id=thread.course_id,
    )  # fmt: skip


def index_thread(session: Session, thread: Thread) -> None:
    session.flush()
    search.index_document(session, thread_document(thread))


def all_documents(session: Session) -> Iterator[search.Document]:
    for thread in session.scalars(select(Thread).order_by(Thread.id)):
        yield thread_document(thread)


def visible_threads(session: Session, viewer: Any, hits: list[search.Hit]) -> list[search.Hit]:
    """Forum threads for everyone; a course's threads only for those who may read its discussion."""
    from . import access

    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return []
    course_ids = {h.course_id for h in hits if h.course_id is not None}
    courses = {c.id: c for c in session.scalars(select(Course).where(Course.id.in_(course_ids)))} if course_ids else {}
    readable = {cid for cid, course in courses.items() if access.may_read_course(session, viewer, course)}
    return [h for h in hits if h.course_id is None or h.course_id in readable]
