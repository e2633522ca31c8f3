"""The demo knowledge base: real statutes by their ISAP addresses, the PDF written with ReportLab in two versions,
and a phrase that only its current PDF contains, found by the platform's search."""

from __future__ import annotations

from sqlalchemy import select

from elearn.core import search
from elearn.extensions import db
from elearn.knowledge import demo
from elearn.knowledge.models import PROPOSED, PUBLISHED, REJECTED, Resource


def test_demo_is_cited_searchable_and_idempotent(make_user):
    make_user("issuer", email=demo.STAFF_EMAIL)
    make_user("learner", email=demo.LEARNER_EMAIL)
    assert demo.create_knowledge_demo(db.session) == len(demo.SEED) + 3
    db.session.commit()
    assert demo.create_knowledge_demo(db.session) == 0
    resources = {r.title: r for r in db.session.scalars(select(Resource))}
    law = resources["Ustawa z dnia 12 marca 2004 r. o pomocy społecznej"]
    assert law.url == "https://isap.sejm.gov.pl/isap.nsf/DocDetails.xsp?id=WDU20040640593"
    cus = next(r for t, r in resources.items() if "centrum usług społecznych" in t and r.type == "legal_act")
    assert cus.url.endswith("id=WDU20190001818")
    template = resources[demo.TEMPLATE_TITLE]
    assert [v.number for v in template.versions] == [1, 2] and template.versions[0].superseded
    assert demo.PDF_ONLY_PHRASE in template.current.text
    assert demo.PDF_ONLY_PHRASE not in template.versions[0].text
    assert demo.PDF_ONLY_PHRASE not in template.title + template.summary
    hits = search.search_ids(db.session, f'"{demo.PDF_ONLY_PHRASE}"', kinds_=[k.name for k in search.kinds()])
    assert hits == [("knowledge", str(template.id), None)]
    statuses = {r.status for r in resources.values()}
    assert statuses == {PUBLISHED, PROPOSED, REJECTED}
    assert resources["Ustawa z dnia 29 listopada 1990 r. o pomocy społecznej (uchylona)"].valid_until is not None
