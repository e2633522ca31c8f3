"""Competency pages: learner profile, self-assessment with development path, prior learning, trainer and
coordinator views, and the framework's interoperability downloads."""

from __future__ import annotations

import json

from flask import Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..accounts.models import User
from ..core.audit import audit
from ..core.confirm import confirmation
from ..core.errors import or_404
from ..core.exports import CSV_MIMETYPE, csv_download, download, xlsx_download
from ..core.files import UploadRejected
from ..core.pagination import paginate
from ..core.registry import registry
from ..core.roles import ADMIN, COORDINATOR, LEARNER, TRAINER
from ..core.security import role_required
from ..core.timeutil import to_local
from ..extensions import db
from . import forms
from .models import ACCEPTED, PENDING, PRIOR_LEARNING, Evidence, SelfAssessment
from .services import access
from .services import framework as fw
from .services import levels as level_service
from .services import next_steps as next_step_service
from .services import path as path_service
from .services import profile as profile_service
from .services import requests as request_service
from .services import rpl as rpl_service
from .services import self_assessment as self_assessment_service
from .services import team as team_service
from .services import withdrawal as withdrawal_service


def profile_panel(user) -> dict | None:
    summaries = profile_service.role_summaries(db.session, user.id)
    if not summaries:
        return None
    return {"role_summaries": summaries, "next": profile_service.next_for_gaps(db.session, user.id, limit=3)}


def team_panel(user) -> dict | None:
    """The coordinator's dashboard: team size and, per role, how many workers meet its whole profile."""
    if user.institution_id is None:
        return None
    return {"summary": team_service.team_summary(db.session, user.institution_id), "institution": user.institution}


def trainer_courses_panel(user) -> dict:
    """The trainer's dashboard: the courses they look after (their own and the shared file courses), with learners."""
    return {"courses": team_service.trainer_course_overview(db.session, user.id)}


def course_url(slug: str) -> str:
    """The course page where a learner enrols (owned by the courses domain)."""
    return url_for("courses.course", slug=slug)


def _framework_or_404():
    return or_404(fw.current_framework(db.session))


def _role_choices(framework) -> list[tuple[str, str]]:
    """Roles with a profile, from the per-process cache of the framework version (not its ORM rows each time)."""
    facts = fw.framework_facts(db.session, framework)
    return [(r.code, r.name) for r in facts.profiled_roles] if facts else []


def _profile_context(user_id: int, role: str | None) -> dict:
    framework = _framework_or_404()
    evidence = level_service.evidence_for_user(db.session, user_id)
    withdrawn = withdrawal_service.withdrawn_ids(db.session, user_id)
    areas = profile_service.area_rows(db.session, user_id, role, evidence)
    known = {row.competence.code for a in areas for row in a.competences}
    links, documents = access.openable(db.session, current_user, evidence)
    return {
        "openable_links": links,
        "openable_documents": documents,
        "framework": framework,
        "scale": fw.scale_labels(db.session, framework),
        "role_summaries": profile_service.role_summaries(db.session, user_id),
        "areas": areas,
        "evidence": evidence,
        "names": fw.competence_names(db.session, {e.competence_code for e in evidence}),
        "retired": sorted({e.competence_code for e in evidence} - known),
        "chosen_role": role,
        "withdrawn": withdrawn,
        "source_titles": _source_titles(evidence),
    }


COURSE_LINK = "/courses/"


def _source_titles(evidence) -> dict[str, str]:
    """Evidence link → the title of the course it leads to, so each "what produced it" link is named apart."""
    from ..courses.services.learning import course_titles

    slugs = {e.link: e.link[len(COURSE_LINK) :].split("/")[0] for e in evidence if e.link and e.link.startswith(COURSE_LINK)}
    titles = course_titles(db.session, set(slugs.values()))
    return {link: titles[slug] for link, slug in slugs.items() if slug in titles}


# --- learner ---------------------------------------------------------------------------------------------------


