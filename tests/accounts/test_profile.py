"""Editing one's own details: the account page shows the change and the audit log records which fields changed."""

from __future__ import annotations

from sqlalchemy import select

from elearn.core.models import AuditEntry
from elearn.extensions import db


def _profile_audits(user_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.profile", AuditEntry.target_id == str(user_id))))


def test_changed_name_shows_on_the_account_page_and_is_audited(client, login_as, institution):
    user = login_as("learner", full_name="Jan Stary")
    data = {"full_name": "Janina Nowa-Zmieniona", "job_title": "pracownik socjalny", "institution_id": institution.id}
    response = client.post("/account", data=data)
    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "Janina Nowa-Zmieniona" in page
    [entry] = _profile_audits(user.id)
    assert entry.actor_id == user.id
    assert entry.details == {"fields": ["full_name"]}  # field names only: the log keeps no personal values


def test_unchanged_details_leave_no_audit_entry(client, login_as, institution):
    user = login_as("learner", full_name="Jan Bez-Zmian")
    data = {"full_name": "Jan Bez-Zmian", "job_title": "pracownik socjalny", "institution_id": institution.id}
    assert client.post("/account", data=data).status_code == 302
    assert _profile_audits(user.id) == []
