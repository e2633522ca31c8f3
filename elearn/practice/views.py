"""Pages of practical assignments: the learner's work and history, the trainer's review queue and review page."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.files import UploadRejected
from ..core.registry import registry
from ..core.roles import TRAINER
from ..core.security import role_required
from ..courses.services.learning import get_enrolment
from ..extensions import db
from . import services
from .forms import MET, QueueFilterForm, WorkForm, review_form
from .models import REVISE, STATUS_LABELS, SUBMITTED, Submission, SubmissionFile

# --- learner ---------------------------------------------------------------------------------------------------


@role_required()
def my_assignments():
    rows = services.my_assignments(db.session, current_user.id)
    return render_template("practice/my_assignments.html", rows=rows)


@role_required()
def assignment(slug: str, module_key: str, key: str):
    ref = services.find_assignment(db.session, slug, module_key, key) or abort(404)
    enrolment = get_enrolment(db.session, current_user.id, ref.course.id)
    submission = services.submission_for(db.session, current_user.id, ref)
    editable = enrolment is not None and (submission is None or submission.status in ("draft", REVISE))
    form = WorkForm()
    if request.method == "GET" and submission is not None and submission.latest is not None:
        form.text.data = submission.latest.text
    if request.method == "POST":
        if not editable:
            flash(_("This assignment cannot be changed now."), "error")
            return redirect(url_for("practice.assignment", slug=slug, module_key=module_key, key=key))
        if form.validate_on_submit():
            files = [(f.filename, f.read()) for f in form.files.data or [] if f and f.filename]
            try:
                services.save_work(
                    db.session, user=current_user, ref=ref, text=form.text.data or "", files=files,
                    instance_path=current_app.instance_path, submit=bool(form.submit.data),
                )  # fmt: skip
            except UploadRejected as exc:
                db.session.rollback()
                exc.add_to(form.files)
            except services.PracticeError as exc:
                db.session.rollback()
                exc.add_to(form.text if "text" in ref.form else form.files)
            else:
                db.session.commit()
                flash(_("Your work has been submitted for review.") if form.submit.data else _("Draft saved."), "success")
                return redirect(url_for("practice.assignment", slug=slug, module_key=module_key, key=key))
    return render_template(
        "practice/assignment.html", ref=ref, submission=submission, form=form, editable=editable, enrolment=enrolment,
        due=services.due_date(enrolment, ref), criteria=services.rubric(db.session, ref),
        sections=_sections(ref),
    )  # fmt: skip


def _sections(ref) -> list[tuple[str, dict]]:
    """What higher domains add under an assignment (the knowledge base's "read more" on its competences)."""
    return registry.slot_sections("practice.assignment", current_user, competences=list(ref.data.get("competences") or {}))


def _visible_submission(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id) or abort(404)
    if submission.user_id != current_user.id and not services.may_review(current_user, submission):
        abort(404)
    return submission


@role_required()
def submission(submission_id: int):
    item = _visible_submission(submission_id)
    ref = services.assignment_of(db.session, item)
    return render_template("practice/submission.html", submission=item, ref=ref)


@role_required()
def file(file_id: int):
    row = db.session.get(SubmissionFile, file_id) or abort(404)
    _visible_submission(row.version.submission_id)
    root = services.upload_dir(current_app.instance_path).resolve()
    path = (root / row.path).resolve()
    if not path.is_relative_to(root) or not Path(path).exists():
        abort(404)
    return send_file(path, mimetype=row.mimetype, as_attachment=True, download_name=row.name)


# --- trainer ---------------------------------------------------------------------------------------------------


@role_required(TRAINER)
def queue():
    form = QueueFilterForm(request.args)
    form.fill(services.reviewable_courses(db.session, current_user.id))
    if "status" not in request.args:
        form.status.data = SUBMITTED
    if not form.validate():
        form.course.data, form.status.data = 0, SUBMITTED
    stmt = services.review_queue(current_user, course_id=form.course.data or None, status=form.status.data or None)
    page = db.paginate(stmt, per_page=services.PAGE_SIZE, error_out=False)
    return render_template("practice/queue.html", form=form, page=page)


@role_required(TRAINER)
def review(submission_id: int):
    item = db.session.get(Submission, submission_id) or abort(404)
    if not services.may_review(current_user, item):
        abort(404)
    ref = services.assignment_of(db.session, item) or abort(404)
    criteria = services.rubric(db.session, ref)
    form = review_form(criteria, request.form if request.method == "POST" else None)
    waiting = item.status == SUBMITTED
    if request.method == "POST" and waiting and form.validate_on_submit():
        met = [field.data == MET for field in form.criteria_fields]
        try:
            services.review(
                db.session, trainer=current_user, submission=item, met=met, decision=form.decision.data, feedback=form.feedback.data
            )
        except services.PracticeError as exc:
            db.session.rollback()
            exc.add_to(form.decision)
        else:
            db.session.commit()
            flash(_("Review saved: %(decision)s.", decision=STATUS_LABELS[form.decision.data]), "success")
            return redirect(url_for("practice.queue"))
    return render_template("practice/review.html", submission=item, ref=ref, criteria=criteria, form=form, waiting=waiting)


def trainer_panel(user):
    """The dashboard panel: how many submissions wait for this trainer."""
    return {"waiting": services.waiting_count(db.session, user)}
