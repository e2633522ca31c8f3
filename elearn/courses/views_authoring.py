"""Authoring views: courses, modules, lessons (with preview and conflict check), quizzes, uploads in the browser."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..core.confirm import confirmation
from ..core.errors import or_404
from ..core.files import UploadRejected
from ..core.roles import ADMIN, TRAINER
from ..core.security import role_required
from ..extensions import db
from .forms import AssignmentForm, AuthoringListForm, CourseForm, LessonForm, ModuleForm, PreviewForm, QuizForm, UploadForm, lines
from .models import SOURCE_BROWSER, Course, Lesson, Module
from .services import authoring, checks, content, quiz_builder
from .services import format as fmt
from .services.uploads import AltTextMissing, course_files, markdown_snippet, save_upload

AUTHORS = (TRAINER, ADMIN)
OUTCOME_FIELDS = ("wiedza", "umiejetnosci", "kompetencje_spoleczne")


def _course_or_404(slug: str, *, editable: bool = True) -> Course:
    course = or_404(db.session.scalar(select(Course).where(Course.slug == slug)))
    if editable and course.source != SOURCE_BROWSER:
        flash(_("This course is maintained as files in the courses/ folder; change its files and run the sync."), "info")
        abort(redirect(url_for("courses.authoring")))
    return course


def _draft_module_or_404(course: Course, key: str) -> Module:
    return or_404(db.session.scalar(select(Module).where(Module.course_id == course.id, Module.version_id.is_(None), Module.key == key)))


def _draft_lesson_or_404(course: Course, key: str) -> Lesson:
    return or_404(db.session.scalar(select(Lesson).where(Lesson.course_id == course.id, Lesson.version_id.is_(None), Lesson.key == key)))


def _outcomes(form) -> dict:
    return {name: lines(form[name].data) for name in OUTCOME_FIELDS if lines(form[name].data)}


def _fill_outcomes(form, outcomes: dict) -> None:
    for name in OUTCOME_FIELDS:
        form[name].data = "\n".join((outcomes or {}).get(name, []))


@role_required(*AUTHORS)
def course_list():
    mine = AuthoringListForm().filter().mine.data
    rows = authoring.courses_for_authoring(db.session, user_id=current_user.id if mine else None)
    return render_template("courses/authoring/list.html", rows=rows, mine=mine)


def _prerequisite_choices(form: CourseForm, course: Course | None) -> None:
    form.prerequisites.choices = [SelectChoice(s, t) for s, t in authoring.prerequisite_choices(db.session, course)]


@role_required(*AUTHORS)
def course_new():
    form = CourseForm()
    _prerequisite_choices(form, None)
    if form.validate_on_submit():
        slug = form.slug.data or authoring.free_slug(db.session, form.title.data)
        if authoring.slug_taken(db.session, slug):
            form.slug.errors.append(_("A course with this address already exists."))
        else:
            course = authoring.create_course(
                db.session, user_id=current_user.id, slug=slug, title=form.title.data.strip(),
                summary=form.summary.data.strip(), role=form.role.data, hours=form.hours.data,
                authors=lines(form.authors.data), prerequisites=list(form.prerequisites.data or []), outcomes=_outcomes(form),
                quiz_attempts=form.quiz_attempts.data, quiz_wait_minutes=form.quiz_wait_minutes.data,
            )  # fmt: skip
            db.session.commit()
            flash(_("The course has been created. Add its modules."), "success")
            return redirect(url_for("courses.course_edit", slug=course.slug))
    return render_template("courses/authoring/course_form.html", form=form, course=None)


@role_required(*AUTHORS)
def course_edit(slug: str):
    course = _course_or_404(slug)
    form = CourseForm(obj=course) if request.method == "GET" else CourseForm()
    _prerequisite_choices(form, course)
    if request.method == "GET":
        form.authors.data = "\n".join(course.authors or [])
        form.prerequisites.data = list(course.prerequisites or [])
        _fill_outcomes(form, course.outcomes)
    form.slug.data = course.slug  # the address never changes
    if form.validate_on_submit():
        authoring.update_course(
            db.session, course, user_id=current_user.id, title=form.title.data.strip(), summary=form.summary.data.strip(),
            role=form.role.data, hours=form.hours.data, authors=lines(form.authors.data),
            prerequisites=list(form.prerequisites.data or []), outcomes=_outcomes(form),
            quiz_attempts=form.quiz_attempts.data, quiz_wait_minutes=form.quiz_wait_minutes.data,
        )  # fmt: skip
        db.session.commit()
        flash(_("The course has been saved."), "success")
        return redirect(url_for("courses.course_edit", slug=slug))
    modules = content.draft_modules(db.session, course)
    return render_template(
        "courses/authoring/course_form.html", form=form, course=course, modules=modules,
        unpublished=content.has_unpublished_changes(db.session, course), findings=checks.draft_findings(db.session, course),
    )  # fmt: skip


@role_required(*AUTHORS)
def course_publish(slug: str):
    course = _course_or_404(slug)
    page = confirmation(
        title=_("Publish %(title)s?", title=course.title),
        consequence=_(
            "Learners see the new version at once. A published version stays in the history and"
            " cannot be withdrawn; later changes need a new version."
        ),
        action=_("Publish"),
        cancel_url=url_for("courses.course_edit", slug=slug),
        summary=[(_("Course"), course.title), (_("Published versions so far"), course.published_number)],
        danger=False,
    )
    if page is not None:
        return page
    try:
        version = content.publish(db.session, course, actor_id=current_user.id)
    except content.PublishError as refusal:
        db.session.rollback()
        refusal.flash()
        flash(_("The course has not been published. Correct the problems above."), "error")
        return redirect(url_for("courses.course_edit", slug=slug))
    db.session.commit()
    if version is None:
        flash(_("There are no changes to publish."), "info")
    else:
        flash(_("Version %(number)s has been published. Learners see it now.", number=version.number), "success")
    return redirect(url_for("courses.course_edit", slug=slug))


@role_required(*AUTHORS)
def module_new(slug: str):
    course = _course_or_404(slug)
    form = ModuleForm()
    groups = _competence_choices(form, course, ())
    if form.validate_on_submit():
        module = authoring.add_module(db.session, course, user_id=current_user.id, title=form.title.data.strip(), hours=form.hours.data)
        _save_module(module, form)
        db.session.commit()
        flash(_("The module has been added."), "success")
        return redirect(url_for("courses.module_edit", slug=slug, key=module.key))
    return render_template("courses/authoring/module_form.html", form=form, course=course, module=None, groups=groups)


def _competence_choices(form: ModuleForm, course: Course, chosen) -> list:
    """The framework's competences offered for this course's role (grouped by area), as the form's choices."""
    groups = authoring.competence_groups(db.session, course.role, chosen)
    form.competences.choices = [SelectChoice(code, f"{code} {name}") for group in groups for code, name in group.competences]
    return groups


