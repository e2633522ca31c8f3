"""Certificates: issuer queue, register, revocation, bulk jobs, learner pages, branding, public verification."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..core.audit import audit
from ..core.confirm import confirmation
from ..core.errors import or_404
from ..core.exports import CSV_MIMETYPE, XLSX_MIMETYPE, download
from ..core.files import UploadRejected
from ..core.jobs import enqueue
from ..core.pagination import paginate
from ..core.registry import registry
from ..core.roles import ADMIN, ISSUER
from ..core.security import role_required
from ..core.timeutil import to_local, utcnow
from ..courses.models import Course
from ..courses.services import catalogue
from ..extensions import db, limiter
from . import bulk, roles, services
from .forms import BrandingForm, BulkForm, QueueFilterForm, RegisterSearchForm, RejectForm, RequestCertificateForm, RevokeForm, VerifyForm
from .models import REVOKED, BulkJob, Certificate
from .register import export_csv, export_xlsx, register_query

QUEUE_PAGE_SIZE = 50  # rows per page of the issuer's queue: a project wave can put a thousand people in it


def _verify_limit() -> str:
    return current_app.config["RATELIMIT_VERIFY"]


def learner_panel(user) -> dict | None:
    completed = catalogue.completed_enrolments(db.session, user.id)
    if not completed:
        return None
    requests = {r.course_id: r for r in services.requests_of(db.session, user.id)}
    certificates = {c.course_id: c for c in services.certificates_of(db.session, user.id) if c.status != REVOKED}
    return {"completed": completed, "requests": requests, "certificates": certificates}


# --- issuer ---------------------------------------------------------------------------------------------------


ISSUER_PANEL_ROWS = 5


def issuer_panel(_user) -> dict:
    """The issuer's dashboard: how many people wait for a certificate (the oldest first) and the latest register
    entries; shown even when both are empty, so the issuer never reads the learner's "when you enrol" text."""
    return services.issuer_overview(db.session, rows=ISSUER_PANEL_ROWS)


def _course_choices() -> list[tuple[int, str]]:
    return catalogue.published_course_choices(db.session)


@role_required(ISSUER)
def queue():
    courses = _course_choices()
    form = QueueFilterForm()
    form.course_id.choices = [(0, _("all courses")), *courses]
    form.filter()
    course_id = form.course_id.data or None
    query = services.issuer_queue_query(course_id=course_id, period_from=form.period_from.data, period_to=form.period_to.data)
    page = paginate(query, per_page=QUEUE_PAGE_SIZE)
    entries = services.queue_entries(db.session, list(page.items))
    filters = {
        "course_id": course_id or "",
        "period_from": request.args.get("period_from", ""),
        "period_to": request.args.get("period_to", ""),
    }
    bulk_form = BulkForm(
        formdata=None, data={"course_id": course_id, "period_from": form.period_from.data, "period_to": form.period_to.data}
    )
    bulk_form.course_id.choices = courses
    return render_template(
        "certificates/queue.html",
        entries=entries,
        page=page,
        filters=filters,
        form=form,
        bulk_form=bulk_form,
        course_id=course_id,
        role_entries=roles.role_queue(db.session, limit=roles.ROLE_QUEUE_ROWS),
        role_waiting=roles.role_queue_count(db.session),
        role_choices=[(code, name) for code, name, _profile in roles.certifiable_roles(db.session)],
        reviews=roles.open_reviews(db.session),
    )


def _pair(value: str) -> tuple[User, Course] | None:
    user_id, _sep, course_id = value.partition(":")
    if not (user_id.isdigit() and course_id.isdigit()):
        return None
    user, course = db.session.get(User, int(user_id)), db.session.get(Course, int(course_id))
    return (user, course) if user and course else None