@role_required(LEARNER)
def profile():
    framework = _framework_or_404()
    form = forms.RoleChoiceForm()
    form.role.choices = [("", _("All roles (highest requirement)")), *_role_choices(framework)]
    role = form.role.data if form.validate() and form.role.data else None
    context = _profile_context(current_user.id, role)
    codes = [row.competence.code for area in context["areas"] for row in area.competences]
    steps = next_step_service.next_steps(db.session, current_user.id, codes)
    sections = registry.slot_sections("competencies.profile", current_user)
    return render_template("competencies/profile.html", form=form, next_steps=steps, sections=sections, **context)


@role_required(LEARNER)
def self_assessment():
    framework = _framework_or_404()
    choice = forms.RoleChoiceForm()
    choice.role.choices = _role_choices(framework)
    role = fw.role_by_code(db.session, choice.role.data, framework) if choice.role.data else None
    if role is None or not role.required:
        latest = level_service.recent_self_assessments(db.session, current_user.id)
        return render_template("competencies/self_assessment_start.html", choice=choice, previous=latest, roles=fw.roles(db.session))
    areas = self_assessment_service.areas_of(role)
    saved = self_assessment_service.draft_answers(db.session, current_user.id, role.code)
    number = _area_number(areas, saved)
    _area, competences = areas[number - 1]
    form = forms.self_assessment_form(competences, framework.scale)
    if request.method == "GET":
        for competence in competences:
            if competence.code in saved:
                form[forms.field_name(competence.code)].data = str(saved[competence.code])
    if form.validate_on_submit():
        answers = {c.code: int(form[forms.field_name(c.code)].data) for c in competences}
        saved = self_assessment_service.save_area(db.session, current_user.id, role.code, answers)
        return _after_area(framework, role, areas, number, saved)
    fields = [(c, form[forms.field_name(c.code)], forms.level_indicators(c, framework.scale)) for c in competences]
    return render_template(
        "competencies/self_assessment.html", form=form, role=role, fields=fields, framework=framework, areas=areas,
        number=number, area=areas[number - 1][0], last=number == len(areas),
    )  # fmt: skip


def _area_number(areas, saved: dict[str, int]) -> int:
    """The area asked for (`?area=`), else the first one not fully answered (resuming), else the first."""
    asked = request.args.get("area", "")
    if asked.isdigit() and 1 <= int(asked) <= len(areas):
        return int(asked)
    return self_assessment_service.first_unanswered(areas, saved) or 1


def _after_area(framework, role, areas, number: int, saved: dict[str, int]):
    """Go on to the next area; after the last one store the whole self-assessment, or return to a gap."""
    if number < len(areas):
        db.session.commit()
        return redirect(url_for("competencies.self_assessment", role=role.code, area=number + 1))
    gap = self_assessment_service.first_unanswered(areas, saved)
    if gap is not None:
        db.session.commit()
        flash(_("Some competences in this area have no answer yet."), "error")
        return redirect(url_for("competencies.self_assessment", role=role.code, area=gap))
    codes = {c.code for _area, competences in areas for c in competences}
    record = level_service.submit_self_assessment(
        db.session,
        user_id=current_user.id,
        framework=framework,
        role=role,
        answers={code: level for code, level in saved.items() if code in codes},
        link=lambda assessment_id: url_for("competencies.self_assessment_result", assessment_id=assessment_id),
    )
    self_assessment_service.discard_draft(db.session, current_user.id, role.code)
    db.session.commit()
    flash(_("Your self-assessment has been saved."), "success")
    return redirect(url_for("competencies.self_assessment_result", assessment_id=record.id))


