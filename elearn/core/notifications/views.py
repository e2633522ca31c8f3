"""The notification list, mark as read, and e-mail preferences (any logged-in person, their own only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from ...extensions import db
from ..pagination import paginate
from ..security import role_required
from . import services
from .forms import preferences_form

PER_PAGE = 20


@role_required()
def index():
    page = paginate(services.notifications_query(current_user.id), per_page=PER_PAGE)
    items = [(n, services.render(n)) for n in page.items]
    return render_template("notifications/index.html", page=page, items=items, unread=services.unread_count(db.session, current_user.id))


@role_required()
def mark_read(notification_id: int):
    try:
        services.mark_read(db.session, current_user.id, notification_id)
    except services.NotificationNotFound:
        abort(404)
    db.session.commit()
    flash(_("Notification marked as read."), "success")
    return redirect(url_for("notifications.index", page=request.form.get("page", type=int) or None))


@role_required()
def mark_all_read():
    count = services.mark_all_read(db.session, current_user.id)
    db.session.commit()
    flash(ngettext("Marked %(num)s notification as read.", "Marked %(num)s notifications as read.", count), "success")
    return redirect(url_for("notifications.index"))


@role_required()
def preferences():
    choices = services.email_preferences(db.session, current_user.id, current_user.roles)
    form = preferences_form(choices)
    if form.validate_on_submit():
        services.set_email_preferences(db.session, current_user.id, form.choices())
        db.session.commit()
        flash(_("Your e-mail preferences have been saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form, title=_l("Notification settings"))
