"""Advisory pages of the institution's side and the shared case page: asking, the history of the institution's
cases, the thread, attachments and meeting calendar files. Views parse, call a service, commit once and render."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Response, abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms import SelectChoice

from ..core.errors import DomainError, or_404
from ..core.markdown import render_markdown
from ..core.pagination import paginate
from ..core.security import role_required
from ..core.urls import external_url
from ..extensions import db
from .forms import ActionForm, AssignForm, CaseForm, CloseForm, MeetingForm, MessageForm, TemplatePickForm
from .services import access, cases, meetings
from .services import templates as answer_templates
from .services.candidates import candidate_of


def markdown(text: str | None) -> Markup:
    """Template filter: the sanitised HTML of a Markdown text (core.markdown's allowlist)."""
    return Markup(render_markdown(text or ""))  # noqa: S704 - nh3 has sanitised it


def _files(field) -> list[tuple[str, bytes]]:
    return [(f.filename, f.read()) for f in field.data or [] if f and f.filename]


@role_required()
def mine():
    """The institution's cases (a coordinator sees them all, a worker their own)."""
    page = paginate(access.institution_cases(current_user), per_page=cases.PAGE_SIZE)
    return render_template("advisory/mine.html", page=page, may_open=access.may_open(current_user))


@role_required()
def new_case():
    if not access.may_open(current_user):
        return render_template("advisory/no_institution.html")
    form = CaseForm()
    if form.validate_on_submit():
        try:
            found = cases.open_case(
                db.session, user=current_user, subject=form.subject.data, topic=form.topic.data, description=form.description.data,
                preferred_form=form.preferred_form.data, urgency=form.urgency.data, contact_phone=form.contact_phone.data,
                files=_files(form.files), instance_path=current_app.instance_path,
            )  # fmt: skip
        except DomainError as exc:
            db.session.rollback()
            exc.add_to(form.files)
        else:
            db.session.commit()
            flash(_("Your question has been sent to ROPS. An advisor will answer in this case."), "success")
            return redirect(url_for("advisory.detail", case_id=found.id))
    return render_template("advisory/new.html", form=form, institution=current_user.institution)


def _advisor_tools(case) -> dict:
    """The forms an advisor sees on the case page (none for the institution's side)."""
    if not access.is_advisor(current_user):
        return {}
    advisors = access.advisors(db.session)
    assign = AssignForm(prefix="assign")
    assign.advisor.choices = [SelectChoice(a.id, a.full_name) for a in advisors]
    assign.advisor.data = case.assigned_to_id or current_user.id
    close = CloseForm(prefix="close")
    close.minutes.data = case.minutes_spent
    templates = answer_templates.all_templates(db.session)
    return {
        "assign_form": assign,
        "meeting_form": MeetingForm(prefix="meeting"),
        "close_form": close,
        "action_form": ActionForm(),
        "pick_form": TemplatePickForm().fill(templates),
        "templates": templates,
        "candidate": candidate_of(db.session, case),
    }


def _prefilled_reply(tools: dict) -> MessageForm:
    """The reply box, with the chosen answer template in it when an advisor picked one (a GET: nothing is saved)."""
    form = MessageForm()
    pick = tools.get("pick_form")
    if pick is not None and pick.template.data:
        chosen = next((t for t in tools["templates"] if t.id == pick.template.data), None)
        if chosen is not None and not form.body.data:
            form.body.data = chosen.body
    return form


@role_required()
def detail(case_id: int):
    case = or_404(access.visible_case(db.session, current_user, case_id))
    tools = _advisor_tools(case)
    return render_template(
        "advisory/detail.html",
        case=case,
        form=_prefilled_reply(tools),
        advisor=access.is_advisor(current_user) and not access.speaks_for(current_user, case),
        **tools,
    )


@role_required()
def reply(case_id: int):
    case = or_404(access.visible_case(db.session, current_user, case_id))
    form = MessageForm()
    if form.validate_on_submit():
        try:
            cases.add_message(
                db.session,
                case,
                author=current_user,
                body=form.body.data,
                files=_files(form.files),
                instance_path=current_app.instance_path,
            )
        except DomainError as exc:
            db.session.rollback()
            exc.flash()
        else:
            db.session.commit()
            flash(_("Message sent."), "success")
            return redirect(url_for("advisory.detail", case_id=case.id, _anchor="thread"))
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("advisory.detail", case_id=case.id, _anchor="reply"))


@role_required()
def attachment(attachment_id: int):
    row = or_404(cases.attachment_for(db.session, current_user, attachment_id))
    root = cases.upload_dir(current_app.instance_path).resolve()
    path = (root / row.path).resolve()
    if not path.is_relative_to(root) or not Path(path).exists():
        abort(404)
    return send_file(path, mimetype=row.mimetype, as_attachment=True, download_name=row.name)


@role_required()
def meeting_ics(meeting_id: int):
    meeting = or_404(meetings.visible_meeting(db.session, current_user, meeting_id))
    url = external_url("advisory.detail", case_id=meeting.case_id)
    host = urlsplit(url).hostname or "elearn"
    body = meetings.meeting_ics(meeting, url=url, host=host)
    return Response(
        body,
        mimetype="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="spotkanie-doradcze-{meeting.id}.ics"'},
    )
