"""Discussion pages: the overview, topic forums, course and lesson discussions, threads with replies, editing,
answers, subscriptions and attachments (URLs are registered in blueprint.py; permissions in services.access)."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..core.errors import DomainError, or_404
from ..core.files import UploadRejected
from ..core.pagination import paginate
from ..core.roles import ADMIN, ISSUER
from ..core.security import role_required
from ..courses.services import learning
from ..extensions import db
from .errors import FilesRefused
from .forms import ButtonForm, EditForm, ForumForm, ReplyForm, ThreadForm
from .models import Post, PostAttachment, Thread
from .services import access, messages, moderation, posting
from .services.posting import Place

ERASED_AUTHOR = "Użytkownik usunięty"


def author_label(user) -> str:
    """The name shown beside a post; an erased or missing account is "Użytkownik usunięty"."""
    if user is None or user.erased_at is not None:
        return ERASED_AUTHOR
    return user.full_name


def _files(form) -> list[tuple[str, bytes]]:
    return [(f.filename, f.read()) for f in (form.files.data or []) if f and getattr(f, "filename", None)]


def _course_or_404(slug: str):
    course, version = or_404(learning.published_course(db.session, slug))
    if not access.may_read_course(db.session, current_user, course):
        abort(404)
    return course, version


def _lesson_title(version, key: str) -> str:
    lesson = or_404(learning.published_lesson(db.session, version, key))
    return lesson.title


def _quote_id(value: str | None) -> int | None:
    """The quoted post's id from the hidden field or ?quote= (anything else quotes nothing)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _thread_or_404(thread_id: int) -> Thread:
    thread = or_404(db.session.get(Thread, thread_id))
    if not access.may_read_thread(db.session, current_user, thread):
        abort(404)
    return thread


def _post_or_404(post_id: int) -> Post:
    post = or_404(db.session.get(Post, post_id))
    _thread_or_404(post.thread_id)
    return post


# --- overview and lists -------------------------------------------------------------------------------------------


@role_required()
def index():
    course_ids = messages.course_ids_of(db.session, current_user)
    versions = [learning.published_version(db.session, course_id) for course_id in sorted(course_ids)]
    courses = sorted(((v.course, v) for v in versions if v is not None), key=lambda pair: pair[1].title)
    return render_template(
        "discussion/index.html", forums=posting.forums(db.session), courses=courses,
        may_create_forum=access.may_create_forum(current_user),
        unread_messages=messages.unread_total(db.session, current_user.id),
    )  # fmt: skip


@role_required()
def forum(slug: str):
    place = or_404(posting.forum_by_slug(db.session, slug))
    page = paginate(posting.threads_query(forum_id=place.id).options(selectinload(Thread.author)), per_page=posting.THREADS_PER_PAGE)
    return render_template("discussion/forum.html", forum=place, page=page, author_label=author_label)


@role_required(ISSUER, ADMIN)
def forum_new():
    form = ForumForm()
    if form.validate_on_submit():
        try:
            created = posting.create_forum(db.session, current_user, title=form.title.data, description=form.description.data or "")
        except DomainError as exc:
            db.session.rollback()
            exc.add_to(form.title)
        else:
            db.session.commit()
            flash(_("Forum created."), "success")
            return redirect(url_for("discussion.forum", slug=created.slug))
    return render_template("discussion/forum_new.html", form=form)


@role_required()
def course(slug: str):
    found, version = _course_or_404(slug)
    stmt = posting.threads_query(course_id=found.id).options(selectinload(Thread.author))
    page = paginate(stmt, per_page=posting.THREADS_PER_PAGE)
    lessons = {lesson.key: lesson.title for module in learning.version_outline(db.session, version) for lesson in module.lessons}
    return render_template(
        "discussion/course.html", course=found, version=version, page=page, lessons=lessons, lesson_key=None, lesson_title=None,
        author_label=author_label,
    )  # fmt: skip


@role_required()
def lesson(slug: str, key: str):
    found, version = _course_or_404(slug)
    title = _lesson_title(version, key)
    stmt = posting.threads_query(course_id=found.id, lesson_key=key).options(selectinload(Thread.author))
    page = paginate(stmt, per_page=posting.THREADS_PER_PAGE)
    return render_template(
        "discussion/course.html", course=found, version=version, page=page, lessons={key: title}, lesson_key=key, lesson_title=title,
        author_label=author_label,
    )  # fmt: skip


# --- starting a thread --------------------------------------------------------------------------------------------


def _start(form: ThreadForm, place: Place, back: str):
    if form.validate_on_submit():
        try:
            thread = posting.start_thread(
                db.session, current_user, place, title=form.title.data, body=form.body.data, files=_files(form),
                instance_path=current_app.instance_path,
            )  # fmt: skip
        except (UploadRejected, FilesRefused) as exc:
            db.session.rollback()
            exc.add_to(form.files)
        except DomainError as exc:
            db.session.rollback()
            exc.add_to(form.body)
        else:
            db.session.commit()
            flash(_("Thread started. You will be notified of replies."), "success")
            return redirect(url_for("discussion.thread", thread_id=thread.id))
    return render_template("discussion/thread_new.html", form=form, place=place, back=back)