@role_required(ISSUER)
def issue():
    """Issue one or a selection; each in its own transaction so one refusal does not undo the others."""
    selected = [p for p in (_pair(v) for v in request.form.getlist("selected")) if p]
    if not selected:
        flash(_("Select at least one person."), "error")
        return redirect(url_for("certificates.queue"))
    page = confirmation(
        title=_("Issue %(count)d certificate(s)?", count=len(selected)),
        consequence=_(
            "Each certificate gets a number in the register and can be verified publicly."
            " An issued certificate can only be revoked, not deleted."
        ),
        action=_("Issue the certificates"),
        cancel_url=url_for("certificates.queue"),
        items=[f"{user.full_name} — {course.title}" for user, course in selected],
        danger=False,
    )
    if page is not None:
        return page
    issued, refused = [], []
    for user, course in selected:
        try:
            certificate = services.issue_certificate(db.session, user, course, issued_by_id=current_user.id)
            db.session.commit()
            issued.append(certificate.number)
        except services.NotEligible as refusal:
            db.session.rollback()
            refused.extend(refusal.errors)
        except IntegrityError:
            db.session.rollback()
            refused.append(_("already issued"))
    if issued:
        flash(_("Issued %(count)s certificate(s): %(numbers)s", count=len(issued), numbers=", ".join(issued)), "success")
    for message in refused:
        flash(message, "error")
    return redirect(url_for("certificates.queue"))


@role_required(ISSUER)
def reject(user_id: int, course_id: int):
    user = or_404(db.session.get(User, user_id))
    course = or_404(db.session.get(Course, course_id))
    form = RejectForm()
    if form.validate_on_submit():
        services.reject(db.session, user, course, reason=form.reason.data, actor_id=current_user.id)
        db.session.commit()
        flash(_("The request was rejected."), "success")
        return redirect(url_for("certificates.queue"))
    return render_template("certificates/reject.html", form=form, person=user, course=course)


@role_required(ISSUER)
def bulk_issue():
    form = BulkForm()
    form.course_id.choices = _course_choices()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("certificates.queue"))
    course = or_404(db.session.get(Course, form.course_id.data))
    user_ids = bulk.eligible_user_ids(db.session, course, form.period_from.data, form.period_to.data)
    if not user_ids:
        flash(_("Nobody is eligible for this course and period."), "info")
        return redirect(url_for("certificates.queue", course_id=course.id))
    page = confirmation(
        title=_("Issue %(count)d certificate(s) in the background?", count=len(user_ids)),
        consequence=_(
            "Everyone eligible gets a numbered certificate in the register. An issued certificate can only be revoked, not deleted."
        ),
        action=_("Issue all eligible"),
        cancel_url=url_for("certificates.queue", course_id=course.id),
        summary=[(_("Course"), course.title), (_("People"), len(user_ids))],
        danger=False,
    )
    if page is not None:
        return page
    job = bulk.create_job(
        db.session,
        course,
        user_ids=user_ids,
        period_from=form.period_from.data,
        period_to=form.period_to.data,
        send_email=form.send_email.data,
        requested_by_id=current_user.id,
    )
    db.session.commit()
    start_job(job)
    return redirect(url_for("certificates.job", job_id=job.id))


def start_job(job: BulkJob) -> None:
    try:
        enqueue("elearn.certificates.bulk.run_bulk_job", job.id)
    except Exception:  # a failed synchronous run has already recorded its error on the job
        current_app.logger.exception("Bulk job %s failed", job.id)
        db.session.rollback()


@role_required(ISSUER)
def job(job_id: int):
    job = or_404(db.session.get(BulkJob, job_id))
    return render_template("certificates/job.html", job=job, stalled=bulk.is_stalled(job))


@role_required(ISSUER)
def job_status(job_id: int):
    job = or_404(db.session.get(BulkJob, job_id))
    return jsonify(
        id=job.id,
        state=job.state,
        total=job.total,
        done=job.done,
        failed=job.failed,
        percent=job.percent,
        zip_url=url_for("certificates.job_zip", job_id=job.id) if job.zip_path else None,
        error=job.error,
    )


@role_required(ISSUER)
def job_resume(job_id: int):
    job = or_404(db.session.get(BulkJob, job_id))
    if bulk.resumable(job):
        audit(db.session, "certificates.bulk_resume", actor_id=current_user.id, target=job)
        db.session.commit()
        start_job(job)
    return redirect(url_for("certificates.job", job_id=job.id))


