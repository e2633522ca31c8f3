"""Needs reported by institutions: coordinators submit, ROPS opens rounds and reads them beside measured gaps."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..competencies.services.framework import competences_by_code
from ..core.errors import or_404
from ..core.roles import ADMIN, COORDINATOR, ISSUER
from ..core.security import role_required
from ..core.timeutil import to_local, utcnow
from ..extensions import db
from .forms import RoundForm, SubmissionForm
from .services import reported


def _today():
    return to_local(utcnow()).date()


@role_required(ISSUER, ADMIN)
def rounds():
    form = RoundForm()
    if form.validate_on_submit():
        try:
            found = reported.create_round(db.session, year=form.year.data, deadline=form.deadline.data, actor_id=current_user.id)
        except reported.RoundError as exc:
            db.session.rollback()
            exc.add_to(form.year)
        else:
            db.session.commit()
            flash(_("The round is open."), "success")
            return redirect(url_for("analytics.round_overview", year=found.year))
    return render_template("analytics/rounds.html", form=form, rounds=reported.rounds(db.session), today=_today())


@role_required(ISSUER, ADMIN)
def round_overview(year: int):
    found = or_404(reported.round_for_year(db.session, year))
    rows = reported.overview(db.session, found)
    names = {code: c.name for code, c in competences_by_code(db.session).items()}
    return render_template("analytics/round.html", round=found, rows=rows, names=names)


@role_required(COORDINATOR)
def submit():
    found = reported.open_round(db.session, _today())
    existing = reported.submission_for(db.session, found, current_user.institution_id) if found and current_user.institution_id else None
    form = SubmissionForm(obj=existing)
    form.competences.choices = [SelectChoice(code, f"{code} {c.name}") for code, c in competences_by_code(db.session).items()]
    if found is not None and form.validate_on_submit():
        try:
            reported.submit(
                db.session,
                found,
                institution_id=current_user.institution_id,
                user_id=current_user.id,
                today=_today(),
                competences=form.competences.data or [],
                topics=form.topics.data or "",
                workers=form.workers.data,
                preferred_form=form.preferred_form.data,
                comment=form.comment.data or "",
            )
        except reported.RoundError as exc:
            db.session.rollback()
            exc.flash()
        else:
            db.session.commit()
            flash(_("Your institution's needs are saved."), "success")
            return redirect(url_for("analytics.submit"))
    return render_template("analytics/submit.html", form=form, round=found, existing=existing)