@role_required()
def forum_thread_new(slug: str):
    place = or_404(posting.forum_by_slug(db.session, slug))
    return _start(ThreadForm(), Place(forum=place), url_for("discussion.forum", slug=slug))


@role_required()
def course_thread_new(slug: str):
    found, version = _course_or_404(slug)
    form = ThreadForm()
    key = (form.lesson.data if request.method == "POST" else request.args.get("lesson")) or None
    title = _lesson_title(version, key) if key else None
    form.lesson.data = key or ""
    back = url_for("discussion.lesson", slug=slug, key=key) if key else url_for("discussion.course", slug=slug)
    return _start(form, Place(course=found, lesson_key=key, lesson_title=title), back)


# --- a thread -----------------------------------------------------------------------------------------------------


def _thread_context(thread: Thread) -> dict:
    moderator = access.may_moderate_thread(current_user, thread)
    stmt = posting.posts_query(thread).options(
        selectinload(Post.author), selectinload(Post.attachments), selectinload(Post.quoted).selectinload(Post.author)
    )
    page = paginate(stmt, per_page=posting.POSTS_PER_PAGE)
    lesson_title = None
    if thread.lesson_key:
        version = learning.published_version(db.session, thread.course_id)
        lesson = learning.published_lesson(db.session, version, thread.lesson_key) if version else None
        lesson_title = lesson.title if lesson else thread.lesson_key
    return {
        "thread": thread, "page": page, "moderator": moderator, "lesson_title": lesson_title,
        "may_post": access.may_post(db.session, current_user, thread),
        "may_answer": access.may_mark_answer(current_user, thread),
        "subscribed": posting.is_subscribed(db.session, current_user.id, thread),
        "visible": lambda post: access.may_see_body(current_user, post, moderator),
        "may_edit": lambda post: access.may_edit(current_user, post),
        "staff": lambda post: _is_staff(post, thread), "author_label": author_label, "button": ButtonForm(),
    }  # fmt: skip


def _is_staff(post: Post, thread: Thread) -> bool:
    author = post.author
    if author is None or author.erased_at is not None:
        return False
    return access.may_moderate_thread(author, thread)


@role_required()
def thread(thread_id: int):
    found = _thread_or_404(thread_id)
    form = ReplyForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            post = posting.reply(
                db.session, current_user, found, body=form.body.data, quote_id=_quote_id(form.quote.data), files=_files(form),
                instance_path=current_app.instance_path,
            )  # fmt: skip
        except (UploadRejected, FilesRefused) as exc:
            db.session.rollback()
            exc.add_to(form.files)
        except DomainError as exc:
            db.session.rollback()
            exc.add_to(form.body)
        else:
            url = posting.post_url(db.session, post)
            db.session.commit()
            flash(_("Reply posted."), "success")
            return redirect(url)
    wanted = _quote_id(request.args.get("quote") if request.method == "GET" else form.quote.data)
    quote = posting.quotable(db.session, current_user, found, wanted)
    form.quote.data = str(quote.id) if quote else ""
    return render_template("discussion/thread.html", form=form, quote=quote, **_thread_context(found))


@role_required()
def edit(post_id: int):
    post = _post_or_404(post_id)
    if not access.may_edit(current_user, post):
        abort(403)
    form = EditForm(data={"body": post.body} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            posting.edit_post(db.session, current_user, post, form.body.data)
        except DomainError as exc:
            db.session.rollback()
            exc.add_to(form.body)
        else:
            url = posting.post_url(db.session, post)
            db.session.commit()
            flash(_("Post updated; the earlier version is kept for the moderators."), "success")
            return redirect(url)
    return render_template("discussion/edit.html", form=form, post=post)


@role_required()
def subscription(thread_id: int):
    found = _thread_or_404(thread_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if request.form.get("subscribe") == "1":
        posting.subscribe(db.session, current_user.id, found)
        flash(_("You will be notified of new replies in this thread."), "success")
    else:
        posting.unsubscribe(db.session, current_user.id, found)
        flash(_("You will no longer be notified of replies in this thread."), "success")
    db.session.commit()
    return redirect(url_for("discussion.thread", thread_id=found.id))


@role_required()
def attachment(attachment_id: int):
    row = or_404(db.session.get(PostAttachment, attachment_id))
    post = _post_or_404(row.post_id)
    if not access.may_see_body(current_user, post, access.may_moderate_thread(current_user, post.thread)):
        abort(404)
    root = posting.upload_dir(current_app.instance_path).resolve()
    path = (root / row.path).resolve()
    if not path.is_relative_to(root) or not Path(path).exists():
        abort(404)
    return send_file(path, mimetype=row.mimetype, as_attachment=True, download_name=row.filename)


def moderation_counts(user) -> dict:
    """The overview's numbers for a moderator (used by the dashboard panel too)."""
    return {"reports": moderation.open_report_count(db.session, user)}