@role_required(ISSUER)
def job_zip(job_id: int):
    job = or_404(db.session.get(BulkJob, job_id))
    if not job.zip_path:
        abort(404)
    path = Path(current_app.instance_path) / job.zip_path
    if not path.is_file():
        abort(404)
    db.session.close()  # end the read transaction now: streaming a large file must not hold the database
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=path.name)


@role_required(ISSUER, ADMIN)
def register():
    form = RegisterSearchForm().filter()
    query = register_query(q=form.q.data, status=form.status.data)
    page = paginate(query, per_page=25)
    return render_template("certificates/register.html", form=form, page=page)


def _export_query():
    form = RegisterSearchForm().filter()
    return register_query(q=form.q.data, status=form.status.data)


@role_required(ISSUER, ADMIN)
def register_csv():
    return download(export_csv(db.session, _export_query()), "rejestr-zaswiadczen.csv", CSV_MIMETYPE)


@role_required(ISSUER, ADMIN)
def register_xlsx():
    return download(export_xlsx(db.session, _export_query()), "rejestr-zaswiadczen.xlsx", XLSX_MIMETYPE)


@role_required(ISSUER, ADMIN)
def detail(certificate_id: int):
    certificate = or_404(db.session.get(Certificate, certificate_id))
    reissued_as = db.session.scalar(select(Certificate).where(Certificate.reissue_of_id == certificate.id))
    return render_template(
        "certificates/detail.html",
        certificate=certificate,
        snapshot=services.snapshot_of(certificate),
        form=RevokeForm(),
        reissued_as=reissued_as,
        reviews=roles.reviews_of(db.session, certificate.id),
    )


@role_required(ISSUER)
def revoke(certificate_id: int):
    certificate = or_404(db.session.get(Certificate, certificate_id))
    form = RevokeForm()
    if not form.validate_on_submit():
        return render_template(
            "certificates/detail.html",
            certificate=certificate,
            snapshot=services.snapshot_of(certificate),
            form=form,
            reissued_as=None,
            reviews=roles.reviews_of(db.session, certificate.id),
        ), 400
    page = confirmation(
        title=_("Revoke certificate %(number)s?", number=certificate.number),
        consequence=_("The public verification page will say that the certificate is revoked. This cannot be undone."),
        action=_("Revoke certificate"),
        cancel_url=url_for("certificates.detail", certificate_id=certificate.id),
        summary=[(_("Number"), certificate.number), (_("Holder"), certificate.holder_name), (_("Course"), certificate.course_title)],
        fields=[form.reason],
    )
    if page is not None:
        return page
    try:
        services.revoke(db.session, certificate, reason=form.reason.data, actor_id=current_user.id)
        db.session.commit()
        flash(_("Certificate %(number)s has been revoked.", number=certificate.number), "success")
    except services.NotEligible as refusal:
        db.session.rollback()
        refusal.flash()
    return redirect(url_for("certificates.detail", certificate_id=certificate.id))


@role_required(ISSUER)
def reissue(certificate_id: int):
    certificate = or_404(db.session.get(Certificate, certificate_id))
    page = confirmation(
        title=_("Issue a new certificate in place of %(number)s?", number=certificate.number),
        consequence=_("The new certificate gets a new number and refers to the revoked one, which stays in the register."),
        action=_("Issue the new certificate"),
        cancel_url=url_for("certificates.detail", certificate_id=certificate.id),
        summary=[(_("Number"), certificate.number), (_("Holder"), certificate.holder_name)],
        danger=False,
    )
    if page is not None:
        return page
    try:
        if certificate.is_role:
            new = roles.reissue_role(db.session, certificate, actor_id=current_user.id)
        else:
            new = services.reissue(db.session, certificate, actor_id=current_user.id)
        db.session.commit()
    except services.NotEligible as refusal:
        db.session.rollback()
        refusal.flash()
        return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    except IntegrityError:
        db.session.rollback()
        flash(_("already issued"), "error")
        return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    flash(_("Issued certificate %(number)s in place of %(old)s.", number=new.number, old=certificate.number), "success")
    return redirect(url_for("certificates.detail", certificate_id=new.id))


# --- holder and issuer downloads --------------------------------------------------------------------------------


def _readable(certificate_id: int) -> Certificate:
    certificate = or_404(db.session.get(Certificate, certificate_id))
    if certificate.user_id != current_user.id and not current_user.has_role(ISSUER, ADMIN):
        abort(403)
    return certificate


