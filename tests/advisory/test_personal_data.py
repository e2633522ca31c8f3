"""RODO: the requester's and the advisor's advisory data are in their export; erasure keeps the institution's case
(it still counts as support) but drops the phone number, the person's files and the personal data in their messages."""

from __future__ import annotations

import json
from pathlib import Path

from flask import current_app

from elearn.advisory.models import AdvisoryAttachment, AdvisoryCase
from elearn.advisory.services import cases
from elearn.extensions import db
from tests.conftest import PASSWORD

from .helpers import open_case


def test_export_and_erasure_of_a_requester_and_an_advisor(client, login, make_user, coordinator, advisor):
    worker = make_user("learner", full_name="Zenon Pytający", email="zenon.pytajacy@gops.example.pl")
    case = open_case(worker, preferred_form="telefon", contact_phone="601 202 303", files=[("wniosek-zenona.pdf", b"%PDF-1.4 w")])
    cases.add_message(
        db.session,
        case,
        author=advisor,
        body="Panie Zenonie, proszę o telefon: 56 611 00 11.",
        files=[],
        instance_path=current_app.instance_path,
    )
    cases.add_message(
        db.session,
        case,
        author=worker,
        body="Zenon Pytający, tel. 601 202 303, zenon.pytajacy@gops.example.pl",
        files=[],
        instance_path=current_app.instance_path,
    )
    db.session.commit()
    stored = Path(cases.upload_dir(current_app.instance_path)) / case.attachments[0].path

    login(worker)
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert [c["subject"] for c in data["advisory_cases_asked"]] == [case.subject]
    assert data["advisory_cases_asked"][0]["contact_phone"] == "601 202 303"
    assert [f["name"] for f in data["advisory_files"]] == ["wniosek-zenona.pdf"]
    assert any("601 202 303" in m["text"] for m in data["advisory_messages"])
    login(advisor)
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert [m["as_advisor"] for m in data["advisory_messages"]] == [True]

    login(worker)
    client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    kept = db.session.get(AdvisoryCase, case.id)
    assert kept is not None and kept.contact_phone is None
    mine = next(m for m in kept.messages if not m.from_advisor)
    assert "Zenon" not in mine.body and "601 202 303" not in mine.body and "zenon.pytajacy" not in mine.body
    assert db.session.query(AdvisoryAttachment).filter_by(case_id=case.id).count() == 0 and not stored.exists()
    assert "Panie" in next(m for m in kept.messages if m.from_advisor).body  # the advisor's message is not theirs to erase
    login(coordinator)
    assert client.get(f"/advisory/{case.id}").status_code == 200