def _save_module(module: Module, form: ModuleForm) -> None:
    authoring.update_module(
        db.session, module, user_id=current_user.id, title=form.title.data.strip(), hours=form.hours.data,
        quiz_pass=form.quiz_pass.data if form.quiz_pass.data is not None else 70,
        competences=form.parsed_competences(), outcomes=_outcomes(form), intro=(form.intro.data or "").strip(),
    )  # fmt: skip


@role_required(*AUTHORS)
def module_edit(slug: str, key: str):
    course = _course_or_404(slug)
    module = _draft_module_or_404(course, key)
    form = ModuleForm(obj=module) if request.method == "GET" else ModuleForm()
    groups = _competence_choices(form, course, module.competences or {})
    if request.method == "GET":
        form.competences.data = list(module.competences or {})
        _fill_outcomes(form, module.outcomes)
    if form.validate_on_submit():
        _save_module(module, form)
        db.session.commit()
        flash(_("The module has been saved."), "success")
        return redirect(url_for("courses.module_edit", slug=slug, key=key))
    return render_template("courses/authoring/module_form.html", form=form, course=course, module=module, groups=groups)


# --- quiz builder (and its text view) -----------------------------------------------------------------------------


def _quiz_page(course: Course, module: Module, drafts: list, view: str, *, source: str | None = None, problems=None,
               source_errors=None, focus: int | None = None):  # fmt: skip
    data = {"view": view, "questions": quiz_builder.to_form_data(drafts)}
    data["source"] = quiz_builder.as_text(drafts) if source is None else source
    form = QuizForm(formdata=None, data=data)
    for index, messages in (problems or {}).items():
        form.questions[index].text.errors = [str(m) for m in messages]
    form.source.errors = list(source_errors or [])
    return render_template(
        "courses/authoring/quiz_form.html", form=form, course=course, module=module, view=view, problems=problems or {},
        focus=focus,
    )  # fmt: skip


