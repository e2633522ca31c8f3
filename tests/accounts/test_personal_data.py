"""The personal-data marker is a contract: every marked column is exported and erased, every personal column is marked.

A column declared with info={"personal": True} (see elearn/core/registry.py) must show up in the person's JSON
export and be cleared (or its row deleted) when they erase their account, unless it is listed below with the reason
elearn keeps it. The data set below gives one person a row with a value in every marked column, through the real
services; a newly marked column without data here fails the test until this file learns how to create it.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from elearn.accounts import services as accounts
from elearn.accounts.models import User
from elearn.certificates import services as certificates
from elearn.core.audit import audit
from elearn.core.registry import is_personal
from elearn.extensions import db
from tests.certificates.helpers import ANIMATOR, complete, course

# Marked columns whose value elearn keeps after erasure, and why.
KEPT_AFTER_ERASURE = {
    "certificates.holder_name": "the certificate register must be kept to verify certificates (the organiser's ewidencja)",
    "certificates.snapshot": "the register keeps each certificate exactly as printed, holder's name and birth data included",
    "audit_log.ip": "the audit log is append-only evidence of who did what; it now points at the anonymised account",
}
# Marked columns that are not copied into the export, and why.
NOT_EXPORTED = {
    "comp_evidence.document_path": "a random storage name made by elearn; the export names the document by document_name",
    "event_calendar_feeds.token": "a secret in the personal calendar address, like a password: the export says a feed exists, not its key",
    "comp_assessment_requests.document_path": "a random storage name made by elearn; the export names the document by document_name",
    "practice_files.path": "a random storage name made by elearn; the export names the file by practice_files.name",
    "advisory_attachments.path": "a random storage name made by elearn; the export names the file by advisory_attachments.name",
    "discussion_posts.body_html": "the sanitised rendering of discussion_posts.body, which is exported as written",
    "discussion_messages.body_html": "the sanitised rendering of discussion_messages.body, which is exported as written",
    "discussion_attachments.path": "a random storage name made by elearn; the export names the file by its filename",
}

# Column names that suggest personal data; a column matching one must be marked or listed in NOT_PERSONAL.
PERSONAL_WORDS = ("email", "name", "phone", "birth", "address", "street", "postal", "city", "note", "document", "pesel", "holder")
PERSONAL_TOKENS = ("ip",)  # short words matched as whole parts of a snake_case name only
NOT_PERSONAL = {
    "comp_settings.name": "the name of an instance-wide setting of the competencies domain",
    "certificate_bulk_jobs.send_email": "a yes/no setting of a bulk job",
    "certificate_issuer_profile.show_birth_date": "a yes/no setting: whether certificates print birth data",
    "certificate_issuer_profile.show_birth_place": "a yes/no setting: whether certificates print birth data",
    "certificate_issuer_profile.name": "the issuing institution, printed on every certificate",
    "certificate_issuer_profile.address": "the issuing institution's address",
    "certificate_issuer_profile.signatory_name": "the official who signs, public in that role on every certificate; not a user",
    "comp_areas.name": "competency framework content",
    "comp_competences.name": "competency framework content",
    "comp_roles.name": "competency framework content",
    "comp_scale_levels.name": "competency framework content",
    "comp_evidence.document_mimetype": "the file type of a document, cleared with it on erasure; says nothing about the person",
    "course_attachments.filename": "a course file uploaded by a trainer as course content",
    "course_attachments.stored_name": "the storage name of course content",
    "course_attachments.media_name": "the name course Markdown refers to a course image or handout by (media/<name>)",
    "institutions.name": "an institution, from the public register",
    "institutions.street": "an institution's address, from the public register",
    "institutions.postal_code": "an institution's address, from the public register",
    "institutions.city": "an institution's address, from the public register",
    "institution_proposals.name": "an institution a worker proposes for the public list, not the worker",
    "institution_proposals.street": "the proposed institution's address, for the public list",
    "institution_proposals.postal_code": "the proposed institution's address, for the public list",
    "institution_proposals.city": "the proposed institution's address, for the public list",
    "territorial_units.name": "TERYT geography",
    "comp_assessment_requests.document_mimetype": "the file type of a document, deleted with it on erasure",
    "events.place_name": "where a training event takes place, published in the calendar",
    "events.street": "where a training event takes place, published in the calendar",
    "events.postal_code": "where a training event takes place, published in the calendar",
    "events.city": "where a training event takes place, published in the calendar",
    "events.capacity": "the number of places at an event (matches 'city' only by its spelling)",
    "users.email_confirmed_at": "account state (when the address was confirmed), not the address; the row is anonymised",
    "notifications.email_status": "delivery state of a notification; the person's notifications are deleted on erasure",
    "notifications.emailed_at": "delivery time of a notification; the person's notifications are deleted on erasure",
    "knowledge_versions.filename": "a knowledge-base document's file name (content); unpublished proposals are deleted on erasure",
    "knowledge_versions.stored_name": "the random storage name of a knowledge-base document",
    "analytics_local_plans.document_url": "a link to a local government's published plan (LPDI, SRPS), public law",
}


def looks_personal(name: str) -> bool:
    return any(word in name for word in PERSONAL_WORDS) or any(token in name.split("_") for token in PERSONAL_TOKENS)


def marked_columns() -> dict[str, object]:
    return {
        f"{table.name}.{column.name}": column for table in db.metadata.tables.values() for column in table.columns if is_personal(column)
    }


def owned_by(table, user_id: int):
    """The condition that ties a row to the person: their user id, the actor of an audit entry, a recipient, or (for
    a submission's versions and files) a parent row the person owns."""
    if table.name == "users":
        return table.c.id == user_id
    for name in ("user_id", "actor_id", "recipient_id", "requester_id", "author_id", "uploader_id", "reporter_id", "sender_id"):
        if name in table.c:
            return table.c[name] == user_id
    for key in table.foreign_keys:
        parent = key.column.table
        if parent is not table and parent.name != "users":
            condition = owned_by(parent, user_id)
            if condition is not None:
                return key.parent.in_(select(key.column).where(condition))
    return None


def test_every_column_named_like_personal_data_is_marked():
    unmarked = sorted(
        f"{table.name}.{column.name}"
        for table in db.metadata.tables.values()
        for column in table.columns
        if looks_personal(column.name) and not is_personal(column) and f"{table.name}.{column.name}" not in NOT_PERSONAL
    )
    assert unmarked == [], "mark these columns info={'personal': True} or explain in NOT_PERSONAL why they are not personal"


def test_the_exception_lists_name_real_columns():
    columns = {f"{t.name}.{c.name}": c for t in db.metadata.tables.values() for c in t.columns}
    assert set(NOT_PERSONAL) <= set(columns)
    assert all(not is_personal(columns[name]) for name in NOT_PERSONAL)
    assert set(KEPT_AFTER_ERASURE) | set(NOT_EXPORTED) <= set(marked_columns())


@pytest.fixture
def person(app, make_user):
    """A learner with data in every table that has a marked column, created through the services."""
    user = make_user("learner", full_name="Zofia Rodowska", email="zofia.rodowska@example.org", job_title="asystentka rodziny")
    issuer = make_user("issuer")
    profile = certificates.issuer_profile(db.session)
    profile.show_birth_date = profile.show_birth_place = True
    for slug in (ANIMATOR, "mediator-w-spolecznosci-lokalnej"):
        complete(user.id, slug)
        certificates.request_certificate(db.session, user, course(slug), birth_date=date(1990, 5, 17), birth_place="Toruń")
    certificates.issue_certificate(db.session, user, course(ANIMATOR), issued_by_id=issuer.id)  # the mediator request stays open

    from elearn.competencies.models import SelfAssessment, SelfAssessmentDraft
    from elearn.competencies.services import requests
    from elearn.events.services import ical

    ical.feed_token(db.session, user.id)  # the personal calendar feed address
    accounts.set_sex(db.session, user, "female", actor_id=user.id)  # the optional EU monitoring answer
    accounts.set_birth_year(db.session, user, 1990, actor_id=user.id)  # the optional EU monitoring age band
    from elearn.core.notifications import NotificationPreference
    from elearn.practice import services as practice

    ask = requests.create_request(
        db.session, instance_path=app.instance_path, user=user, code="ANI.2.1",
        description="Zofia prowadziła trzy spotkania sąsiedzkie na osiedlu.", document=("notatka-zofii.pdf", b"%PDF-1.4 notatka"),
    )  # fmt: skip
    requests.decline(db.session, ask, trainer=make_user("trainer"), reason="Zofio, dołącz notatkę z drugiego spotkania.")

    ref = practice.find_assignment(db.session, ANIMATOR, "wejscie-w-spolecznosc", "plan-wejscia")
    submission = practice.save_work(
        db.session, user=user, ref=ref, text="Plan wejścia Zofii: spacer z sołtyską, dyżur w świetlicy.",
        files=[("plan-zofii.pdf", b"%PDF-1.4 plan")], instance_path=app.instance_path, submit=True,
    )  # fmt: skip
    rubric = practice.rubric(db.session, ref)
    practice.review(
        db.session, trainer=make_user("trainer"), submission=submission, met=[False] * len(rubric), decision="revise",
        feedback="Zofio, dopisz, z kim umówisz pierwsze spotkanie.",
    )  # fmt: skip

    db.session.add(NotificationPreference(user_id=user.id, kind="certificates.revoked", email=False))
    from elearn.competencies.services import current_framework, rpl

    rpl.submit_claim(
        db.session,
        instance_path=app.instance_path,
        user_id=user.id,
        code="ANI.1.1",
        level=2,
        note="Prowadziłam klub sąsiedzki przez dwa lata",
        filename="zaswiadczenie-zofia.pdf",
        content=b"%PDF-1.4 zaswiadczenie",
    )
    db.session.add(
        SelfAssessment(user_id=user.id, framework_id=current_framework(db.session).id, role_code="animator", answers={"ANI.1.1": 2})
    )
    from elearn.advisory.services import cases as advisory

    case = advisory.open_case(
        db.session, user=user, subject="Pytanie o LPDI", topic="lpdi", preferred_form="telefon", urgency="zwykla",
        description="Gmina przygotowuje lokalny plan deinstytucjonalizacji.", contact_phone="600 700 800",
        files=[("notatka-zofii-lpdi.pdf", b"%PDF-1.4 lpdi")], instance_path=app.instance_path,
    )  # fmt: skip
    advisory.add_message(
        db.session, case, author=user, body="Dzwonić do Zofii Rodowskiej po 12:00.", files=[], instance_path=app.instance_path
    )
    from elearn.knowledge.services import resources as knowledge

    for title, accept in (("Poradnik Zofii o klubach sąsiedzkich", False), ("Raport Zofii o świetlicach", None)):
        proposal = knowledge.create_resource(
            db.session, user=user, instance_path=app.instance_path, proposal_note=f"Zofia poleca: {title}",
            data=knowledge.ResourceData(format="link", type="guide", title=title, summary="Materiał Zofii.", url="https://example.org/zofia"),
        )  # fmt: skip
        if accept is False:
            knowledge.review(db.session, proposal, reviewer=issuer, accept=False, reason="Zofio, to materiał reklamowy, nie źródłowy.")
    _discussion_data(app, user, make_user)
    db.session.add(SelfAssessmentDraft(user_id=user.id, role_code="mediator", answers={"MED.1.1": 1}))
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.45"}):
        audit(db.session, "user.profile", actor_id=user.id, target=user)
    db.session.commit()
    return user


def _discussion_data(app, user, make_user) -> None:
    """A forum thread with an edited post and an attachment, a report, and a direct message to a colleague."""
    from elearn.discussion.demo import load_forums
    from elearn.discussion.services import messages, moderation, posting

    load_forums(db.session)
    forum = posting.forum_by_slug(db.session, "srps-w-praktyce")
    thread = posting.start_thread(
        db.session, user, posting.Place(forum=forum), title="Zofia pyta o diagnozę do strategii",
        body="Zofia: jak zebrać dane o przemocy w rodzinie?", files=[("ankieta-zofii.pdf", b"%PDF-1.4 ankieta")],
        instance_path=app.instance_path,
    )  # fmt: skip
    posting.edit_post(db.session, user, thread.posts[0], "Zofia: jak zebrać dane do diagnozy bez danych osobowych?")
    other = make_user("learner", full_name="Ewa Sąsiadka")
    theirs = posting.reply(db.session, other, thread, body="Ewa odpowiada Zofii.", quote_id=None, files=[], instance_path=app.instance_path)
    moderation.report(db.session, user, theirs, "Zofia zgłasza: wpis Ewy podaje adres rodziny.")
    messages.send(db.session, user, other, "Zofia pisze do Ewy o spotkaniu w piątek.")


def rows_of(user_id: int) -> dict[str, list[tuple]]:
    """{table.column: [(primary key, value), …]} for every marked column, over the person's rows."""
    found: dict[str, list[tuple]] = {}
    for name, column in marked_columns().items():
        table = column.table
        owner = owned_by(table, user_id)
        assert owner is not None, f"{table.name} has a personal column but no way to its owner: teach owned_by() about it"
        keys = list(table.primary_key.columns)
        rows = db.session.execute(select(*keys, column).where(owner, column.is_not(None))).all()
        found[name] = [(tuple(row[:-1]), row[-1]) for row in rows]
    return found


def leaves(value) -> list:
    """Every value in the export, nested containers included, to compare stored values against."""
    if isinstance(value, dict):
        return [value, *[leaf for item in value.values() for leaf in leaves(item)]]
    if isinstance(value, list):
        return [value, *[leaf for item in value for leaf in leaves(item)]]
    return [value]


def exported(value, export: list) -> bool:
    if isinstance(value, date):
        value = value.isoformat()
    return any(value == item or (isinstance(item, str) and isinstance(value, str) and re.search(re.escape(value), item)) for item in export)


def test_every_marked_column_is_exported_and_erased(person):
    before = rows_of(person.id)
    missing = sorted(name for name, rows in before.items() if not rows)
    assert missing == [], f"the test person has no value in {missing}: extend the `person` fixture"

    export = leaves(json.loads(json.dumps(accounts.export_personal_data(person), default=str)))
    not_exported = sorted(
        name for name, rows in before.items() if name not in NOT_EXPORTED and not all(exported(value, export) for _pk, value in rows)
    )
    assert not_exported == []

    accounts.erase_account(db.session, person, actor_id=person.id)
    db.session.commit()
    db.session.expire_all()
    still_there = {}
    for name, rows in before.items():
        column = marked_columns()[name]
        for pk, value in rows:
            keys = list(column.table.primary_key.columns)
            now = db.session.scalar(select(column).where(*(key == key_value for key, key_value in zip(keys, pk, strict=True))))
            if now is not None and now == value and name not in KEPT_AFTER_ERASURE:
                still_there[name] = value
    assert still_there == {}
    assert db.session.get(User, person.id).email not in {"zofia.rodowska@example.org"}
