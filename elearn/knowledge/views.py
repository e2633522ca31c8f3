"""Pages of the knowledge base: the library with search and filters, a resource, adding and proposing, versions,
the staff's review of proposals, and the "read more" sections other domains' pages show."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..competencies.services.framework import competence_names
from ..core import search
from ..core.errors import or_404
from ..core.files import TYPES, UploadRejected
from ..core.markdown import render_markdown
from ..core.pagination import page_number
from ..core.roles import ISSUER, LEARNER, TRAINER
from ..core.security import role_required
from ..core.timeutil import WARSAW
from ..courses.services.search_documents import plain_text
from ..courses.views_learning import ROLE_LABELS
from ..directory.services import unit_choices
from ..extensions import db
from .forms import ACCEPT, LibraryFilterForm, ResourceForm, ReviewForm, VersionForm, split_list
from .models import ARTICLE, DOCUMENT, PROPOSED, Resource
from .services import resources as services
from .services.extraction import upload_dir

FRAGMENT_WORDS = 30
ADDERS = (LEARNER, TRAINER, ISSUER)  # learners propose, trainers and ROPS staff publish


def _today():
    return datetime.now(WARSAW).date()


# --- the library -----------------------------------------------------------------------------------------------


def _why(resource: Resource, parsed) -> list[tuple[str, Markup]]:
    """Where the words were found, each with its highlighted fragment: what the learner reads as "why"."""
    current = resource.current
    places = [(_("Title"), resource.title, None), (_("Summary"), resource.summary, FRAGMENT_WORDS)]
    if resource.format == ARTICLE:
        places.append((_("Article text"), plain_text(resource.body), FRAGMENT_WORDS))
    if current is not None and current.text:
        places.append((_("Text of the file %(name)s", name=current.filename), current.text, FRAGMENT_WORDS))
    found = []
    for label, text, window in places:
        html = search.highlight(text or "", parsed, window=window)
        if "<mark>" in html:
            found.append((label, html))
    return found


@role_required()
def library():
    form = LibraryFilterForm().fill(services.topic_choices(db.session))
    query = form.q.data if not form.q.errors else ""
    page = services.library(
        db.session, query=query or "", type_=form.type.data or None, role=form.role.data or None, topic=form.topic.data or None,
        page=page_number(),
    )  # fmt: skip
    parsed = search.parse_query(query) if query else None
    reasons = {r.id: _why(r, parsed) for r in page.items} if parsed else {}
    filters = {name: form[name].data for name in ("q", "type", "role", "topic") if form[name].data}
    return render_template(
        "knowledge/library.html", form=form, page=page, reasons=reasons, filters=filters, today=_today(),
        staff=services.is_staff(current_user), may_add=current_user.has_role(*ADDERS),
    )  # fmt: skip


@role_required()
def resource(resource_id: int):
    item = or_404(services.viewable(db.session, current_user, resource_id))
    staff = services.is_staff(current_user)
    review_form = ReviewForm() if staff and item.status == PROPOSED and item.user_id != current_user.id else None
    version_form = VersionForm() if staff and item.format == DOCUMENT else None
    return _resource_page(item, review_form=review_form, version_form=version_form)


def _resource_page(item: Resource, *, review_form=None, version_form=None, status: int = 200):
    return render_template(
        "knowledge/resource.html", resource=item, article_html=render_markdown(item.body) if item.format == ARTICLE else "",
        names=competence_names(db.session, item.competences), role_labels=ROLE_LABELS, today=_today(),
        staff=services.is_staff(current_user), review_form=review_form, version_form=version_form,
    ), status  # fmt: skip


@role_required()
def download(version_id: int):
    version = or_404(services.visible_version(db.session, current_user, version_id))
    root = upload_dir(current_app.instance_path).resolve()
    path = (root / version.stored_name).resolve()
    if not path.is_relative_to(root) or not path.exists():
        abort(404)
    return send_file(path, mimetype=TYPES[version.file_type], as_attachment=True, download_name=version.filename)


# --- adding, proposing, editing --------------------------------------------------------------------------------


def _data(form: ResourceForm) -> services.ResourceData:
    return services.ResourceData(
        format=form.format.data, type=form.type.data, title=form.title.data, summary=form.summary.data or "", body=form.body.data or "",
        url=form.url.data or "", source=form.source.data or "", licence=form.licence.data or "", published_on=form.published_on.data,
        valid_until=form.valid_until.data, unit_id=form.unit_id.data or None, topics=split_list(form.topics.data),
        roles=list(form.roles.data or []), competences=split_list(form.competences.data),
    )  # fmt: skip


def _resource_form(item: Resource | None = None) -> ResourceForm:
    form = ResourceForm(obj=item) if item is not None and request.method == "GET" else ResourceForm()
    form.fill(unit_choices(db.session))
    if item is not None and request.method == "GET":
        form.unit_id.data = item.unit_id or 0
        form.topics.data, form.competences.data = ", ".join(item.topics), ", ".join(item.competences)
        form.roles.data = item.roles
    return form


@role_required(*ADDERS)
def new():
    form = _resource_form()
    staff = services.is_staff(current_user)
    if form.validate_on_submit():
        upload = form.file.data
        file = (upload.filename, upload.read()) if upload and upload.filename else None
        try:
            item = services.create_resource(
                db.session, user=current_user, data=_data(form), file=file, proposal_note=form.proposal_note.data or "",
                instance_path=current_app.instance_path,
            )  # fmt: skip
        except UploadRejected as exc:
            db.session.rollback()
            exc.add_to(form.file)
        except services.KnowledgeError as exc:
            db.session.rollback()
            exc.flash()
        else:
            db.session.commit()
            flash(_("The resource is published.") if staff else _("Thank you. Your proposal waits for a review by ROPS staff."), "success")
            return redirect(url_for("knowledge.resource", resource_id=item.id))
    status = 400 if request.method == "POST" else 200
    return render_template("knowledge/form.html", form=form, resource=None, staff=staff), status


@role_required(TRAINER, ISSUER)
def edit(resource_id: int):
    item = or_404(db.session.get(Resource, resource_id))
    form = _resource_form(item)
    if form.validate_on_submit():
        try:
            services.update_resource(db.session, item, user=current_user, data=_data(form))
        except services.KnowledgeError as exc:
            db.session.rollback()
            exc.flash()
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("knowledge.resource", resource_id=item.id))
    status = 400 if request.method == "POST" else 200
    return render_template("knowledge/form.html", form=form, resource=item, staff=True), status


@role_required(TRAINER, ISSUER)
def new_version(resource_id: int):
    item = or_404(db.session.get(Resource, resource_id))
    form = VersionForm()
    if item.format != DOCUMENT:
        abort(404)
    if form.validate_on_submit():
        try:
            version = services.add_version(
                db.session, item, user=current_user, filename=form.file.data.filename, data=form.file.data.read(),
                change_summary=form.change_summary.data, instance_path=current_app.instance_path,
            )  # fmt: skip
        except UploadRejected as exc:
            db.session.rollback()
            exc.add_to(form.file)
        else:
            db.session.commit()
            flash(_("Version %(number)s is now current; the earlier one is kept as superseded.", number=version.number), "success")
            return redirect(url_for("knowledge.resource", resource_id=item.id))
    return _resource_page(item, version_form=form, status=400)


# --- reviewing proposals ---------------------------------------------------------------------------------------


@role_required(TRAINER, ISSUER)
def queue():
    return render_template("knowledge/queue.html", proposals=services.proposals_queue(db.session))


@role_required(TRAINER, ISSUER)
def review(resource_id: int):
    item = or_404(db.session.get(Resource, resource_id))
    form = ReviewForm()
    if form.validate_on_submit():
        accept = form.decision.data == ACCEPT
        try:
            services.review(db.session, item, reviewer=current_user, accept=accept, reason=form.reason.data or "")
        except services.KnowledgeError as exc:
            db.session.rollback()
            exc.add_to(form.reason)
        else:
            db.session.commit()
            flash(_("The proposal is published.") if accept else _("The proposal is rejected; the proposer has been told why."), "success")
            return redirect(url_for("knowledge.queue"))
    return _resource_page(item, review_form=form, status=400)


@role_required()
def mine():
    return render_template("knowledge/mine.html", resources=services.my_resources(db.session, current_user.id), today=_today())


# --- sections on other domains' pages and the dashboard ---------------------------------------------------------


def read_more(user, competences=(), **_subject) -> dict | None:  # noqa: ARG001 - a slot's build signature
    """ "Read more" under a lesson, an assignment or on a competence's page: resources tagged with its competences."""
    found = services.for_competences(db.session, competences)
    return {"read_more": found, "today": _today()} if found else None


def staff_panel(user) -> dict | None:  # noqa: ARG001 - a dashboard panel's build signature
    count = services.waiting_count(db.session)
    return {"waiting": count} if count else None