def _index(action: str, prefix: str, drafts: list) -> int | None:
    number = action[len(prefix) :]
    return int(number) if number.isdigit() and int(number) < len(drafts) else None


def _builder_action(course: Course, module: Module, form: QuizForm, action: str):
    """A builder button that changes only the form (nothing is saved): add or remove, or switch to the text view."""
    drafts = quiz_builder.from_form_data(form.questions.data)
    focus = None
    if action == "add-question":
        drafts.append(quiz_builder.new_question())
        focus = len(drafts) - 1
    elif action == "to-text":
        return _quiz_page(course, module, drafts, "text")
    elif action.startswith("add-option-") and (index := _index(action, "add-option-", drafts)) is not None:
        drafts[index].options.append(quiz_builder.DraftOption())
        focus = index
    elif action.startswith("remove-question-") and (index := _index(action, "remove-question-", drafts)) is not None:
        del drafts[index]
    return _quiz_page(course, module, drafts, "form", focus=focus)


def _saved_quiz(slug: str, key: str, module: Module, questions: list):
    authoring.save_quiz(db.session, module, questions, user_id=current_user.id)
    db.session.commit()
    flash(_("The quiz has been saved."), "success")
    return redirect(url_for("courses.quiz_edit", slug=slug, key=key))


@role_required(*AUTHORS)
def quiz_edit(slug: str, key: str):
    """The module quiz: a form (add question, add answer, mark correct, explanation) or, as the advanced view, the
    quiz syntax of course files. Every button works without JavaScript; only "Save quiz" writes."""
    course = _course_or_404(slug)
    module = _draft_module_or_404(course, key)
    view = "text" if request.args.get("view") == "text" else "form"
    if request.method == "GET":
        drafts = quiz_builder.from_questions([content.question_to_format(q) for q in module.questions])
        return _quiz_page(course, module, drafts, view)
    form = QuizForm()
    if not form.validate_on_submit():
        return _quiz_page(course, module, [], "text", source=form.source.data or "", source_errors=_form_errors(form)), 400
    action = request.form.get("action", "save")
    if form.view.data == "text":
        try:
            questions = fmt.parse_quiz_text(form.source.data or "", label=_("line"))
        except fmt.FormatError as exc:
            return _quiz_page(course, module, [], "text", source=form.source.data or "", source_errors=exc.errors)
        if action == "to-form":
            return _quiz_page(course, module, quiz_builder.from_questions(questions), "form")
        return _saved_quiz(slug, key, module, questions)
    if action != "save":
        return _builder_action(course, module, form, action)
    drafts = quiz_builder.from_form_data(form.questions.data)
    problems = quiz_builder.problems(drafts)
    if problems:
        return _quiz_page(course, module, drafts, "form", problems=problems)
    return _saved_quiz(slug, key, module, quiz_builder.to_questions(drafts))


def _form_errors(form) -> list[str]:
    found: list[str] = []

    def walk(errors):
        if isinstance(errors, dict):
            for value in errors.values():
                walk(value)
        elif isinstance(errors, list):
            for value in errors:
                walk(value) if isinstance(value, dict | list) else found.append(str(value))

    walk(form.errors)
    return found or [_("The form could not be read. Try again.")]


