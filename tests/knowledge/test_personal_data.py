"""RODO: what a person added to the knowledge base is in their export; erasure deletes their unpublished proposals
(and files) and unlinks them from what was published, which stays as platform content."""

from __future__ import annotations

from pathlib import Path

from elearn.accounts import services as accounts
from elearn.extensions import db
from elearn.knowledge.models import Resource
from elearn.knowledge.services import resources as services
from elearn.knowledge.services.extraction import upload_dir

from .helpers import pdf_with


def test_export_and_erasure(app, make_user, add):
    person, issuer = make_user("learner"), make_user("issuer")
    pending = add(person, "Propozycja Marii", file=("maria.pdf", pdf_with("Notatki Marii")), proposal_note="Od Marii")
    accepted = add(person, "Przyjęta propozycja Marii")
    services.review(db.session, accepted, reviewer=issuer, accept=True)
    db.session.commit()
    stored = upload_dir(app.instance_path) / pending.current.stored_name
    assert stored.exists()

    export = accounts.export_personal_data(person)["knowledge_base"]
    assert {item["title"] for item in export} == {"Propozycja Marii", "Przyjęta propozycja Marii"}
    assert any(item["proposal_note"] == "Od Marii" and item["files"] == ["maria.pdf"] for item in export)

    pending_id, accepted_id = pending.id, accepted.id
    accounts.erase_account(db.session, person, actor_id=person.id)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Resource, pending_id) is None
    assert not Path(stored).exists()
    kept = db.session.get(Resource, accepted_id)
    assert kept is not None and kept.user_id is None and kept.proposal_note is None


def test_erasing_a_reviewer_keeps_the_decision(make_user, add):
    learner, trainer = make_user("learner"), make_user("trainer")
    proposal = add(learner, "Do odrzucenia")
    services.review(db.session, proposal, reviewer=trainer, accept=False, reason="Powód")
    db.session.commit()
    accounts.erase_account(db.session, trainer, actor_id=trainer.id)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Resource, proposal.id)
    assert kept.reviewed_by_id is None and kept.review_reason == "Powód"
