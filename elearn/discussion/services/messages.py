"""Direct messages between two people who share a course (enrolled in it or its trainer) or an institution
(confirmed membership: users.institution_id is written only when the institution accepts the person). Nobody can
write to a stranger; a person blocks whoever they no longer want to hear from, and cannot write to them either
until they unblock."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from ...accounts.models import User, UserRole
from ...core.markdown import render_markdown
from ...core.notifications import notify, path_for
from ...core.roles import TRAINER
from ...core.timeutil import utcnow
from ...courses.models import Course, Enrolment
from .. import notifications as kinds
from ..errors import DiscussionError
from ..models import Block, Conversation, Message
from . import access
from .posting import _clean_body, _throttle, excerpt

MESSAGES_PER_PAGE = 20
CONVERSATIONS_PER_PAGE = 20
CONTACTS_PER_PAGE = 25


def course_ids_of(session: Session, user: User) -> set[int]:
    """Courses the person shares with others: those they are enrolled in and those they teach."""
    enrolled = set(session.scalars(select(Enrolment.course_id).where(Enrolment.user_id == user.id)))
    return enrolled | {c.id for c in access.taught_courses(session, user)}


def _contact_condition(session: Session, user: User):
    conditions = []
    if user.institution_id is not None:
        conditions.append(User.institution_id == user.institution_id)
    courses = course_ids_of(session, user)
    if courses:
        conditions.append(User.id.in_(select(Enrolment.user_id).where(Enrolment.course_id.in_(courses))))
        creators = select(Course.created_by_id).where(Course.id.in_(courses), Course.created_by_id.is_not(None))
        conditions.append(and_(User.id.in_(creators), User.id.in_(select(UserRole.user_id).where(UserRole.role == TRAINER))))
        if session.scalar(select(func.count(Course.id)).where(Course.id.in_(courses), Course.created_by_id.is_(None))):
            conditions.append(User.id.in_(select(UserRole.user_id).where(UserRole.role == TRAINER)))  # shared courses' trainers
    return or_(*conditions) if conditions else None


def contacts_query(session: Session, user: User, text: str | None = None) -> Select | None:
    """People this person may write to, by name; None when they share nothing with anyone."""
    condition = _contact_condition(session, user)
    if condition is None:
        return None
    stmt = (
        select(User).where(condition, User.id != user.id, User.active.is_(True), User.erased_at.is_(None)).order_by(User.full_name, User.id)
    )
    if text:
        stmt = stmt.where(User.full_name.ilike(f"%{text}%"))
    return stmt


def is_blocked(session: Session, blocker_id: int, blocked_id: int) -> bool:
    return session.get(Block, (blocker_id, blocked_id)) is not None


def may_message(session: Session, sender: User, recipient: User) -> bool:
    """The object-level check: not oneself, an active account, a shared course or institution, no block either way."""
    if sender.id == recipient.id or not recipient.active or recipient.erased_at is not None:
        return False
    if is_blocked(session, recipient.id, sender.id) or is_blocked(session, sender.id, recipient.id):
        return False
    stmt = contacts_query(session, sender)
    return stmt is not None and session.scalar(select(func.count()).select_from(stmt.where(User.id == recipient.id).subquery())) > 0


def conversation_between(session: Session, one: int, other: int) -> Conversation | None:
    a, b = sorted((one, other))
    return session.scalar(select(Conversation).where(Conversation.user_a_id == a, Conversation.user_b_id == b))


def participant_conversation(session: Session, user: User, conversation_id: int) -> Conversation | None:
    """The conversation if this person is in it (another's conversation is treated as missing)."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or user.id not in (conversation.user_a_id, conversation.user_b_id):
        return None
    return conversation


def send(session: Session, sender: User, recipient: User, body: str) -> Message:
    if is_blocked(session, recipient.id, sender.id):
        raise DiscussionError(_l("This person does not accept messages from you."))
    if is_blocked(session, sender.id, recipient.id):
        raise DiscussionError(_l("You have blocked this person. Unblock them to write."))
    if not may_message(session, sender, recipient):
        raise DiscussionError(_l("You can write only to people who share a course or an institution with you."))
    body = _clean_body(body)
    _throttle(sender, "discussion-message")
    conversation = conversation_between(session, sender.id, recipient.id)
    if conversation is None:
        a, b = sorted((sender.id, recipient.id))
        conversation = Conversation(user_a_id=a, user_b_id=b)
        session.add(conversation)
    now = utcnow()
    conversation.last_message_at = now
    message = Message(conversation=conversation, sender_id=sender.id, body=body, body_html=render_markdown(body), created_at=now)
    session.add(message)
    session.flush()
    mark_read(session, sender, conversation)  # answering means having read what came before
    notify(
        session, recipient.id, kinds.MESSAGE, {"sender": sender.full_name, "excerpt": excerpt(message.body_html, 120)},
        path_for("discussion.conversation", conversation_id=conversation.id),
    )  # fmt: skip
    return message


def mark_read(session: Session, user: User, conversation: Conversation) -> int:
    rows = session.scalars(
        select(Message).where(Message.conversation_id == conversation.id, Message.sender_id != user.id, Message.read_at.is_(None))
    ).all()
    now = utcnow()
    for row in rows:
        row.read_at = now
    session.flush()
    return len(rows)


def _unread_for(user_id: int):
    return and_(Message.read_at.is_(None), or_(Message.sender_id != user_id, Message.sender_id.is_(None)))


def conversations_query(user: User) -> Select:
    """This person's conversations, latest message first (the view paginates)."""
    return (
        select(Conversation)
        .where(or_(Conversation.user_a_id == user.id, Conversation.user_b_id == user.id))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    )


def unread_by_conversation(session: Session, user_id: int, conversation_ids: list[int]) -> dict[int, int]:
    """How many messages wait unread for this person in each of the conversations (one query for a page)."""
    if not conversation_ids:
        return {}
    stmt = (
        select(Message.conversation_id, func.count(Message.id))
        .where(Message.conversation_id.in_(conversation_ids), _unread_for(user_id))
        .group_by(Message.conversation_id)
    )
    return dict(session.execute(stmt).tuples().all())


def unread_total(session: Session, user_id: int) -> int:
    mine = or_(Conversation.user_a_id == user_id, Conversation.user_b_id == user_id)
    stmt = select(func.count(Message.id)).join(Conversation, Conversation.id == Message.conversation_id).where(mine, _unread_for(user_id))
    return session.scalar(stmt) or 0


def messages_query(conversation: Conversation) -> Select:
    """Newest first: the reply form sits above the latest messages."""
    return select(Message).where(Message.conversation_id == conversation.id).order_by(Message.created_at.desc(), Message.id.desc())


def block(session: Session, blocker: User, blocked: User) -> None:
    if blocker.id == blocked.id:
        raise DiscussionError(_l("You cannot block yourself."))
    if not is_blocked(session, blocker.id, blocked.id):
        session.add(Block(blocker_id=blocker.id, blocked_id=blocked.id))
        session.flush()


def unblock(session: Session, blocker: User, blocked: User) -> None:
    row = session.get(Block, (blocker.id, blocked.id))
    if row is not None:
        session.delete(row)
        session.flush()


def blocked_people(session: Session, user: User) -> list[User]:
    other = aliased(User)
    return list(
        session.scalars(
            select(other).join(Block, Block.blocked_id == other.id).where(Block.blocker_id == user.id).order_by(other.full_name)
        )
    )