@role_required(LEARNER)
def self_assessment_result(assessment_id: int):
    record = or_404(db.session.get(SelfAssessment, assessment_id))
    if record.user_id != current_user.id:
        abort(404)
    role = or_404(fw.role_by_code(db.session, record.role_code))
    gap_list = profile_service.gaps(db.session, current_user.id, record.role_code)
    answers = record.answers or {}
    development = path_service.development_path(db.session, current_user.id, gap_list)
    return render_template(
        "competencies/self_assessment_result.html",
        record=record,
        role=role,
        gaps=gap_list,
        answers=answers,
        path=development,
        course_url=course_url,
        scale=fw.scale_labels(db.session),
        required=fw.required_profile(db.session, record.role_code),
        current=level_service.current_levels(db.session, current_user.id),
        names=fw.competence_names(db.session, answers),
    )


def _competence_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} {c.name}") for c in fw.competences_by_code(db.session).values()]


def _level_choices(low: int) -> list[tuple[int, str]]:
    return [(level, f"{level} — {name}") for level, name in fw.scale_labels(db.session).items() if level >= low]


@role_required(LEARNER)
def prior_learning():
    _framework_or_404()
    form = forms.PriorLearningForm()
    form.code.choices = [("", _("— choose —")), *_competence_choices()]
    form.level.choices = _level_choices(1)
    if form.validate_on_submit():
        upload = form.document.data
        content = upload.read(current_app.config["RPL_DOCUMENT_MAX_BYTES"] + 1)
        try:
            rpl_service.submit_claim(
                db.session,
                instance_path=current_app.instance_path,
                user_id=current_user.id,
                code=form.code.data,
                level=form.level.data,
                note=form.note.data,
                filename=upload.filename or "",
                content=content,
            )
        except UploadRejected as rejected:  # the wrong file, or the server could not store it
            rejected.add_to(form.document)
        else:
            db.session.commit()
            flash(_("Your claim has been submitted. A trainer will review it."), "success")
            return redirect(url_for("competencies.prior_learning"))
    claims = rpl_service.claims_of(db.session, current_user.id)
    return render_template(
        "competencies/prior_learning.html",
        form=form,
        claims=claims,
        names=fw.competence_names(db.session, {c.competence_code for c in claims}),
    )


@role_required()
def evidence_document(evidence_id: int):
    evidence = or_404(db.session.get(Evidence, evidence_id))
    if not evidence.document_path:
        abort(404)
    if not access.may_open_evidence(db.session, current_user, evidence):
        abort(404)
    path = or_404(rpl_service.document_path(current_app.instance_path, evidence))
    return send_file(path, mimetype=evidence.document_mimetype, as_attachment=True, download_name=evidence.document_name or path.name)


# --- trainer ---------------------------------------------------------------------------------------------------


@role_required(TRAINER)
def learners():
    rows = team_service.trainer_learners(db.session, current_user.id)
    codes = sorted({code for row in rows for code in row.codes})
    return render_template(
        "competencies/learners.html",
        rows=rows,
        names=fw.competence_names(db.session, codes),
        pending=rpl_service.pending_claims(db.session),
        scale=fw.scale_labels(db.session),
    )


def _learner_or_404(user_id: int) -> User:
    """The learner, when this trainer has a reason to see them; otherwise 404, as for an unknown id."""
    user = or_404(db.session.get(User, user_id))
    if user.erased_at is not None or not user.has_role(LEARNER):
        abort(404)
    if not access.trainer_may_see_learner(db.session, current_user, user.id):
        abort(404)
    return user


def _assessment_form() -> forms.AssessmentForm:
    form = forms.AssessmentForm()
    form.code.choices = [("", _("— choose —")), *_competence_choices()]
    form.level.choices = _level_choices(0)
    return form


@role_required(TRAINER, ADMIN)
def learner(user_id: int):
    user = _learner_or_404(user_id)
    return _render_learner(user, _assessment_form())


def _withdraw_form(user_id: int, evidence: list[Evidence], withdrawn: set[int]) -> forms.WithdrawEvidenceForm:
    form = forms.WithdrawEvidenceForm()
    form.evidence_id.choices = [
        (e.id, f"{e.competence_code} · {e.level} · {e.source_label} · {to_local(e.recorded_at):%d.%m.%Y}")
        for e in evidence
        if e.id not in withdrawn and level_service.confirms(e) and e.user_id == user_id
    ]
    return form


