"""Learning views: catalogue, course page, enrolment, lesson player, quizzes (URLs are registered in blueprint.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..core.db import commit_keeping_loaded
from ..core.errors import or_404
from ..core.registry import registry
from ..core.security import role_required
from ..extensions import db
from .forms import CatalogueFilterForm, quiz_form
from .models import ROLES, Attachment
from .services import catalogue as catalogue_service
from .services import learning, quiz_rules, uploads

ROLE_LABELS = {
    "animator": _l("Community animator"),
    "mediator": _l("Mediator"),
    "polityk": _l("Local social policy maker"),
    "wspolne": _l("Common core"),
}
OUTCOME_LABELS = {
    "wiedza": _l("Knowledge"),
    "umiejetnosci": _l("Skills"),
    "kompetencje_spoleczne": _l("Social competences"),
}


def role_choices(session) -> list[tuple[str, str]]:  # noqa: ARG001 - a search filter provider
    """The search page's role filter: the course roles (competences use the same codes)."""
    return [(role, ROLE_LABELS[role]) for role in ROLES]


def course_choices(session) -> list[tuple[str, str]]:
    """The search page's course filter: published courses by title."""
    return [(str(c.id), v.title) for c, v in catalogue_service.published_course_titles(session)]


def course_labels() -> dict:
    """Template context: display names of course roles and outcome kinds (registered in blueprint.py)."""
    return {"course_role_labels": ROLE_LABELS, "outcome_labels": OUTCOME_LABELS}


def _published_or_404(slug: str):
    return or_404(learning.published_course(db.session, slug))


@role_required()
def catalogue():
    form = CatalogueFilterForm().filter()
    entries = catalogue_service.published_courses(db.session, role=form.role.data or None, query=form.q.data or None)
    enrolled = catalogue_service.enrolment_map(db.session, current_user.id)
    return render_template("courses/catalogue.html", entries=entries, form=form, enrolled=enrolled)


@role_required()
def course(slug: str):
    course, version = _published_or_404(slug)
    modules = learning.version_outline(db.session, version)
    enrolment = learning.get_enrolment(db.session, current_user.id, course.id)
    progress = learning.course_progress(db.session, current_user.id, course, version, modules, enrolment) if enrolment else None
    prerequisites = catalogue_service.prerequisite_courses(db.session, version)
    missing = learning.missing_prerequisites(db.session, current_user.id, version) if not enrolment else []
    return render_template(
        "courses/course.html", course=course, version=version, modules=modules, enrolment=enrolment,
        progress=progress, prerequisites=prerequisites, missing=missing,
    )  # fmt: skip


@role_required()
def enrol(slug: str):
    course, version = _published_or_404(slug)
    try:
        learning.enrol(db.session, current_user.id, course, version)
    except learning.PrerequisitesMissing as refusal:
        refusal.flash()
        return redirect(url_for("courses.course", slug=slug))
    db.session.commit()
    flash(_("You are enrolled. Good luck!"), "success")
    progress = learning.course_progress(db.session, current_user.id, course, version)
    if progress.next_lesson is not None:
        return redirect(url_for("courses.lesson", slug=slug, key=progress.next_lesson.key))
    return redirect(url_for("courses.course", slug=slug))


def _require_enrolment(course, slug: str):
    enrolment = learning.get_enrolment(db.session, current_user.id, course.id)
    if enrolment is None:
        flash(_("Enrol in the course to study its lessons."), "info")
        return None, redirect(url_for("courses.course", slug=slug))
    return enrolment, None


@role_required()
def module(slug: str, key: str):
    course, version = _published_or_404(slug)
    modules = learning.version_modules(db.session, version)
    current = or_404(next((m for m in modules if m.key == key), None))
    enrolment = learning.get_enrolment(db.session, current_user.id, course.id)
    progress = learning.course_progress(db.session, current_user.id, course, version, modules) if enrolment else None
    module_progress = next((p for p in progress.modules if p.module.key == key), None) if progress else None
    return render_template(
        "courses/module.html", course=course, version=version, module=current, enrolment=enrolment,
        progress=progress, module_progress=module_progress,
    )  # fmt: skip


