"""Irreversible actions ask first, on a plain page: the first POST (or a GET) shows what will happen, only the
confirmed POST acts (issue 13). Works without JavaScript: it is a page with a form."""

from __future__ import annotations

from sqlalchemy import select

from elearn.certificates.models import Certificate
from elearn.core.audit import AuditEntry
from elearn.extensions import db
from tests.bad_input import count_rows
from tests.certificates.helpers import course


def test_issue_asks_then_issues(client, login, issuer, graduate):
    login(issuer)
    selected = f"{graduate.id}:{course().id}"
    page = client.post("/certificates/issue", data={"selected": selected})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and count_rows(Certificate) == 0
    assert "Wydać zaświadczenia (liczba: 1)?" in text and graduate.full_name in text
    assert f'<input type="hidden" name="selected" value="{selected}">' in text  # the selection is carried over
    assert '<input type="hidden" name="confirmed" value="1">' in text and 'name="csrf_token"' in text
    assert "Anuluj i wróć" in text
    done = client.post("/certificates/issue", data={"selected": selected, "confirmed": "1"})
    assert done.status_code == 302 and count_rows(Certificate) == 1


def test_revoke_shows_a_summary_and_keeps_the_reason(client, login, issuer, graduate):
    login(issuer)
    client.post("/certificates/issue", data={"selected": f"{graduate.id}:{course().id}", "confirmed": "1"})
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == graduate.id))
    before = count_rows(AuditEntry)
    page = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "Błąd w nazwisku"})
    text = page.get_data(as_text=True)
    assert f"Unieważnić zaświadczenie {certificate.number}?" in text
    assert certificate.holder_name in text and "Tego nie można cofnąć." in text
    assert "Błąd w nazwisku</textarea>" in text  # the reason, still editable
    db.session.refresh(certificate)
    assert certificate.revoked_at is None and count_rows(AuditEntry) == before
    client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "Błąd w nazwisku", "confirmed": "1"})
    db.session.refresh(certificate)
    assert certificate.revoked_at is not None and certificate.revoke_reason == "Błąd w nazwisku"


def test_publish_confirmation_is_a_get_page_and_a_post_form(client, make_user, login):
    login(make_user("trainer"))
    client.post(
        "/authoring/courses/new",
        data={"slug": "do-publikacji", "title": "Kurs do publikacji", "summary": "Opis.", "role": "animator", "hours": 1},
    )
    page = client.get("/authoring/courses/do-publikacji/publish")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Opublikować „Kurs do publikacji”?" in text
    assert '<form method="post" action="/authoring/courses/do-publikacji/publish">' in text
    from elearn.courses.models import Course

    course = db.session.scalar(select(Course).where(Course.slug == "do-publikacji"))
    assert course.published_number == 0  # neither the GET nor an unconfirmed POST publishes
    client.post("/authoring/courses/do-publikacji/publish")
    db.session.refresh(course)
    assert course.published_number == 0