@role_required(*AUTHORS)
def module_move(slug: str, key: str):
    course = _course_or_404(slug)
    module = _draft_module_or_404(course, key)
    authoring.move_module(db.session, course, module, -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return redirect(url_for("courses.course_edit", slug=slug) + "#modules")


@role_required(*AUTHORS)
def module_delete(slug: str, key: str):
    course = _course_or_404(slug)
    module = _draft_module_or_404(course, key)
    page = confirmation(
        title=_("Delete the module %(title)s?", title=module.title),
        consequence=_("The module and its lessons are deleted from the draft. Published versions keep them."),
        action=_("Delete the module"),
        cancel_url=url_for("courses.course_edit", slug=slug),
        summary=[(_("Course"), course.title), (_("Lessons"), len(module.lessons))],
    )
    if page is not None:
        return page
    authoring.delete_module(db.session, course, module, user_id=current_user.id)
    db.session.commit()
    flash(_("The module has been deleted from the draft."), "success")
    return redirect(url_for("courses.course_edit", slug=slug))


def _token_expired(form) -> bool:
    """True when only the form's CSRF token failed (the page was open too long): the typed text is kept in the
    re-rendered form with a new token, and nothing is saved until the author sends it again."""
    token = getattr(form, "csrf_token", None)  # absent when CSRF is switched off (tests)
    if not form.is_submitted() or token is None or not token.errors:
        return False
    token.errors = []  # the page says what happened in words; the summary lists only real field errors
    return True


@role_required(*AUTHORS)
def lesson_new(slug: str, key: str):
    course = _course_or_404(slug)
    module = _draft_module_or_404(course, key)
    form = LessonForm()
    preview = None
    if request.method == "POST" and form.insert_image.data:
        _insert_upload(course, form)
    elif form.validate_on_submit():
        if form.preview.data:
            preview = content.preview_html(form.source.data, course.slug)
        else:
            lesson = authoring.add_lesson(
                db.session, course, module, user_id=current_user.id, title=form.title.data.strip(), source=form.source.data.strip()
            )
            db.session.commit()
            flash(_("The lesson has been added."), "success")
            return redirect(url_for("courses.lesson_edit", slug=slug, key=lesson.key))
    expired = _token_expired(form)
    return render_template(
        "courses/authoring/lesson_form.html", form=form, course=course, module=module, lesson=None, preview=preview, expired=expired
    )


def _insert_upload(course: Course, form: LessonForm) -> None:
    """ "Insert into the text" without JavaScript: upload the file and add its Markdown at the end of the text, which
    is shown again unsaved (with JavaScript, courses.js uploads it and inserts the snippet where the cursor is)."""
    upload = form.image.data
    if not upload or not getattr(upload, "filename", ""):
        form.image.errors = [_("Choose a file.")]
        return
    try:
        saved = save_upload(
            db.session, filename=upload.filename, data=upload.read(), course_id=course.id, user_id=current_user.id,
            alt=form.image_alt.data or "",
        )  # fmt: skip
    except UploadRejected as rejected:
        db.session.rollback()
        rejected.add_to(form.image_alt if isinstance(rejected, AltTextMissing) else form.image)
        return
    db.session.commit()
    form.source.data = ((form.source.data or "").rstrip() + "\n\n" + saved.snippet + "\n").lstrip()
    form.image_alt.data = ""
    flash(_("The file has been added at the end of the text. Save the lesson to keep it."), "success")


@role_required(*AUTHORS)
def lesson_edit(slug: str, key: str):
    course = _course_or_404(slug)
    lesson = _draft_lesson_or_404(course, key)
    module = lesson.module
    form = LessonForm(obj=lesson) if request.method == "GET" else LessonForm()
    if request.method == "GET":
        form.row_version.data = str(lesson.row_version)
    preview = conflict = None
    if request.method == "POST" and form.insert_image.data:
        _insert_upload(course, form)
    elif form.validate_on_submit():
        if form.preview.data:
            preview = content.preview_html(form.source.data, course.slug)
        else:
            expected = int(form.row_version.data) if (form.row_version.data or "").isdigit() else -1
            try:
                authoring.save_lesson(
                    db.session, lesson, user_id=current_user.id, title=form.title.data.strip(),
                    source=form.source.data.strip(), expected_version=expected,
                )  # fmt: skip
            except authoring.EditConflict as exc:
                db.session.rollback()
                conflict = exc
                form.row_version.data = str(exc.row_version)  # saving again now overwrites, knowingly
            else:
                db.session.commit()
                flash(_("The lesson has been saved."), "success")
                return redirect(url_for("courses.lesson_edit", slug=slug, key=key))
    expired = _token_expired(form)
    return render_template(
        "courses/authoring/lesson_form.html", form=form, course=course, module=module, lesson=lesson, preview=preview,
        conflict=conflict, expired=expired,
    )  # fmt: skip


@role_required(*AUTHORS)
def lesson_delete(slug: str, key: str):
    course = _course_or_404(slug)
    lesson = _draft_lesson_or_404(course, key)
    module = lesson.module
    page = confirmation(
        title=_("Delete the lesson %(title)s?", title=lesson.title),
        consequence=_("The lesson is deleted from the draft. Published versions keep it."),
        action=_("Delete the lesson"),
        cancel_url=url_for("courses.module_edit", slug=slug, key=module.key),
        summary=[(_("Course"), course.title), (_("Module"), module.title)],
    )
    if page is not None:
        return page
    authoring.delete_lesson(db.session, module, lesson, user_id=current_user.id)
    db.session.commit()
    flash(_("The lesson has been deleted from the draft."), "success")
    return redirect(url_for("courses.module_edit", slug=slug, key=module.key))


def _assignment_or_404(module: Module, key: str) -> dict:
    return next((row for row in module.assignments or [] if row["key"] == key), None) or abort(404)


@role_required(*AUTHORS)
def assignment_edit(slug: str, key: str, assignment_key: str | None = None):
    """Add (no assignment_key) or edit a practical assignment of a draft module."""
    course = _course_or_404(slug)
    module = _draft_module_or_404(course, key)
    row = _assignment_or_404(module, assignment_key) if assignment_key else None
    form = AssignmentForm()
    groups = authoring.competence_groups(db.session, course.role, row["competences"] if row else ())
    form.competences.choices = [code for group in groups for code, _name in group.competences]
    if request.method == "GET" and row is not None:
        form.title.data, form.instructions.data = row["title"], row["instructions"]
        form.competences.data = dict(row["competences"])
        form.criteria.data = "\n".join(row.get("criteria") or [])
        form.form.data, form.due_days.data = " ".join(row.get("form") or ["text"]), row.get("due_days")
    if form.validate_on_submit():
        assignment = fmt.Assignment(
            key="", title=form.title.data.strip(), instructions=form.instructions.data.strip(),
            competences=form.parsed_competences(), criteria=form.parsed_criteria(), form=form.form.data.split(),
            due_days=form.due_days.data,
        )  # fmt: skip
        authoring.save_assignment(db.session, module, assignment, user_id=current_user.id, key=assignment_key)
        db.session.commit()
        flash(_("The assignment has been saved."), "success")
        return redirect(url_for("courses.module_edit", slug=slug, key=key) + "#assignments")
    return render_template("courses/authoring/assignment_form.html", form=form, course=course, module=module, row=row, groups=groups)


@role_required(*AUTHORS)
def assignment_delete(slug: str, key: str, assignment_key: str):
    course = _course_or_404(slug)
    module = _draft_module_or_404(course, key)
    row = _assignment_or_404(module, assignment_key)
    page = confirmation(
        title=_("Delete the assignment %(title)s?", title=row["title"]),
        consequence=_("The assignment is deleted from the draft. Published versions and submitted work keep it."),
        action=_("Delete the assignment"),
        cancel_url=url_for("courses.module_edit", slug=slug, key=key) + "#assignments",
        summary=[(_("Course"), course.title), (_("Module"), module.title)],
    )
    if page is not None:
        return page
    authoring.delete_assignment(db.session, module, assignment_key, user_id=current_user.id)
    db.session.commit()
    flash(_("The assignment has been deleted from the draft."), "success")
    return redirect(url_for("courses.module_edit", slug=slug, key=key) + "#assignments")


@role_required(*AUTHORS)
def preview():
    """Live preview for courses.js: the same renderer learners see."""
    form = PreviewForm()
    if not form.validate_on_submit():
        return jsonify({"error": _("The text could not be previewed.")}), 400
    course = request.args.get("course", "")
    return jsonify({"html": content.preview_html(form.source.data or "", course if fmt.SLUG_RE.match(course) else None)})


@role_required(*AUTHORS)
def uploads(slug: str):
    course = _course_or_404(slug)
    form = UploadForm()
    snippet = None
    wants_json = request.accept_mimetypes.best == "application/json"
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            saved = save_upload(
                db.session, filename=form.file.data.filename or "", data=data, course_id=course.id, user_id=current_user.id,
                alt=form.alt.data or "",
            )  # fmt: skip
        except UploadRejected as rejected:
            rejected.add_to(form.alt if isinstance(rejected, AltTextMissing) else form.file)
        else:
            db.session.commit()
            if wants_json:  # the lesson editor inserts the snippet where the cursor is
                return jsonify({"snippet": saved.snippet})
            snippet = saved.snippet
            flash(_("The file has been uploaded. Copy the Markdown snippet into a lesson."), "success")
    if wants_json and request.method == "POST":
        errors = [str(e) for field in (form.file, form.alt) for e in field.errors] or [_("The file could not be uploaded.")]
        return jsonify({"errors": errors, "field": "alt" if form.alt.errors else "file"}), 400
    files = course_files(db.session, course.id)
    return render_template(
        "courses/authoring/uploads.html", form=form, course=course, files=files, snippet=snippet, snippet_for=markdown_snippet
    )


def trainer_panel(user):
    rows = authoring.courses_for_authoring(db.session, user_id=user.id)
    return {"rows": rows}
