"""A trainer's view of a learner offers only links the trainer may follow (issue #13: 52 links answered 403)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from elearn.competencies.rule import ASSIGNMENT, SELF_ASSESSMENT
from elearn.competencies.services import levels
from elearn.extensions import db
from tests.competencies.helpers import complete_module


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def internal_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return sorted({h.split("#")[0] for h in parser.hrefs if h.startswith("/") and not h.startswith("//")} - {""})


def _learner_with_every_kind_of_link(make_user):
    learner = make_user("learner")
    complete_module(learner.id, "wprowadzenie-do-osl")
    record = levels.record_evidence
    record(db.session, user_id=learner.id, code="ANI.1.1", level=1, source=SELF_ASSESSMENT, link="/competencies/self-assessment/1")
    record(db.session, user_id=learner.id, code="ANI.1.2", level=2, source=ASSIGNMENT, link="/assignments/submissions/999999")
    db.session.commit()
    return learner


def test_every_link_on_a_trainers_view_of_a_learner_opens(client, make_user, login):
    learner = _learner_with_every_kind_of_link(make_user)
    login(make_user("trainer"))
    html = client.get(f"/competencies/learners/{learner.id}").get_data(as_text=True)
    links = internal_links(html)
    assert any(link.startswith("/courses/wprowadzenie-do-osl") for link in links)
    refused = {}
    for link in links:
        if urlsplit(link).path in ("/logout",):
            continue
        status = client.get(link).status_code
        if status in (403, 404):
            refused[link] = status
    assert refused == {}
    assert "/competencies/self-assessment/1" not in html
    assert "/assignments/submissions/999999" not in html


def test_the_learner_still_sees_their_own_links(client, make_user, login):
    learner = _learner_with_every_kind_of_link(make_user)
    login(learner)
    html = client.get("/competencies/profile").get_data(as_text=True)
    assert "/competencies/self-assessment/1" in html
    assert "/courses/wprowadzenie-do-osl" in html


def test_admin_loads_the_shipped_framework_with_a_button(client, login_as):
    from elearn.core.models import AuditEntry

    admin = login_as("admin")
    page = client.get("/competencies/framework").get_data(as_text=True)
    assert 'action="/competencies/framework/load"' in page
    assert "flask competencies load" not in page
    response = client.post("/competencies/framework/load")
    assert response.status_code == 302
    entry = db.session.query(AuditEntry).filter_by(action="competencies.framework_load").one()
    assert entry.actor_id == admin.id and entry.details["status"] == "unchanged"