@role_required()
def lesson(slug: str, key: str):
    course, version, current = or_404(learning.published_lesson_page(db.session, slug, key))
    or_404(current)  # a published course without this lesson
    enrolment, response = _require_enrolment(course, slug)
    if response:
        return response
    modules = learning.version_outline(db.session, version)
    module, previous, following = learning.lesson_neighbours(modules, key)
    progress = learning.course_progress(db.session, current_user.id, course, version, modules, enrolment)
    module_progress = next(p for p in progress.modules if p.module.key == module.key)
    return render_template(
        "courses/lesson.html", course=course, version=version, module=module, lesson=current, previous=previous,
        following=following, progress=progress, module_progress=module_progress, done=key in progress.done,
        last_in_module=following is None or following[0].key != module.key,
        sections=registry.slot_sections(
            "courses.lesson", current_user, competences=module.competences, course=course, lesson=current, enrolment=enrolment
        ),
    )  # fmt: skip


@role_required()
def lesson_done(slug: str, key: str):
    course, version = _published_or_404(slug)
    _enrolment, response = _require_enrolment(course, slug)
    if response:
        return response
    outline = learning.version_outline(db.session, version)  # the lesson exists: no need to load its body
    or_404(next((lesson for module in outline for lesson in module.lessons if lesson.key == key), None))
    learning.mark_lesson_done(db.session, current_user.id, course, version, key)
    db.session.commit()
    flash(_("Lesson marked as done."), "success")
    # Back to the same lesson: the learner moves on with the next link (or to the quiz) when ready.
    return redirect(url_for("courses.lesson", slug=slug, key=key) + "#lesson-nav")


@role_required()
def quiz(slug: str, key: str):
    course, version = _published_or_404(slug)
    _enrolment, response = _require_enrolment(course, slug)
    if response:
        return response
    outline = learning.version_outline(db.session, version)
    index = or_404(next((i for i, m in enumerate(outline) if m.key == key), None))
    if not outline[index].has_quiz:
        abort(404)
    module = learning.module_quiz(db.session, version, key)
    gate = quiz_rules.quiz_gate(db.session, current_user.id, version, module.key)
    # This attempt's option order; kept for its result page, since the attempt is counted only after it is shown.
    seed = quiz_rules.attempt_seed(current_user.id, course.id, module.key, gate.used)
    form = quiz_form(module, quiz_rules.option_orders(module, seed))
    result, refused = None, []
    if form.validate_on_submit():
        try:
            result = learning.submit_quiz(db.session, current_user.id, course, version, module, form.answers())
        except quiz_rules.QuizRefused as exc:
            db.session.rollback()
            refused = exc.errors
        else:
            commit_keeping_loaded(db.session)  # the result page shows the quiz's content again: nothing to reload
            gate = quiz_rules.quiz_gate(db.session, current_user.id, version, module.key)
    history = learning.attempts(db.session, current_user.id, course.id, module.key)
    progress = learning.course_progress(db.session, current_user.id, course, version, outline)
    module_progress = progress.modules[index]
    following = outline[index + 1] if index + 1 < len(outline) else None
    return render_template(
        "courses/quiz.html", course=course, version=version, module=module, form=form, result=result, history=history,
        module_progress=module_progress, progress=progress, gate=gate, refused=refused, following=following,
    )  # fmt: skip


@role_required()
def upload(name: str):
    attachment = or_404(db.session.scalar(select(Attachment).where(Attachment.stored_name == name)))
    return _send_attachment(attachment, download_name=attachment.filename)


@role_required()
def media(slug: str, name: str):
    """A course's image or handout (`media/<name>` in its Markdown), for the people who may read the course."""
    attachment = or_404(uploads.readable_media(db.session, current_user, slug, name))
    return _send_attachment(attachment, download_name=attachment.media_name)


def _send_attachment(attachment: Attachment, download_name: str):
    path = uploads.stored_path(attachment)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=attachment.mime, as_attachment=not attachment.is_image, download_name=download_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if attachment.is_image:
        response.headers["Content-Disposition"] = "inline"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- dashboard panels --------------------------------------------------------------------------------------------


def learner_panel(user):
    rows = learning.courses_in_progress(db.session, user.id)
    if not rows:
        return None
    return {"rows": rows}
