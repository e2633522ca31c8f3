"""Direct messages: conversations with unread counts, a conversation, people one may write to, blocking."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..core.errors import DomainError, or_404
from ..core.pagination import paginate
from ..core.security import role_required
from ..extensions import db
from .forms import ButtonForm, ContactFilterForm, MessageForm
from .models import Conversation, Message
from .services import messages
from .views import author_label


@role_required()
def conversations():
    stmt = messages.conversations_query(current_user).options(selectinload(Conversation.user_a), selectinload(Conversation.user_b))
    page = paginate(stmt, per_page=messages.CONVERSATIONS_PER_PAGE)
    counts = messages.unread_by_conversation(db.session, current_user.id, [c.id for c in page.items])
    return render_template(
        "discussion/conversations.html", page=page, counts=counts, author_label=author_label,
        unread_messages=sum(counts.values()) if page.pages <= 1 else messages.unread_total(db.session, current_user.id),
    )  # fmt: skip


@role_required()
def contacts():
    form = ContactFilterForm().filter()
    stmt = messages.contacts_query(db.session, current_user, form.q.data or None)
    page = paginate(stmt, per_page=messages.CONTACTS_PER_PAGE) if stmt is not None else None
    return render_template("discussion/contacts.html", form=form, page=page, blocked=messages.blocked_people(db.session, current_user),
                           button=ButtonForm())  # fmt: skip


def _recipient_or_404(user_id: int) -> User:
    """Someone this person may write to; strangers are treated as missing, so the page reveals no one."""
    recipient = or_404(db.session.get(User, user_id))
    if recipient.id == current_user.id or recipient.erased_at is not None:
        abort(404)
    if (
        not messages.may_message(db.session, current_user, recipient)
        and messages.conversation_between(db.session, current_user.id, recipient.id) is None
        and not messages.is_blocked(db.session, current_user.id, recipient.id)
    ):
        abort(404)
    return recipient


@role_required()
def compose(user_id: int):
    recipient = _recipient_or_404(user_id)
    existing = messages.conversation_between(db.session, current_user.id, recipient.id)
    if existing is not None:
        return redirect(url_for("discussion.conversation", conversation_id=existing.id))
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message = messages.send(db.session, current_user, recipient, form.body.data)
        except DomainError as exc:
            db.session.rollback()
            exc.add_to(form.body)
        else:
            conversation_id = message.conversation_id
            db.session.commit()
            flash(_("Message sent."), "success")
            return redirect(url_for("discussion.conversation", conversation_id=conversation_id))
    return render_template("discussion/compose.html", form=form, recipient=recipient)


@role_required()
def conversation(conversation_id: int):
    found = or_404(messages.participant_conversation(db.session, current_user, conversation_id))
    other = found.other(current_user.id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            messages.send(db.session, current_user, other, form.body.data)
        except DomainError as exc:
            db.session.rollback()
            exc.flash()  # a block or the rate limit, not a fault of the text: shown even when the form is not
        else:
            db.session.commit()
            flash(_("Message sent."), "success")
            return redirect(url_for("discussion.conversation", conversation_id=found.id))
    page = paginate(messages.messages_query(found).options(selectinload(Message.sender)), per_page=messages.MESSAGES_PER_PAGE)
    unread = sum(1 for m in page.items if m.read_at is None and m.sender_id != current_user.id)
    return render_template(
        "discussion/conversation.html", conversation=found, other=other, form=form, page=page, unread_here=unread,
        author_label=author_label,
        may_write=messages.may_message(db.session, current_user, other), button=ButtonForm(),
        i_blocked=messages.is_blocked(db.session, current_user.id, other.id),
    )  # fmt: skip


@role_required()
def mark_read(conversation_id: int):
    found = or_404(messages.participant_conversation(db.session, current_user, conversation_id))
    if not ButtonForm().validate_on_submit():
        abort(400)
    messages.mark_read(db.session, current_user, found)
    db.session.commit()
    flash(_("Messages marked as read."), "success")
    return redirect(url_for("discussion.conversations"))


@role_required()
def block(user_id: int):
    person = _recipient_or_404(user_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        messages.block(db.session, current_user, person)
    except DomainError as exc:
        db.session.rollback()
        exc.flash()
    else:
        db.session.commit()
        flash(_("%(name)s can no longer write to you.", name=person.full_name), "success")
    return redirect(url_for("discussion.contacts"))


@role_required()
def unblock(user_id: int):
    person = or_404(db.session.get(User, user_id))
    if not ButtonForm().validate_on_submit():
        abort(400)
    messages.unblock(db.session, current_user, person)
    db.session.commit()
    flash(_("%(name)s can write to you again.", name=person.full_name), "success")
    return redirect(url_for("discussion.contacts"))