@role_required()
def pdf(certificate_id: int):
    certificate = _readable(certificate_id)
    return Response(
        services.certificate_pdf(certificate),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename={services.pdf_filename(certificate)}"},
    )


@role_required()
def badge_download(certificate_id: int):
    certificate = _readable(certificate_id)
    name = services.pdf_filename(certificate).replace(".pdf", "-badge.json")
    return Response(
        json.dumps(services.certificate_badge(certificate), ensure_ascii=False, indent=2),
        mimetype="application/ld+json",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


@role_required()
def mine():
    user_id = current_user.id
    return render_template(
        "certificates/mine.html",
        certificates=services.certificates_of(db.session, user_id),
        requests={r.course_id: r for r in services.requests_of(db.session, user_id)},
        completed=catalogue.completed_enrolments(db.session, user_id),
        sections=registry.slot_sections("certificates.mine", current_user),
    )


@role_required()
def request_certificate(slug: str):
    course = or_404(db.session.scalar(select(Course).where(Course.slug == slug)))
    profile = services.issuer_profile(db.session)
    form = RequestCertificateForm(needs_date=profile.show_birth_date, needs_place=profile.show_birth_place)
    try:
        services.check_eligibility(db.session, current_user, course)
    except services.NotEligible as refusal:
        refusal.flash()
        return redirect(url_for("certificates.mine"))
    if form.validate_on_submit():
        services.request_certificate(
            db.session,
            current_user,
            course,
            birth_date=form.birth_date.data if profile.show_birth_date else None,
            birth_place=form.birth_place.data if profile.show_birth_place else None,
        )
        db.session.commit()
        flash(_("Your request has been sent. You will find the certificate here once it is issued."), "success")
        return redirect(url_for("certificates.mine"))
    return render_template("certificates/request.html", form=form, course=course, profile=profile)


# --- branding (admin) -------------------------------------------------------------------------------------------


@role_required(ADMIN)
def branding():
    profile = services.issuer_profile(db.session)
    form = BrandingForm(obj=profile)
    if form.validate_on_submit():
        upload = form.logo.data
        logo = upload.read() if upload and getattr(upload, "filename", "") else None
        values = {field: getattr(form, field).data for field in services.BRANDING_FIELDS}
        try:
            services.update_branding(db.session, values=values, logo=logo, remove_logo=form.remove_logo.data, actor_id=current_user.id)
        except UploadRejected as rejected:
            rejected.add_to(form.logo)
        else:
            db.session.commit()
            flash(_("Certificate settings saved. They apply to certificates issued from now on."), "success")
            return redirect(url_for("certificates.branding"))
    return render_template("certificates/branding.html", form=form, profile=profile)


@role_required(ADMIN)
def branding_logo():
    profile = services.issuer_profile(db.session)
    if not profile.logo_file:
        abort(404)
    path = services.branding_dir() / profile.logo_file
    db.session.close()
    return send_file(path)


# --- public verification ----------------------------------------------------------------------------------------


def verify(code: str):
    certificate = services.by_code(db.session, code)
    if certificate is None:
        return render_template("certificates/verify_unknown.html"), 404
    snapshot = services.snapshot_of(certificate)
    valid_until = getattr(snapshot, "valid_until", None)
    expired = valid_until is not None and valid_until < to_local(utcnow()).date()
    return render_template("certificates/verify.html", certificate=certificate, snapshot=snapshot, expired=expired)


def verify_badge(code: str):
    certificate = or_404(services.by_code(db.session, code))
    return Response(json.dumps(services.certificate_badge(certificate), ensure_ascii=False, indent=2), mimetype="application/ld+json")


@limiter.limit(_verify_limit, methods=["POST"])
def verify_form():
    form = VerifyForm()
    not_found = False
    if form.validate_on_submit():
        certificate = services.find_by_number_and_surname(db.session, form.number.data, form.surname.data)
        if certificate is not None:
            return redirect(url_for("certificates.verify", code=certificate.verification_code))
        not_found = True
    return render_template("certificates/verify_form.html", form=form, not_found=not_found)
