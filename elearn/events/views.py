"""Event pages: the public calendar and event page, organisers' editing, registration, participants, attendance,
assessment and evaluation. Views parse, call a service, commit once and render."""

from __future__ import annotations

from datetime import datetime, time
from urllib.parse import urlsplit

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import User
from ..competencies.models import Role
from ..competencies.services.framework import current_framework
from ..core.confirm import confirmation
from ..core.exports import csv_download, xlsx_download
from ..core.roles import ADMIN, COORDINATOR, ISSUER, LEARNER, TRAINER
from ..core.security import role_required
from ..core.timeutil import to_local
from ..courses.models import Module
from ..directory.models import POWIAT
from ..directory.services import unit_choices
from ..extensions import db
from .errors import EventError
from .forms import ActionForm, AddParticipantForm, CalendarFilterForm, EvaluationForm, EventForm, NominateForm
from .models import EVALUATION_QUESTIONS, EVENT_TYPES, REGISTERED, WAITLISTED, CalendarFeed, Event, Registration
from .services import assessment, attendance, evaluation, ical
from .services import certificates as event_certificates
from .services import events as scheduling
from .services import registration as places
from .services.attendance_pdf import attendance_list_pdf

STAFF = (ISSUER, ADMIN)
RUNNERS = (TRAINER, ISSUER, ADMIN)


def hours(value: float | None) -> str:
    """Hours in the reader's number format, at most two decimals (13,33 in Polish)."""
    return format_decimal(value or 0, format="#,##0.##")


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


def _run_event(event_id: int) -> Event:
    """The event, if the current user may run it (its trainers and organisers), else 403."""
    event = _event(event_id)
    if not scheduling.may_run(event, current_user):
        abort(403)
    return event


def _role_choices() -> list[tuple[str, str]]:
    framework = current_framework(db.session)
    if framework is None:
        return []
    return [(r.code, r.name) for r in db.session.scalars(select(Role).where(Role.framework_id == framework.id).order_by(Role.position))]


# --- public calendar -------------------------------------------------------------------------------------------


def calendar():
    form = CalendarFilterForm(request.args, meta={"csrf": False})
    form.type.choices = [("", _("All event types"))] + [(k, str(v)) for k, v in EVENT_TYPES.items()]
    form.powiat.choices = [(0, _("All powiats")), *unit_choices(db.session, (POWIAT,))]
    form.role.choices = [("", _("All roles")), *_role_choices()]
    filters = {}
    if form.validate():
        filters = {
            "type": form.type.data or None,
            "powiat_id": form.powiat.data or None,
            "role": form.role.data or None,
            "month": form.month.data or None,
        }
    page = db.paginate(scheduling.calendar_query(**filters), per_page=20, error_out=False)
    args = {k: v for k, v in request.args.items() if k in ("type", "powiat", "role", "month") and v}
    return render_template("events/calendar.html", form=form, page=page, args=args)


def detail(event_id: int):
    event = _event(event_id)
    description, programme = scheduling.description_html(event)
    mine = places.registration_of(db.session, event.id, current_user.id) if current_user.is_authenticated else None
    can_run = current_user.is_authenticated and scheduling.may_run(event, current_user)
    return render_template(
        "events/detail.html",
        event=event,
        description=description,
        programme=programme,
        mine=mine,
        taken=scheduling.registered_count(db.session, event.id),
        waiting=len(places.waiting_list(db.session, event.id)),
        open=places.registration_open(event),
        can_run=can_run,
        can_cancel=mine is not None and mine.status != "withdrawn" and places.may_cancel(mine, current_user),
        can_evaluate=current_user.is_authenticated and evaluation.may_evaluate(db.session, event, current_user.id),
        outcome=attendance.outcome_of(db.session, event, current_user.id) if mine is not None and mine.status == REGISTERED else None,
        action=ActionForm(),
    )


