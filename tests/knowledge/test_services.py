"""The knowledge base's rules: who publishes, who proposes, reviews, versions, extraction and the search index."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from elearn.core import search
from elearn.core.audit import AuditEntry
from elearn.core.files import UploadRejected
from elearn.core.notifications import Notification
from elearn.extensions import db
from elearn.knowledge.models import DONE, FAILED, PROPOSED, PUBLISHED, REJECTED, Resource
from elearn.knowledge.services import resources as services
from elearn.knowledge.services.extraction import extract_text

from .helpers import docx_with, odt_with, pdf_with, xlsx_with


def _found(query: str) -> list[str]:
    return [key for kind, key, _course in search.search_ids(db.session, query, kinds_=["knowledge"])]


def test_staff_publish_at_once_and_it_is_audited(make_user, add):
    trainer = make_user("trainer")
    resource = add(trainer, "Wytyczne o usługach sąsiedzkich", type="guidelines", topics=["usługi"], roles=["polityk"])
    assert resource.status == PUBLISHED and resource.published_at is not None
    assert str(resource.id) in _found("usługi sąsiedzkie")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "knowledge.publish"))
    assert entry is not None and entry.actor_id == trainer.id


def test_a_learners_resource_is_a_proposal_outside_search_until_accepted(make_user, add):
    learner, issuer = make_user("learner"), make_user("issuer")
    proposal = add(learner, "Poradnik o świetlicach wiejskich", proposal_note="Polecam go koleżankom.")
    assert proposal.status == PROPOSED
    assert _found("świetlica wiejska") == []
    services.review(db.session, proposal, reviewer=issuer, accept=True)
    db.session.commit()
    assert proposal.status == PUBLISHED
    assert _found("świetlica wiejska") == [str(proposal.id)]
    told = db.session.scalar(select(Notification).where(Notification.recipient_id == learner.id))
    assert told.kind == "knowledge.accepted"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "knowledge.review")).actor_id == issuer.id


def test_rejection_needs_a_reason_which_reaches_the_proposer(make_user, add):
    learner, trainer = make_user("learner"), make_user("trainer")
    proposal = add(learner, "Reklama szkolenia")
    with pytest.raises(services.KnowledgeError):
        services.review(db.session, proposal, reviewer=trainer, accept=False, reason="  ")
    db.session.rollback()
    services.review(db.session, proposal, reviewer=trainer, accept=False, reason="To oferta komercyjna.")
    db.session.commit()
    assert proposal.status == REJECTED and proposal.review_reason == "To oferta komercyjna."
    told = db.session.scalar(select(Notification).where(Notification.recipient_id == learner.id))
    assert told.kind == "knowledge.rejected" and told.params["reason"] == "To oferta komercyjna."
    with pytest.raises(services.KnowledgeError):
        services.review(db.session, proposal, reviewer=trainer, accept=True)


def test_only_staff_review_and_never_their_own(make_user, add):
    learner, other, trainer = make_user("learner"), make_user("learner"), make_user("trainer")
    proposal = add(learner)
    with pytest.raises(services.KnowledgeError):
        services.review(db.session, proposal, reviewer=other, accept=True)
    both = make_user("learner", "trainer")
    own = add(both, "Własny materiał trenera")
    assert own.status == PUBLISHED  # a trainer who also learns publishes directly
    assert services.may_view(other, own) and not services.may_view(other, proposal) and services.may_view(trainer, proposal)


def test_form_rules(make_user, add):
    trainer = make_user("trainer")
    with pytest.raises(services.KnowledgeError, match="adresu"):
        add(trainer, format="link", url="")
    db.session.rollback()
    with pytest.raises(services.KnowledgeError):
        add(trainer, format="article", body="   ")
    db.session.rollback()
    with pytest.raises(services.KnowledgeError):
        add(trainer, format="document")
    db.session.rollback()
    with pytest.raises(services.KnowledgeError):
        add(trainer, competences=["XYZ.9.9"])
    db.session.rollback()
    with pytest.raises(services.KnowledgeError):
        add(trainer, published_on=date(2020, 1, 1), valid_until=date(2019, 1, 1))
    db.session.rollback()
    with pytest.raises(UploadRejected):
        add(trainer, file=("udaje.pdf", b"PK\x03\x04 not a pdf"))


@pytest.mark.parametrize(("kind", "make"), [("pdf", pdf_with), ("docx", docx_with), ("odt", odt_with), ("xlsx", xlsx_with)])
def test_text_of_every_document_type_is_extracted_and_searchable(make_user, add, kind, make):
    trainer = make_user("trainer")
    resource = add(trainer, f"Plik {kind}", file=(f"plik.{kind}", make("Wstęp.", "Rzadka fraza: pergola przy remizie strażackiej.")))
    db.session.refresh(resource.current)
    assert resource.current.extraction == DONE
    assert "pergola przy remizie" in resource.current.text
    assert _found('"pergola przy remizie"') == [str(resource.id)]


def test_an_unreadable_file_is_kept_and_marked(make_user, add):
    trainer = make_user("trainer")
    broken = pdf_with("x")[:60]  # starts like a PDF, cannot be parsed
    resource = add(trainer, "Uszkodzony PDF", file=("uszkodzony.pdf", broken))
    db.session.refresh(resource.current)
    assert resource.current.extraction == FAILED and resource.status == PUBLISHED


def test_a_new_version_supersedes_the_old_and_search_follows_it(app, make_user, add):
    trainer = make_user("trainer")
    resource = add(trainer, "Wzór umowy", type="template", file=("umowa.pdf", pdf_with("Stara klauzula o altanie.")))
    assert _found("altana") == [str(resource.id)]
    services.add_version(
        db.session, resource, user=trainer, filename="umowa-v2.docx", data=docx_with("Nowa klauzula o pergoli."),
        change_summary="Nowa klauzula.", instance_path=app.instance_path,
    )  # fmt: skip
    db.session.commit()
    db.session.refresh(resource)
    first, second = resource.versions
    assert (first.number, second.number) == (1, 2)
    assert first.superseded and not second.superseded and resource.current is second
    assert _found("pergola") == [str(resource.id)]
    assert _found("altana") == []  # the superseded text no longer answers
    with pytest.raises(services.KnowledgeError):
        services.add_version(db.session, resource, user=make_user("learner"), filename="x.pdf", data=pdf_with("x"),
                             change_summary="x", instance_path=app.instance_path)  # fmt: skip


def test_expired_legal_texts_are_recognised(make_user, add):
    trainer = make_user("trainer")
    old = add(trainer, "Stara ustawa", type="legal_act", published_on=date(1990, 11, 29), valid_until=date(2004, 4, 30))
    assert old.expired(date(2026, 1, 1)) and not old.expired(date(2004, 4, 30))


def test_library_filters_by_type_role_topic_and_words(make_user, add):
    trainer = make_user("trainer")
    law = add(trainer, "Ustawa o wsparciu sąsiedzkim", type="legal_act", roles=["polityk"], topics=["prawo"])
    guide = add(trainer, "Poradnik animatora sąsiedzkiego", type="guide", roles=["animator"], topics=["animacja"])
    ids = lambda page: [r.id for r in page.items]  # noqa: E731
    assert set(ids(services.library(db.session))) >= {law.id, guide.id}
    assert ids(services.library(db.session, type_="legal_act", query="sąsiedzki")) == [law.id]
    assert ids(services.library(db.session, role="animator", query="sąsiedzki")) == [guide.id]
    assert ids(services.library(db.session, topic="prawo", query="sąsiedzki")) == [law.id]
    assert "animacja" in services.topic_choices(db.session)


def test_competence_reading_lists_only_published_resources_tagged_with_it(make_user, add):
    trainer, learner = make_user("trainer"), make_user("learner")
    tagged = add(trainer, "O diagnozie", competences=["ANI.1.1"])
    add(learner, "Propozycja o diagnozie", competences=["ANI.1.1"])
    other = add(trainer, "O czymś innym", competences=["MED.1.1"])
    assert [r.id for r in services.for_competences(db.session, ["ANI.1.1"])] == [tagged.id]
    # the statement is built once per process: each call binds its own codes and limit
    assert [r.id for r in services.for_competences(db.session, ["MED.1.1"])] == [other.id]
    assert {r.id for r in services.for_competences(db.session, ["MED.1.1", "ANI.1.1"])} == {tagged.id, other.id}
    assert len(services.for_competences(db.session, ["MED.1.1", "ANI.1.1"], limit=1)) == 1
    assert [r.tags for r in services.for_competences(db.session, ["MED.1.1"])] == [other.tags]  # loaded with details


def test_extract_text_collapses_whitespace():
    assert extract_text("docx", docx_with("a   b", "", "c")) == "a b c"


def test_reindex_rebuilds_the_kind(make_user, add):
    add(make_user("trainer"), "Materiał do przebudowy indeksu")
    counts = search.reindex(db.session, ["knowledge"])
    assert counts["knowledge"] == db.session.query(Resource).filter(Resource.status == PUBLISHED).count()


def test_an_accepted_document_proposal_brings_its_file_text_into_search(make_user, add):
    learner, issuer = make_user("learner"), make_user("issuer")
    proposal = add(learner, "Sprawozdanie z klubu", file=("klub.pdf", pdf_with("Kronika: huśtawka z opon przy remizie.")))
    db.session.refresh(proposal.current)
    assert proposal.current.extraction == DONE and _found('"huśtawka z opon"') == []
    services.review(db.session, proposal, reviewer=issuer, accept=True)
    db.session.commit()
    assert _found('"huśtawka z opon"') == [str(proposal.id)]
