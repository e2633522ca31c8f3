"""What account erasure keeps and clears (issue 9, finding 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from elearn.accounts.services import erase_account
from elearn.certificates.models import Certificate, RegisterIntegrityError
from elearn.core.audit import audit
from elearn.core.mail import send_mail
from elearn.extensions import db
from tests.certificates.helpers import ANIMATOR, complete, course


@pytest.fixture
def holder_with_certificate(client, make_user, login):
    holder = make_user("learner", full_name="Barbara Rejestrowa", email="barbara@example.org")
    complete(holder.id)
    db.session.commit()
    login(holder)
    client.post(f"/certificates/request/{ANIMATOR}", data={"birth_date": "1980-05-04", "birth_place": "Chełmno"})
    login(make_user("issuer"))
    client.post("/certificates/issue", data={"confirmed": "1", "selected": f"{holder.id}:{course().id}"})
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == holder.id))
    assert certificate.snapshot["birth_place"] == "Chełmno"
    return holder, certificate


def test_erasure_keeps_the_register_entry_but_clears_birth_data(client, holder_with_certificate):
    holder, certificate = holder_with_certificate
    number, code, digest = certificate.number, certificate.verification_code, certificate.pdf_sha256
    erase_account(db.session, holder, actor_id=None)
    db.session.commit()
    kept = db.session.get(Certificate, certificate.id)
    assert (kept.number, kept.verification_code, kept.pdf_sha256) == (number, code, digest)
    assert kept.holder_name == "Barbara Rejestrowa"
    assert kept.snapshot["holder_name"] == "Barbara Rejestrowa"
    assert kept.snapshot["course_title"] == certificate.course_title
    assert kept.snapshot["birth_date"] is None
    assert kept.snapshot["birth_place"] is None
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Barbara Rejestrowa" in page
    assert number in page


def test_verification_shows_what_verification_needs_and_no_birth_data(client, holder_with_certificate):
    _holder, certificate = holder_with_certificate
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "Barbara Rejestrowa" in page and certificate.number in page
    badge = client.get(f"/verify/{certificate.verification_code}/badge.json").get_data(as_text=True)
    for text in (page, badge):
        assert "Chełmno" not in text
        # every form the birth date could be written in; a bare "1980" can occur in the page's SHA-256
        for form in ("1980-05-04", "04.05.1980", "4.05.1980", "4 maja 1980", "05/04/1980", "1980-5-4"):
            assert form not in text
        assert "barbara@example.org" not in text


def test_the_register_still_refuses_any_other_rewrite_of_the_snapshot(holder_with_certificate):
    _holder, certificate = holder_with_certificate
    certificate.snapshot = {**certificate.snapshot, "holder_name": "Ktoś Inny", "birth_place": None}
    with pytest.raises(RegisterIntegrityError):
        db.session.flush()
    db.session.rollback()


def test_audit_log_names_actors_and_shows_erased_ones_as_anonymised(client, make_user, login):
    actor = make_user("trainer", full_name="Wiktor Audytowany")
    audit(db.session, "test.action", actor_id=actor.id)
    db.session.commit()
    login(make_user("admin"))
    assert "Wiktor Audytowany" in client.get("/admin/audit?action=test.").get_data(as_text=True)
    erase_account(db.session, actor, actor_id=None)
    db.session.commit()
    page = client.get("/admin/audit?action=test.").get_data(as_text=True)
    assert "Wiktor Audytowany" not in page
    assert f"konto zanonimizowane #{actor.id}" in page


def test_erasure_removes_development_outbox_mail_of_the_person(app, make_user):
    person = make_user("learner", email="Do.Usuniecia@example.org")
    other = make_user("learner", email="zostaje@example.org")
    mine = send_mail("do.usuniecia@example.org", "Temat", "Treść")
    theirs = send_mail(other.email, "Temat", "Treść")
    assert mine.exists() and theirs.exists()
    erase_account(db.session, person, actor_id=None)
    db.session.commit()
    assert not mine.exists()
    assert theirs.exists()
    assert "do.usuniecia" not in json.dumps([p.name for p in Path(app.config["MAIL_OUTBOX"]).glob("*.eml")])


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        ("pl", ["art. 17 ust. 3 lit. b", "poz. 2175", "Datę i miejsce urodzenia usuwamy"]),
        ("en", ["Art. 17(3)(b)", "item 2175", "Date and place of birth are removed"]),
    ],
)
def test_privacy_policy_states_what_the_register_keeps_and_why(client, lang, phrases):
    client.post("/language", data={"lang": lang})
    page = client.get("/privacy").get_data(as_text=True)
    for phrase in phrases:
        assert phrase in page