def event_ics(event_id: int):
    event = _event(event_id)
    holder = current_user.is_authenticated and (
        scheduling.may_run(event, current_user)
        or getattr(places.registration_of(db.session, event.id, current_user.id), "status", None) == REGISTERED
    )
    body = ical.event_ics(event, url=_absolute(url_for("events.detail", event_id=event.id)), host=_host(), show_link=bool(holder))
    return Response(
        body, mimetype="text/calendar; charset=utf-8", headers={"Content-Disposition": f"attachment; filename=wydarzenie-{event.id}.ics"}
    )


def feed(token: str):
    user_id = ical.feed_owner(db.session, token)
    if user_id is None:
        abort(404)
    body = ical.feed_ics(db.session, user_id, url_for_event=lambda e: _absolute(url_for("events.detail", event_id=e.id)), host=_host())
    return Response(body, mimetype="text/calendar; charset=utf-8")


def _absolute(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def _host() -> str:
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"


# --- the person's own events and feed --------------------------------------------------------------------------


@role_required()
def mine():
    feed_form = ActionForm()
    if feed_form.validate_on_submit():
        if request.form.get("what") == "revoke":
            ical.revoke_feed(db.session, current_user.id)
            flash(_("Your calendar address has been switched off."), "success")
        else:
            ical.feed_token(db.session, current_user.id, renew=True)
            flash(_("You have a new calendar address; the old one no longer works."), "success")
        db.session.commit()
        return redirect(url_for("events.mine"))
    feed_row = db.session.get(CalendarFeed, current_user.id)
    feed_url = _absolute(url_for("events.feed", token=feed_row.token)) if feed_row else None
    return render_template(
        "events/mine.html", registrations=places.registrations_of(db.session, current_user.id), feed_url=feed_url, form=feed_form
    )


@role_required(LEARNER, COORDINATOR)
def register(event_id: int):
    event = _event(event_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        registration = places.register(db.session, event.id, current_user)
    except EventError as exc:
        db.session.rollback()
        exc.flash()
    else:
        db.session.commit()
        if registration.status == REGISTERED:
            flash(_("You are registered. A confirmation is in your notifications."), "success")
        else:
            flash(_("The event is full: you are on the waiting list and will be told when a place frees up."), "info")
    return redirect(url_for("events.detail", event_id=event.id))


@role_required()
def withdraw(event_id: int):
    event = _event(event_id)
    form = ActionForm()
    registration = places.registration_of(db.session, event.id, current_user.id)
    if not form.validate_on_submit() or registration is None:
        abort(400)
    try:
        places.cancel(db.session, registration, actor=current_user)
    except EventError as exc:
        db.session.rollback()
        exc.flash()
    else:
        db.session.commit()
        flash(_("Your registration has been cancelled."), "success")
    return redirect(url_for("events.detail", event_id=event.id))


@role_required(COORDINATOR)
def nominate(event_id: int):
    event = _event(event_id)
    form = NominateForm()
    workers = places.nominable_workers(db.session, current_user)
    form.user_id.choices = [(u.id, u.full_name) for u in workers]
    if form.validate_on_submit():
        worker = db.session.get(User, form.user_id.data)
        try:
            registration = places.register(db.session, event.id, worker, actor=current_user)
        except EventError as exc:
            db.session.rollback()
            exc.add_to(form.user_id)
        else:
            db.session.commit()
            flash(_("%(name)s: %(status)s.", name=worker.full_name, status=registration.status_label), "success")
            return redirect(url_for("events.nominate", event_id=event.id))
    mine = [r for r in places.participants(db.session, event.id, REGISTERED, WAITLISTED) if r.institution_id == current_user.institution_id]
    return render_template("events/nominate.html", event=event, form=form, nominated=mine)


# --- organisers ------------------------------------------------------------------------------------------------


@role_required(*STAFF)
def manage():
    query = select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    page = db.paginate(query, per_page=25, error_out=False)
    return render_template("events/manage.html", page=page)


def _event_form(event: Event | None) -> EventForm:
    form = EventForm(obj=event) if event is not None and request.method == "GET" else EventForm()
    form.gmina_id.choices = [(0, "—"), *unit_choices(db.session, ("gmina",))]
    form.target_roles.choices = _role_choices()
    form.trainers.choices = scheduling.trainer_choices(db.session)
    modules = db.session.execute(select(Module.id, Module.title).where(Module.version_id.is_not(None)).order_by(Module.title)).all()
    form.module_id.choices = [(0, "—")] + [(m.id, m.title) for m in modules]
    if event is not None and request.method == "GET":
        form.trainers.data = [t.id for t in event.trainers]
        form.gmina_id.data = event.gmina_id or 0
        form.module_id.data = event.module_id or 0
        form.assessment_level.data = event.assessment_level or 0
        form.competence_codes.data = ", ".join(event.competence_codes or [])
        form.registration_opens.data = _local_date(event.registration_opens_at)
        form.registration_closes.data = _local_date(event.registration_closes_at)
        form.cancellation_deadline.data = _local_date(event.cancellation_deadline)
        for entry, times in zip(form.sessions.entries, scheduling.session_times(event), strict=False):
            entry.day.data, entry.start.data, entry.end.data = times.day, times.start, times.end
    if event is None and request.method == "GET":
        _prefill(form)
    return form


def _choice_values(choices) -> set:
    return {getattr(choice, "value", None) or choice[0] for choice in choices}


def _prefill(form: EventForm) -> None:
    """A new event may open prefilled from a link — analytics' "plan a training" from a competence gap passes the
    title, description, competences, level, roles and institution types in the query string. Only known values are
    taken; nothing is saved until the organiser submits the form."""
    args = request.args
    if args.get("title"):
        form.title.data = args["title"][:200]
    if args.get("description"):
        form.description.data = args["description"][:20000]
    codes = [c for c in args.getlist("competence_codes") if c.replace(".", "").isalnum()]
    if codes:
        form.competence_codes.data = ", ".join(codes)
    if args.get("assessment_level") in ("1", "2"):
        form.assessment_level.data = int(args["assessment_level"])
    roles = _choice_values(form.target_roles.choices)
    form.target_roles.data = [r for r in args.getlist("target_roles") if r in roles] or form.target_roles.data
    types = _choice_values(form.target_institution_types.choices)
    form.target_institution_types.data = [t for t in args.getlist("target_institution_types") if t in types] or None


def _local_date(value: datetime):
    return to_local(value).date()


def _form_data(form: EventForm) -> tuple[dict, list, list[int]]:
    codes = [c.strip() for c in (form.competence_codes.data or "").replace(";", ",").split(",") if c.strip()]
    optional = ("place_name", "street", "postal_code", "city", "gmina_id", "online_url", "per_institution_limit", "module_id")
    data = {name: getattr(form, name).data or None for name in optional}
    data.update(
        title=form.title.data,
        type=form.type.data,
        description=form.description.data or "",
        programme=form.programme.data or "",
        capacity=form.capacity.data,
        registration_opens_at=scheduling.local_to_utc(form.registration_opens.data, time(0, 0)),
        registration_closes_at=scheduling.local_to_utc(form.registration_closes.data, time(23, 59)),
        cancellation_deadline=scheduling.local_to_utc(form.cancellation_deadline.data, time(23, 59)),
        target_roles=list(form.target_roles.data or []),
        target_institution_types=list(form.target_institution_types.data or []),
        competence_codes=codes,
        assessment_level=form.assessment_level.data or None,
        completion_percent=form.completion_percent.data,
    )
    sessions = [
        scheduling.SessionTimes(e.day.data, e.start.data, e.end.data)
        for e in form.sessions.entries
        if e.day.data and e.start.data and e.end.data
    ]
    return data, sessions, list(form.trainers.data or [])


def _save(event: Event | None):
    form = _event_form(event)
    if form.validate_on_submit():
        data, sessions, trainer_ids = _form_data(form)
        try:
            if event is None:
                event = scheduling.create_event(db.session, data, sessions, trainer_ids, actor_id=current_user.id)
            else:
                scheduling.update_event(db.session, event, data, sessions, trainer_ids, actor_id=current_user.id)
        except EventError as exc:
            db.session.rollback()
            exc.add_to(form.title)
        else:
            db.session.commit()
            flash(_("The event has been saved."), "success")
            return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/edit.html", form=form, event=event)


@role_required(*STAFF)
def create():
    return _save(None)


@role_required(*STAFF)
def edit(event_id: int):
    return _save(_event(event_id))


@role_required(*STAFF)
def cancel_event(event_id: int):
    event = _event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    page = confirmation(
        title=_("Cancel %(title)s?", title=event.title),
        consequence=_("Everyone registered is told that the event is cancelled. A cancelled event cannot be restored."),
        action=_("Cancel the event"),
        cancel_url=url_for("events.detail", event_id=event.id),
        summary=[(_("Event"), event.title)],
    )
    if page is not None:
        return page
    scheduling.cancel_event(db.session, event, actor_id=current_user.id)
    db.session.commit()
    flash(_("The event has been cancelled and participants have been told."), "success")
    return redirect(url_for("events.detail", event_id=event.id))


# --- participants ----------------------------------------------------------------------------------------------


@role_required(*RUNNERS)
def participant_list(event_id: int):
    event = _run_event(event_id)
    return render_template(
        "events/participants.html",
        event=event,
        registered=places.participants(db.session, event.id),
        waiting=places.waiting_list(db.session, event.id),
        add_form=AddParticipantForm(),
        action=ActionForm(),
        staff=scheduling.is_organiser(current_user),
    )


@role_required(*STAFF)
def add_participant(event_id: int):
    event = _event(event_id)
    form = AddParticipantForm()
    if form.validate_on_submit():
        person = db.session.scalar(select(User).where(User.email == form.email.data.lower(), User.erased_at.is_(None)))
        if person is None:
            flash(_("No account has this e-mail address."), "error")
        else:
            try:
                registration = places.register(db.session, event.id, person, actor=current_user)
            except EventError as exc:
                db.session.rollback()
                exc.flash()
            else:
                db.session.commit()
                flash(_("%(name)s: %(status)s.", name=person.full_name, status=registration.status_label), "success")
    return redirect(url_for("events.participant_list", event_id=event.id))


@role_required(*STAFF)
def remove_participant(event_id: int, registration_id: int):
    event = _event(event_id)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    places.cancel(db.session, registration, actor=current_user)
    db.session.commit()
    flash(_("%(name)s has been removed from the event.", name=registration.user.full_name), "success")
    return redirect(url_for("events.participant_list", event_id=event.id))


EXPORT_HEADERS = ("Imię i nazwisko", "E-mail", "Stanowisko", "Instytucja", "Status", "Zgłoszony przez", "Data zgłoszenia")


def _export_rows(event: Event):
    for r in places.participants(db.session, event.id, REGISTERED, WAITLISTED):
        nominated_by = db.session.get(User, r.nominated_by_id).full_name if r.nominated_by_id else ""
        institution = r.institution.name if r.institution else ""
        yield (
            r.user.full_name,
            r.user.email,
            r.user.job_title or "",
            institution,
            r.status_label,
            nominated_by,
            f"{to_local(r.created_at):%Y-%m-%d}",
        )


@role_required(*RUNNERS)
def participants_csv(event_id: int):
    event = _run_event(event_id)
    return csv_download(EXPORT_HEADERS, _export_rows(event), f"uczestnicy-{event.id}.csv")


@role_required(*RUNNERS)
def participants_xlsx(event_id: int):
    event = _run_event(event_id)
    return xlsx_download("Uczestnicy", EXPORT_HEADERS, _export_rows(event), f"uczestnicy-{event.id}.xlsx")


# --- attendance, assessment, evaluation ------------------------------------------------------------------------


@role_required(*RUNNERS)
def attendance_pdf(event_id: int):
    event = _run_event(event_id)
    body = attendance_list_pdf(event, places.participants(db.session, event.id))
    return Response(body, mimetype="application/pdf", headers={"Content-Disposition": f"inline; filename=lista-obecnosci-{event.id}.pdf"})


@role_required(*RUNNERS)
def attendance_sheet(event_id: int):
    event = _run_event(event_id)
    form = ActionForm()
    registered = places.participants(db.session, event.id)
    if form.validate_on_submit():
        present = {s.id: set() for s in event.sessions}
        for value in request.form.getlist("present"):
            reg_id, _sep, session_id = value.partition(":")
            if not (reg_id.isdigit() and session_id.isdigit()) or int(session_id) not in present:
                abort(400)
            present[int(session_id)].add(int(reg_id))
        try:
            attendance.set_attendance(db.session, event, present, actor_id=current_user.id)
        except EventError as exc:
            db.session.rollback()
            exc.flash()
        else:
            db.session.commit()
            flash(_("Attendance has been saved."), "success")
        return redirect(url_for("events.attendance_sheet", event_id=event.id))
    return render_template(
        "events/attendance.html",
        event=event,
        registered=registered,
        present=attendance.present_map(db.session, event),
        outcomes={o.registration.id: o for o in attendance.outcomes(db.session, event)},
        certified=event_certificates.certified_user_ids(db.session, event),
        staff=scheduling.is_organiser(current_user),
        form=form,
    )


@role_required(*STAFF)
def issue_certificates(event_id: int):
    event = _event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    page = confirmation(
        title=_("Issue certificates for %(title)s?", title=event.title),
        consequence=_(
            "Everyone who completed the event gets a numbered certificate in the register."
            " An issued certificate can only be revoked, not deleted."
        ),
        action=_("Issue the certificates"),
        cancel_url=url_for("events.attendance_sheet", event_id=event.id),
        summary=[(_("Event"), event.title)],
        danger=False,
    )
    if page is not None:
        return page
    try:
        issued = event_certificates.issue_for_completed(db.session, event, issued_by_id=current_user.id)
    except EventError as exc:
        db.session.rollback()
        exc.flash()
    else:
        db.session.commit()
        flash(_("Certificates issued: %(count)d.", count=issued), "success")
    return redirect(url_for("events.attendance_sheet", event_id=event.id))


@role_required(*RUNNERS)
def assessment_grid(event_id: int):
    event = _run_event(event_id)
    form = ActionForm()
    if form.validate_on_submit():
        positive = set()
        for value in request.form.getlist("mark"):
            user_id, _sep, code = value.partition(":")
            if not user_id.isdigit() or not code:
                abort(400)
            positive.add((int(user_id), code))
        try:
            added = assessment.assess(db.session, event, positive, trainer_id=current_user.id)
        except EventError as exc:
            db.session.rollback()
            exc.flash()
        else:
            db.session.commit()
            flash(_("Assessment saved: %(count)d new marks recorded as evidence.", count=added), "success")
        return redirect(url_for("events.assessment_grid", event_id=event.id))
    return render_template(
        "events/assessment.html",
        event=event,
        registered=places.participants(db.session, event.id),
        competences=assessment.competences(db.session, event),
        marks=assessment.marks(db.session, event),
        form=form,
    )


@role_required(LEARNER, COORDINATOR)
def evaluate(event_id: int):
    event = _event(event_id)
    if not evaluation.may_evaluate(db.session, event, current_user.id):
        flash(_("You cannot fill in the evaluation of this event (again)."), "info")
        return redirect(url_for("events.detail", event_id=event.id))
    form = EvaluationForm()
    if form.validate_on_submit():
        scores = {q: int(getattr(form, q).data) for q in EVALUATION_QUESTIONS}
        evaluation.submit(db.session, event, current_user.id, scores, form.comment.data or "")
        db.session.commit()
        flash(_("Thank you. Your answers were saved without your name."), "success")
        return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/evaluate.html", event=event, form=form, questions=EVALUATION_QUESTIONS)


@role_required(*RUNNERS)
def evaluation_results(event_id: int):
    event = _run_event(event_id)
    return render_template(
        "events/evaluation_results.html", event=event, result=evaluation.aggregate(db.session, event), questions=EVALUATION_QUESTIONS
    )
