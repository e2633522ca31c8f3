"""Knowledge-base candidates: personal data stripped by the documented function, reviewed, saved, listed."""

from __future__ import annotations

from sqlalchemy import select

from elearn.advisory.models import KnowledgeCandidate
from elearn.advisory.services.anonymise import anonymise
from elearn.extensions import db

from .helpers import open_case


def test_anonymise_strips_emails_phones_pesel_and_names():
    text = (
        "Pisze Anna Kowalska (anna.kowalska@gops.example.pl, tel. 600 700 800, +48 56-611-22-33, (56) 611 22 33). "
        "PESEL klientki 90051712345. Rozmawiałam z Panią Kowalską i z panem dyrektorem Janem Nowakiem. "
        "Budżet 1 200 000 zł na lata 2027–2035."
    )
    out = anonymise(text, ["Anna Kowalska"])
    for gone in ("Anna", "Kowalsk", "anna.kowalska", "600 700 800", "611-22-33", "611 22 33", "90051712345", "Nowak"):
        assert gone not in out
    assert out.count("[telefon]") == 3 and "[PESEL]" in out and "[e-mail]" in out
    assert "1 200 000 zł" in out and "2027–2035" in out  # amounts and years stay


def test_an_advisor_reviews_and_saves_an_anonymised_candidate(client, login, coordinator, advisor):
    case = open_case(
        coordinator,
        subject="CUS – pytanie Barbary Wiśniewskiej",
        description="Proszę o kontakt: b.wisniewska@gops.example.pl lub 600 100 200. Chodzi o CUS w gminie.",
    )
    login(advisor)
    client.post(f"/advisory/{case.id}/reply", data={"body": "Pani Barbaro, organizatorem CUS jest gmina."})
    assert client.get(f"/advisory/{case.id}/candidate").status_code == 302  # an open case cannot be proposed
    client.post(f"/advisory/{case.id}/close", data={"close-outcome": "Wyjaśniono rolę gminy.", "close-minutes": "30"})
    page = client.get(f"/advisory/{case.id}/candidate").get_data(as_text=True)
    draft = page[page.index('<form method="post" novalidate>') :]
    for gone in ("Wiśniewsk", "b.wisniewska", "600 100 200", "Barbar"):
        assert gone not in draft
    assert "organizatorem CUS jest gmina" in draft
    # the advisor's edit still goes through the anonymiser
    client.post(
        f"/advisory/{case.id}/candidate",
        data={"title": "CUS tworzy gmina", "summary": "Gmina jest organizatorem CUS. Kontakt: 600 100 200, Barbara Wiśniewska."},
    )
    saved = db.session.scalar(select(KnowledgeCandidate).where(KnowledgeCandidate.case_id == case.id))
    assert saved.title == "CUS tworzy gmina" and "600 100 200" not in saved.summary and "Wiśniewska" not in saved.summary
    listing = client.get("/advisory/candidates").get_data(as_text=True)
    assert "CUS tworzy gmina" in listing and "Wiśniewsk" not in listing
    login(coordinator)
    assert client.get("/advisory/candidates").status_code == 403


def test_candidates_are_searchable_by_advisors_only(client, login, coordinator, advisor):
    from elearn.advisory.services import candidates, cases
    from elearn.core import search

    case = open_case(coordinator, subject="Porozumienie międzygminne o centrum usług", topic="cus")
    cases.close(db.session, case, actor=advisor, outcome="Wzór porozumienia międzygminnego przekazany.", minutes=20)
    found = candidates.save(db.session, case, actor=advisor, title="Porozumienie międzygminne o CUS", summary="Wzór porozumienia.")
    db.session.commit()
    assert [h.key for h in search.search(db.session, advisor, "porozumienie międzygminne").hits] == [str(found.id)]
    assert search.search(db.session, coordinator, "porozumienie międzygminne").hits == []
    candidates.withdraw(db.session, found, actor=advisor)
    db.session.commit()
    assert search.search(db.session, advisor, "porozumienie międzygminne").hits == []
