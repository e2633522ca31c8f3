"""Course analytics for trainers: only the courses they look after (admins all), decided by the service."""

from __future__ import annotations

from flask import render_template
from flask_babel import format_decimal
from flask_login import current_user

from ..core.errors import or_404
from ..core.roles import ADMIN, TRAINER
from ..core.security import role_required
from ..extensions import db
from .services import courses as course_analytics


@role_required(TRAINER, ADMIN)
def courses():
    return render_template("analytics/courses.html", courses=course_analytics.courses_for(db.session, current_user))


@role_required(TRAINER, ADMIN)
def course(slug: str):
    found, version = or_404(course_analytics.course_for(db.session, current_user, slug))
    report = course_analytics.report(db.session, found, version)
    days = report.median_days
    median = format_decimal(days, format="#,##0.0") if isinstance(days, float) else days  # 46,5 in Polish
    return render_template("analytics/course.html", report=report, median=median)