def _render_learner(user: User, form, status: int = 200, withdraw_form=None):
    context = _profile_context(user.id, None)
    claims = rpl_service.pending_claims(db.session, user.id)
    open_requests = request_service.open_requests_of_learner(db.session, current_user, user.id)
    withdraw_form = withdraw_form or _withdraw_form(user.id, context["evidence"], context["withdrawn"])
    return render_template(
        "competencies/learner.html",
        learner=user,
        form=form,
        claims=claims,
        open_requests=open_requests,
        review_form=forms.ReviewForm(),
        withdraw_form=withdraw_form,
        **context,
    ), status


@role_required(TRAINER)
def assess(user_id: int):
    user = _learner_or_404(user_id)
    form = _assessment_form()
    if not form.validate_on_submit():
        return _render_learner(user, form, 400)
    try:
        level_service.assess_learner(
            db.session, trainer_id=current_user.id, user_id=user.id, code=form.code.data, level=form.level.data, note=form.note.data
        )
    except level_service.OwnEvidenceRefused as refused:
        db.session.rollback()
        refused.add_to(form.level)
        return _render_learner(user, form, 400)
    db.session.commit()
    flash(_("The assessment has been saved."), "success")
    return redirect(url_for("competencies.learner", user_id=user.id))


@role_required(TRAINER, ADMIN)
def withdraw(user_id: int):
    """A trainer or admin withdraws a wrong piece of evidence; levels are recomputed and certificates are told."""
    user = _learner_or_404(user_id)
    withdraw_form = _withdraw_form(
        user.id, level_service.evidence_for_user(db.session, user.id), withdrawal_service.withdrawn_ids(db.session, user.id)
    )
    if not withdraw_form.validate_on_submit():
        return _render_learner(user, _assessment_form(), 400, withdraw_form)
    evidence = db.session.get(Evidence, withdraw_form.evidence_id.data) or abort(404)
    page = confirmation(
        title=_("Withdraw this evidence of %(name)s?", name=user.full_name),
        consequence=_("The levels are recomputed without it; certificates that relied on it are flagged for review."),
        action=_("Withdraw the evidence"),
        cancel_url=url_for("competencies.learner", user_id=user.id),
        summary=[(_("Learner"), user.full_name), (_("Competence"), evidence.competence_code), (_("Level"), evidence.level)],
        fields=[withdraw_form.reason],
    )
    if page is not None:
        return page
    try:
        withdrawal_service.withdraw_evidence(db.session, evidence, actor_id=current_user.id, reason=withdraw_form.reason.data)
    except withdrawal_service.CannotWithdraw as refusal:
        db.session.rollback()
        refusal.flash()
        return redirect(url_for("competencies.learner", user_id=user.id))
    db.session.commit()
    flash(_("The evidence has been withdrawn and the levels recomputed."), "success")
    return redirect(url_for("competencies.learner", user_id=user.id))


@role_required(TRAINER)
def review(evidence_id: int):
    evidence = or_404(db.session.get(Evidence, evidence_id))
    if evidence.source != PRIOR_LEARNING or not access.may_open_evidence(db.session, current_user, evidence):
        abort(404)
    form = forms.ReviewForm()
    if not form.validate_on_submit() or evidence.status != PENDING:
        flash(_("This claim cannot be reviewed."), "error")
        return redirect(url_for("competencies.learner", user_id=evidence.user_id))
    if form.reject.data:
        page = confirmation(
            title=_("Reject this prior learning claim?"),
            consequence=_("The claim does not count towards any level. The decision is final; the learner may submit a new claim."),
            action=_("Reject the claim"),
            cancel_url=url_for("competencies.learner", user_id=evidence.user_id),
            summary=[(_("Competence"), evidence.competence_code), (_("Level"), evidence.level)],
        )
        if page is not None:
            return page
    try:
        level_service.review_prior_learning(db.session, evidence, accept=bool(form.accept.data), reviewer_id=current_user.id)
    except level_service.OwnEvidenceRefused as refused:
        db.session.rollback()
        refused.flash()
        return redirect(url_for("competencies.learner", user_id=evidence.user_id))
    db.session.commit()
    flash(_("The claim has been accepted.") if evidence.status == ACCEPTED else _("The claim has been rejected."), "success")
    return redirect(url_for("competencies.learner", user_id=evidence.user_id))


