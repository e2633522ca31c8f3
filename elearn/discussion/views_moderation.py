"""Moderation pages: marking answers, reporting, hiding with a reason, edit history, locking, the reports queue.
The roles on each URL are the coarse check; services.access decides for the one thread (a trainer moderates only
their courses' discussions, ROPS staff the forums)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..core.errors import DomainError, or_404
from ..core.pagination import paginate
from ..core.roles import ADMIN, ISSUER, TRAINER
from ..core.security import role_required
from ..extensions import db
from .forms import ButtonForm, ReasonForm
from .models import REPORT_LABELS, Post, Report, Thread
from .services import access, moderation, posting
from .views import _post_or_404, _thread_or_404, author_label

MODERATORS = (TRAINER, ISSUER, ADMIN)


def _moderated_post(post_id: int) -> Post:
    post = _post_or_404(post_id)
    if not access.may_moderate_thread(current_user, post.thread):
        abort(403)
    return post


def _moderated_thread(thread_id: int) -> Thread:
    thread = _thread_or_404(thread_id)
    if not access.may_moderate_thread(current_user, thread):
        abort(403)
    return thread


@role_required(*MODERATORS)
def answer(post_id: int):
    post = _moderated_post(post_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    mark = request.form.get("answer") == "1"
    try:
        posting.set_answer(db.session, current_user, post, mark)
    except DomainError as exc:
        db.session.rollback()
        exc.flash()
    else:
        url = posting.post_url(db.session, post)
        db.session.commit()
        flash(_("Marked as the answer.") if mark else _("The answer mark was removed."), "success")
        return redirect(url)
    return redirect(url_for("discussion.thread", thread_id=post.thread_id))


def _act_with_reason(post: Post, act, done_message: str):
    """A post action that takes a reason (report, hide): run it, commit and go to the post; or None to show the form
    again (invalid, or refused with the message on the reason field)."""
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            act(db.session, current_user, post, form.reason.data)
        except DomainError as exc:
            db.session.rollback()
            exc.add_to(form.reason)
        else:
            url = posting.post_url(db.session, post)
            db.session.commit()
            flash(done_message, "success")
            return form, redirect(url)
    return form, None


@role_required()
def report(post_id: int):
    post = _post_or_404(post_id)
    form, done = _act_with_reason(post, moderation.report, _("Thank you. The moderators will look at the post."))
    if done:
        return done
    return render_template("discussion/reason.html", form=form, post=post, action="report", author_label=author_label)


@role_required(*MODERATORS)
def hide(post_id: int):
    post = _moderated_post(post_id)
    form, done = _act_with_reason(post, moderation.hide, _("The post is hidden; others see the reason in its place."))
    if done:
        return done
    reports = [r for r in post_reports(post) if r.status == "open"]
    return render_template("discussion/reason.html", form=form, post=post, action="hide", reports=reports, author_label=author_label)


def post_reports(post: Post) -> list[Report]:
    from sqlalchemy import select

    return list(db.session.scalars(select(Report).where(Report.post_id == post.id).order_by(Report.id)))


@role_required(*MODERATORS)
def unhide(post_id: int):
    post = _moderated_post(post_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    moderation.unhide(db.session, current_user, post)
    url = posting.post_url(db.session, post)
    db.session.commit()
    flash(_("The post is visible again."), "success")
    return redirect(url)


@role_required(*MODERATORS)
def history(post_id: int):
    post = _moderated_post(post_id)
    return render_template(
        "discussion/history.html", post=post, reports=post_reports(post), report_labels=REPORT_LABELS, author_label=author_label
    )


@role_required(*MODERATORS)
def lock(thread_id: int):
    thread = _moderated_thread(thread_id)
    form = ReasonForm()
    if form.validate_on_submit():
        moderation.lock(db.session, current_user, thread, form.reason.data)
        db.session.commit()
        flash(_("The thread is locked."), "success")
        return redirect(url_for("discussion.thread", thread_id=thread.id))
    return render_template("discussion/reason.html", form=form, thread=thread, action="lock", author_label=author_label)


@role_required(*MODERATORS)
def unlock(thread_id: int):
    thread = _moderated_thread(thread_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    moderation.unlock(db.session, current_user, thread)
    db.session.commit()
    flash(_("The thread is open for replies again."), "success")
    return redirect(url_for("discussion.thread", thread_id=thread.id))


@role_required(*MODERATORS)
def reports():
    stmt = moderation.open_reports(current_user).options(
        selectinload(Report.post).selectinload(Post.thread), selectinload(Report.post).selectinload(Post.author),
        selectinload(Report.reporter),
    )  # fmt: skip
    page = paginate(stmt, per_page=20)
    return render_template("discussion/reports.html", page=page, button=ButtonForm(), author_label=author_label)


@role_required(*MODERATORS)
def dismiss(report_id: int):
    row = or_404(db.session.get(Report, report_id))
    _moderated_post(row.post_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    moderation.dismiss(db.session, current_user, row)
    db.session.commit()
    flash(_("Report dismissed; the post stays visible."), "success")
    return redirect(url_for("discussion.reports"))


def moderator_panel(user) -> dict | None:
    """Dashboard: how many reports wait in the discussions this person moderates (hidden when none)."""
    count = moderation.open_report_count(db.session, user)
    return {"reports": count} if count else None
