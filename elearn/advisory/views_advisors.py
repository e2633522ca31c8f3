"""The ROPS advisors' pages: the queue, assigning, meetings, closing and reopening, answer templates and the
knowledge-base candidates. Every view here is for advisors (issuer role) and admins."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..core.errors import DomainError, or_404
from ..core.pagination import paginate
from ..core.security import role_required
from ..core.timeutil import WARSAW
from ..extensions import db
from .forms import ActionForm, AssignForm, CandidateFilterForm, CandidateForm, CloseForm, MeetingForm, QueueFilterForm, TemplateForm
from .models import AdvisoryCase, AnswerTemplate, KnowledgeCandidate
from .services import access, candidates, cases, meetings
from .services import templates as answer_templates
from .services.access import ADVISOR_ROLES


def _case(case_id: int) -> AdvisoryCase:
    return or_404(db.session.get(AdvisoryCase, case_id))


def _back(case: AdvisoryCase, anchor: str | None = None):
    return redirect(url_for("advisory.detail", case_id=case.id, _anchor=anchor))


def _flash_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")


def _run(case: AdvisoryCase, form, action, done: str, anchor: str | None = None):
    """Validate the POSTed form, run the service, commit and go back to the case (errors flashed there)."""
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(case, anchor)
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        exc.flash()
        return _back(case, anchor)
    db.session.commit()
    flash(done, "success")
    return _back(case, anchor)


@role_required(*ADVISOR_ROLES)
def queue():
    form = QueueFilterForm().fill(access.advisors(db.session))
    stmt = cases.queue(
        status=form.status.data or "", topic=form.topic.data or "", urgency=form.urgency.data or "",
        assignee=form.assignee.data or "", me=current_user.id, text=form.q.data or "",
    )  # fmt: skip
    page = paginate(stmt, per_page=cases.PAGE_SIZE)
    args = {f.name: f.data for f in (form.status, form.topic, form.urgency, form.assignee, form.q)}
    return render_template("advisory/queue.html", form=form, page=page, args=args)


@role_required(*ADVISOR_ROLES)
def assign(case_id: int):
    case = _case(case_id)
    form = AssignForm(prefix="assign")
    form.advisor.choices = [SelectChoice(a.id, a.full_name) for a in access.advisors(db.session)]
    return _run(
        case, form, lambda: cases.assign(db.session, case, advisor_id=form.advisor.data, actor=current_user), _("Case assigned."), "tools"
    )


@role_required(*ADVISOR_ROLES)
def assign_me(case_id: int):
    case = _case(case_id)
    return _run(
        case, ActionForm(), lambda: cases.assign(db.session, case, advisor_id=current_user.id, actor=current_user), _("The case is yours.")
    )


def _utc(day, clock) -> datetime:
    """A date and a wall-clock time in Warsaw as naive UTC."""
    return datetime.combine(day, clock, tzinfo=WARSAW).astimezone(UTC).replace(tzinfo=None)


@role_required(*ADVISOR_ROLES)
def schedule(case_id: int):
    case = _case(case_id)
    form = MeetingForm(prefix="meeting")

    def act():
        day = form.day.data
        meetings.schedule(
            db.session, case, actor=current_user, starts_at=_utc(day, form.start.data), ends_at=_utc(day, form.end.data),
            form=form.form.data, location=form.location.data or "",
        )  # fmt: skip

    return _run(case, form, act, _("Meeting scheduled; the institution has been told."), "meetings")


@role_required(*ADVISOR_ROLES)
def close(case_id: int):
    case = _case(case_id)
    form = CloseForm(prefix="close")
    return _run(
        case,
        form,
        lambda: cases.close(db.session, case, actor=current_user, outcome=form.outcome.data, minutes=form.minutes.data),
        _("Case closed."),
    )


@role_required(*ADVISOR_ROLES)
def reopen(case_id: int):
    case = _case(case_id)
    return _run(case, ActionForm(), lambda: cases.reopen(db.session, case, actor=current_user), _("Case reopened."))


# --- knowledge-base candidates ------------------------------------------------------------------------------------


@role_required(*ADVISOR_ROLES)
def candidate(case_id: int):
    """GET: the anonymised draft to review; POST: save what the advisor approved."""
    case = _case(case_id)
    if case.is_open:
        flash(_("Only a closed case can become a knowledge-base candidate."), "error")
        return _back(case)
    form = CandidateForm()
    if form.validate_on_submit():
        try:
            candidates.save(db.session, case, actor=current_user, title=form.title.data, summary=form.summary.data)
        except DomainError as exc:
            db.session.rollback()
            exc.add_to(form.summary)
        else:
            db.session.commit()
            flash(_("Saved as a knowledge-base candidate."), "success")
            return redirect(url_for("advisory.candidates"))
    elif not form.is_submitted():
        draft = candidates.draft(db.session, case)
        form.title.data, form.summary.data = draft.title, draft.summary
    return render_template("advisory/candidate.html", case=case, form=form, existing=candidates.candidate_of(db.session, case))


@role_required(*ADVISOR_ROLES)
def candidate_list():
    form = CandidateFilterForm().filter()
    rows = candidates.candidates(db.session, form.topic.data or "")
    return render_template("advisory/candidates.html", form=form, rows=rows, action_form=ActionForm())


@role_required(*ADVISOR_ROLES)
def withdraw_candidate(candidate_id: int):
    found = or_404(db.session.get(KnowledgeCandidate, candidate_id))
    if ActionForm().validate_on_submit():
        candidates.withdraw(db.session, found, actor=current_user)
        db.session.commit()
        flash(_("The candidate was withdrawn."), "success")
    return redirect(url_for("advisory.candidates"))


# --- answer templates ---------------------------------------------------------------------------------------------


@role_required(*ADVISOR_ROLES)
def template_list():
    return render_template("advisory/templates.html", rows=answer_templates.all_templates(db.session), action_form=ActionForm())


def _edit_template(found: AnswerTemplate | None):
    form = TemplateForm(obj=found)
    if form.validate_on_submit():
        try:
            answer_templates.save(
                db.session, found, title=form.title.data, topic=form.topic.data or "", body=form.body.data, actor_id=current_user.id
            )
        except DomainError as exc:
            db.session.rollback()
            exc.add_to(form.title)
        else:
            db.session.commit()
            flash(_("Template saved."), "success")
            return redirect(url_for("advisory.templates"))
    return render_template("advisory/template_form.html", form=form, template=found)


@role_required(*ADVISOR_ROLES)
def template_new():
    return _edit_template(None)


@role_required(*ADVISOR_ROLES)
def template_edit(template_id: int):
    return _edit_template(or_404(db.session.get(AnswerTemplate, template_id)))


@role_required(*ADVISOR_ROLES)
def template_delete(template_id: int):
    found = or_404(db.session.get(AnswerTemplate, template_id))
    if ActionForm().validate_on_submit():
        answer_templates.delete(db.session, found, actor_id=current_user.id)
        db.session.commit()
        flash(_("Template deleted."), "success")
    return redirect(url_for("advisory.templates"))


def advisor_panel(user):
    """The dashboard panel of advisors: new cases nobody has, and their own open cases."""
    return cases.advisor_counts(db.session, user.id)
