"""Assessment requests: a learner asks, the trainers the request was routed to answer it (thin views over
services.requests, which holds the routing and the object-level checks)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.confirm import confirmation
from ..core.files import UploadRejected
from ..core.roles import ADMIN, LEARNER, TRAINER
from ..core.security import role_required
from ..extensions import db
from . import forms
from .models import REQUEST_STATUS_LABELS, REQUEST_STATUSES
from .services import framework as fw
from .services import requests as request_service


def _competence_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} {c.name}") for c in fw.competences_by_code(db.session).values()]


@role_required(LEARNER)
def request_new():
    if fw.current_framework(db.session) is None:
        abort(404)
    form = forms.AssessmentRequestForm()
    form.code.choices = [("", _("— choose —")), *_competence_choices()]
    if request.method == "GET" and request.args.get("code") in dict(form.code.choices):
        form.code.data = request.args["code"]
    if form.validate_on_submit():
        upload = form.document.data
        document = None
        if upload and upload.filename:
            document = (upload.filename, upload.read(current_app.config["RPL_DOCUMENT_MAX_BYTES"] + 1))
        try:
            request_service.create_request(
                db.session,
                instance_path=current_app.instance_path,
                user=current_user,
                code=form.code.data,
                description=form.description.data,
                document=document,
            )
        except UploadRejected as rejected:  # the wrong file, or the server could not store it
            db.session.rollback()
            rejected.add_to(form.document)
        except request_service.RequestRefused as refused:
            db.session.rollback()
            refused.add_to(form.code)
        else:
            db.session.commit()
            flash(_("Your request has been sent. A trainer will assess it or tell you why not."), "success")
            return redirect(url_for("competencies.my_requests"))
    status = 400 if form.errors else 200
    return render_template("competencies/request_new.html", form=form), status


@role_required(LEARNER)
def my_requests():
    items = request_service.requests_of(db.session, current_user.id)
    return render_template(
        "competencies/my_requests.html",
        items=items,
        names=fw.competence_names(db.session, {r.competence_code for r in items}),
        scale=fw.scale_labels(db.session),
    )


@role_required(TRAINER, ADMIN)
def request_queue():
    form = forms.RequestStatusForm(request.args)
    form.status.choices = [("", _("any status")), *[(s, str(REQUEST_STATUS_LABELS[s])) for s in REQUEST_STATUSES]]
    status = form.status.data if form.validate() and form.status.data else None
    page = db.paginate(request_service.queue_query(current_user, status), per_page=25, error_out=False)
    return render_template(
        "competencies/request_queue.html",
        form=form,
        page=page,
        status=status or "",
        names=fw.competence_names(db.session, {r.competence_code for r in page.items}),
    )


def _reviewable_or_404(request_id: int):
    try:
        return request_service.request_for_reviewer(db.session, current_user, request_id)
    except request_service.RequestNotFound:
        abort(404)


def _assess_form() -> forms.RequestAssessForm:
    form = forms.RequestAssessForm(prefix="assess")
    form.level.choices = [(level, f"{level} — {name}") for level, name in fw.scale_labels(db.session).items() if level >= 1]
    return form


def _render_detail(item, assess_form, decline_form, status: int = 200):
    competence = fw.competences_by_code(db.session).get(item.competence_code)
    may_answer = item.is_open and item.user_id != current_user.id and current_user.has_role(TRAINER)
    return render_template(
        "competencies/request_detail.html",
        item=item,
        competence=competence,
        assess_form=assess_form,
        decline_form=decline_form,
        may_answer=may_answer,
        scale=fw.scale_labels(db.session),
    ), status


@role_required(TRAINER, ADMIN)
def request_detail(request_id: int):
    item = _reviewable_or_404(request_id)
    return _render_detail(item, _assess_form(), forms.RequestDeclineForm(prefix="decline"))


@role_required(TRAINER)
def request_assess(request_id: int):
    item = _reviewable_or_404(request_id)
    form = _assess_form()
    if not form.validate_on_submit():
        return _render_detail(item, form, forms.RequestDeclineForm(prefix="decline", formdata=None), 400)
    try:
        request_service.assess(db.session, item, trainer=current_user, level=form.level.data, note=form.note.data)
    except request_service.RequestRefused as refused:
        db.session.rollback()
        refused.flash()
        return redirect(url_for("competencies.request_detail", request_id=request_id))
    db.session.commit()
    flash(_("The assessment has been saved and the learner has been notified."), "success")
    return redirect(url_for("competencies.request_queue"))


@role_required(TRAINER)
def request_decline(request_id: int):
    item = _reviewable_or_404(request_id)
    form = forms.RequestDeclineForm(prefix="decline")
    if not form.validate_on_submit():
        return _render_detail(item, _assess_form_empty(), form, 400)
    page = confirmation(
        title=_("Decline the assessment request?"),
        consequence=_("The learner is told that the request was declined, with your reason. The decision cannot be changed."),
        action=_("Decline the request"),
        cancel_url=url_for("competencies.request_detail", request_id=request_id),
        summary=[(_("Learner"), item.user.full_name), (_("Competence"), item.competence_code)],
        fields=[form.reason],
    )
    if page is not None:
        return page
    try:
        request_service.decline(db.session, item, trainer=current_user, reason=form.reason.data)
    except request_service.RequestRefused as refused:
        db.session.rollback()
        refused.flash()
        return redirect(url_for("competencies.request_detail", request_id=request_id))
    db.session.commit()
    flash(_("The request has been declined and the learner has been notified."), "success")
    return redirect(url_for("competencies.request_queue"))


def _assess_form_empty() -> forms.RequestAssessForm:
    form = forms.RequestAssessForm(prefix="assess", formdata=None)
    form.level.choices = [(level, f"{level} — {name}") for level, name in fw.scale_labels(db.session).items() if level >= 1]
    return form


@role_required()
def request_document(request_id: int):
    from .models import AssessmentRequest

    item = db.session.get(AssessmentRequest, request_id)
    if item is None:
        abort(404)
    if item.user_id != current_user.id:
        _reviewable_or_404(request_id)
    path = request_service.document_file(current_app.instance_path, item) or abort(404)
    return send_file(path, mimetype=item.document_mimetype, as_attachment=True, download_name=item.document_name or path.name)


def requests_panel(user) -> dict | None:
    """The trainer's dashboard: how many requests routed to them wait for an answer."""
    return {"open_requests": request_service.open_count(db.session, user)}
