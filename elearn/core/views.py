"""Home, dashboard, language choice and the legally required pages."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from ..extensions import db
from .audit import action_label, audit_query, detail_label, target_label, target_url
from .forms import AuditFilterForm
from .health import readiness_checks
from .pagination import paginate
from .registry import registry, visible_to
from .roles import ADMIN
from .security import is_safe_next, role_required


def index():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    return render_template("core/index.html")


@role_required()
def dashboard():
    panels = []
    for panel in registry.panels:
        if not visible_to(current_user, panel.roles):
            continue
        context = panel.build(current_user)
        if context is not None:
            panels.append((panel.template, context))
    return render_template("core/dashboard.html", panels=panels)


def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("core.index"))


def _localised(name: str) -> str:
    """Long legal texts are written per language rather than as message ids."""
    locale = str(get_locale() or "pl")
    return f"core/{name}_{'en' if locale == 'en' else 'pl'}.html"


def privacy():
    return render_template(_localised("privacy"), policy_version=current_app.config["PRIVACY_POLICY_VERSION"])


def accessibility():
    return render_template(_localised("accessibility"))


def healthz():
    """Liveness: the process answers. No database, so a slow database never gets healthy workers restarted."""
    return {"status": "ok"}


def readyz():
    """Readiness for the proxy and monitoring: 200 only when every check passes, else 503 naming what failed."""
    checks = readiness_checks(current_app._get_current_object(), db.session)
    failed = sorted(name for name, result in checks.items() if result not in ("ok", "skipped"))
    body = {"status": "fail" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
    return body, (503 if failed else 200)


@role_required(ADMIN)
def audit_log():
    form = AuditFilterForm().filter()
    page = paginate(audit_query(action=form.action.data or None, target=form.target.data or None), per_page=50)
    ids = {entry.actor_id for entry in page.items if entry.actor_id is not None}
    actors = registry.actor_labels(db.session, ids) if registry.actor_labels and ids else {}
    return render_template(
        "core/audit.html",
        page=page,
        form=form,
        action=form.action.data,
        target=form.target.data,
        actors=actors,
        action_label=action_label,
        detail_label=detail_label,
        target_url=target_url,
        target_label=target_label,
    )
