"""What advisors and institutions write is Markdown through the one sanitiser; answer templates go into replies."""

from __future__ import annotations

from sqlalchemy import select

from elearn.advisory.models import AnswerTemplate
from elearn.core.models import AuditEntry
from elearn.extensions import db

from .helpers import open_case

VECTORS = (
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[kliknij](javascript:alert(1))",
    '<a href="data:text/html,<script>alert(1)</script>">dane</a>',
    "<svg onload=alert(1)>",
)


def test_xss_in_a_case_and_its_thread_is_neutralised(client, login, coordinator, advisor):
    case = open_case(coordinator, description="Opis sprawy z wektorami: " + " ".join(VECTORS))
    login(advisor)
    client.post(f"/advisory/{case.id}/reply", data={"body": "Odpowiedź " + " ".join(VECTORS)})
    client.post(f"/advisory/{case.id}/close", data={"close-outcome": "Wynik " + " ".join(VECTORS), "close-minutes": "10"})
    for user in (coordinator, advisor):
        login(user)
        page = client.get(f"/advisory/{case.id}").get_data(as_text=True)
        for needle in ("<script>alert", "onerror=", "javascript:", "data:text/html", "<svg", "onload="):
            assert needle not in page
        assert "Opis sprawy z wektorami" in page and "Odpowiedź" in page and "Wynik" in page


def test_advisors_keep_templates_and_insert_one_into_a_reply(client, login, coordinator, advisor):
    login(advisor)
    client.post("/advisory/templates/new", data={"title": "Diagnoza – źródła", "topic": "srps", "body": "Proszę sięgnąć do **OZPS**."})
    template = db.session.scalar(select(AnswerTemplate).where(AnswerTemplate.title == "Diagnoza – źródła"))
    assert template is not None and "Diagnoza – źródła" in client.get("/advisory/templates").get_data(as_text=True)
    client.post(
        f"/advisory/templates/{template.id}",
        data={"title": "Diagnoza – źródła danych", "topic": "srps", "body": "Proszę sięgnąć do **OZPS**."},
    )
    assert db.session.get(AnswerTemplate, template.id).title == "Diagnoza – źródła danych"
    case = open_case(coordinator)
    page = client.get(f"/advisory/{case.id}?template={template.id}").get_data(as_text=True)
    assert "Proszę sięgnąć do **OZPS**.</textarea>" in page
    duplicate = client.post("/advisory/templates/new", data={"title": "Diagnoza – źródła danych", "topic": "", "body": "Inny tekst"})
    assert duplicate.status_code == 200 and "już istnieje" in duplicate.get_data(as_text=True)
    template_id = template.id
    client.post(f"/advisory/templates/{template_id}/delete", data={})
    assert db.session.get(AnswerTemplate, template_id) is None
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.startswith("advisory.template"))))
    assert actions == {"advisory.template_create", "advisory.template_update", "advisory.template_delete"}


def test_the_institution_side_sees_no_templates(client, login, coordinator, advisor):
    from elearn.advisory.services import templates

    templates.save(db.session, None, title="Wzór wewnętrzny", topic="", body="Tekst wewnętrzny ROPS", actor_id=advisor.id)
    db.session.commit()
    case = open_case(coordinator)
    login(coordinator)
    page = client.get(f"/advisory/{case.id}?template=1").get_data(as_text=True)
    assert "Wzór wewnętrzny" not in page and "Tekst wewnętrzny ROPS" not in page
    assert client.get("/advisory/templates").status_code == 403