# --- coordinator -----------------------------------------------------------------------------------------------


def _team_role():
    framework = _framework_or_404()
    if current_user.institution_id is None:
        abort(403)
    form = forms.RoleChoiceForm()
    form.role.choices = _role_choices(framework)
    if form.validate() and form.role.data in dict(form.role.choices):
        role = form.role.data
    else:  # a framework without role profiles (e.g. an imported one chosen by the admin) has no role to show
        role = form.role.choices[0][0] if form.role.choices else ""
    form.role.data = role
    required = fw.required_profile(db.session, role) if role else {}
    return form, role, required, list(required)


def _team_context():
    form, role, required, codes = _team_role()
    rows = team_service.team_matrix(db.session, current_user.institution_id)
    return form, role, required, codes, rows


TEAM_PAGE_SIZE = 50  # workers per page of the matrix; the exports hold the whole team


@role_required(COORDINATOR)
def team():
    form, role, required, codes = _team_role()
    page = paginate(team_service.team_members_query(current_user.institution_id), per_page=TEAM_PAGE_SIZE)
    rows = team_service.matrix_rows(db.session, list(page.items))
    ids = [row.user.id for row in rows]
    return render_template(
        "competencies/team.html",
        form=form,
        role=role,
        required=required,
        codes=codes,
        rows=rows,
        page=page,
        counts=team_service.course_counts(db.session, ids),
        facts=registry.facts_for(db.session, ids),
        meeting=team_service.team_meeting(db.session, current_user.institution_id, required),
        met={row.user.id: team_service.met_count(row.levels, required) for row in rows},
        names=fw.competence_names(db.session, codes),
        institution=current_user.institution,
        scale=fw.scale_labels(db.session),
    )


def _team_export():
    _form, role, required, codes, rows = _team_context()
    facts = [(str(fact.label), values) for fact, values in registry.facts_for(db.session, [row.user.id for row in rows])]
    header, body = team_service.matrix_table(db.session, rows, codes, required, facts)
    return role, header, body


@role_required(COORDINATOR)
def team_csv():
    role, header, body = _team_export()
    return csv_download(header, body, f"kompetencje-zespolu-{role}.csv")


@role_required(COORDINATOR)
def team_xlsx():
    role, header, body = _team_export()
    return xlsx_download(_("Team competences"), header, body, f"kompetencje-zespolu-{role}.xlsx")


@role_required(COORDINATOR)
def team_member(user_id: int):
    """One worker of the coordinator's own team: courses, certificates, each role's share and the levels."""
    if current_user.institution_id is None:
        abort(403)
    worker = or_404(team_service.team_member(db.session, current_user.institution_id, user_id))
    framework = _framework_or_404()
    facts = registry.facts_for(db.session, [worker.id])
    areas = profile_service.area_rows(db.session, worker.id, None, [])
    return render_template(
        "competencies/team_member.html",
        worker=worker,
        facts=[(fact.label, values.get(worker.id, "")) for fact, values in facts],
        courses=team_service.worker_courses(db.session, worker.id),
        role_summaries=profile_service.role_summaries(db.session, worker.id),
        areas=areas,
        scale={s.level: s.name for s in framework.scale},
    )


# --- framework and interoperability ----------------------------------------------------------------------------


def _profile_framework_form(formdata=None) -> forms.ProfileFrameworkForm:
    keys: dict[str, str] = {}
    for version in fw.versions(db.session):
        keys.setdefault(version.key, version.title)
    form = forms.ProfileFrameworkForm(formdata=formdata, data={"framework": fw.profile_framework_key(db.session)})
    form.framework.choices = [SelectChoice(key, f"{title} ({key})") for key, title in keys.items()]
    return form


def _framework_page(form: forms.ProfileFrameworkForm, status: int = 200):
    versions = fw.versions(db.session)
    current = fw.current_framework(db.session)  # none yet: the page offers loading the shipped one
    page = render_template(
        "competencies/framework.html", current=current, versions=versions, form=form, load_form=forms.LoadFrameworkForm()
    )
    return page, status


@role_required(ADMIN)
def load_shipped_framework():
    """Load (or update to) the framework shipped in competency_model/, as `flask competencies load` does; audited."""
    form = _profile_framework_form()
    if not forms.LoadFrameworkForm().validate_on_submit():
        return _framework_page(form, 400)
    try:
        result = fw.load_framework(db.session, fw.MODEL_DIR)
    except fw.FrameworkError as exc:
        db.session.rollback()
        exc.flash()
        return _framework_page(form, 422)
    framework = result.framework
    audit(
        db.session,
        "competencies.framework_load",
        actor_id=current_user.id,
        target=framework,
        key=framework.key,
        version=framework.version,
        status=result.status,
    )
    db.session.commit()
    if result.status == "unchanged":
        flash(
            _(
                "The shipped framework %(title)s (version %(version)s) is already loaded; nothing changed.",
                title=framework.title,
                version=framework.version,
            ),
            "success",
        )
    else:
        flash(
            _("The shipped framework %(title)s (version %(version)s) has been loaded.", title=framework.title, version=framework.version),
            "success",
        )
    return redirect(url_for("competencies.framework"))


@role_required(ADMIN)
def framework():
    return _framework_page(_profile_framework_form())


@role_required(ADMIN)
def choose_framework():
    """Switch the framework role profiles use; audited, since every learner's profile follows it."""
    form = _profile_framework_form(request.form)
    if not form.validate_on_submit():
        return _framework_page(form, 400)
    chosen = fw.set_profile_framework(db.session, form.framework.data)
    audit(db.session, "competencies.profile_framework", actor_id=current_user.id, target=chosen, key=chosen.key)
    db.session.commit()
    flash(_("Role profiles now use the framework %(title)s.", title=chosen.title), "success")
    return redirect(url_for("competencies.framework"))


@role_required(ADMIN)
def export_moodle():
    from .services.interop import export_moodle_csv

    framework = _framework_or_404()
    # Moodle's importer reads the cells verbatim, so this interchange file is not neutralised (admins only,
    # and its text comes from the framework files in the repository, not from users).
    return download(export_moodle_csv(db.session), f"{framework.key}-{framework.version}-moodle.csv", CSV_MIMETYPE)


@role_required(ADMIN)
def export_case():
    from .services.interop import export_case as build_case

    framework = _framework_or_404()
    return Response(
        json.dumps(build_case(db.session), ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{framework.key}-{framework.version}-case.json"'},
    )


@role_required()
def competence(code: str):
    """One competence of the current framework: what it is, its indicators per level, and what other domains
    offer about it (the "competencies.competence" slot, e.g. the knowledge base's reading)."""
    framework = _framework_or_404()
    item = or_404(fw.competences_by_code(db.session, framework).get(code))
    sections = registry.slot_sections("competencies.competence", current_user, competences=[item.code])
    indicators = [(int(level), items or []) for level, items in sorted((item.indicators or {}).items(), key=lambda pair: int(pair[0]))]
    return render_template(
        "competencies/competence.html", competence=item, framework=framework, indicators=indicators,
        scale=fw.scale_names(db.session), sections=sections,
    )  # fmt: skip
