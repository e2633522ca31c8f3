"""Role certificates: eligibility from assessed levels, request → issue → PDF/QR/verification/badge, validity and
expiry notices, framework versions, evidence withdrawal alerting the issuer, bulk issue."""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from sqlalchemy import select

from elearn.certificates import bulk, roles, services
from elearn.certificates.models import KIND_ROLE, REVOKED, VALID, Certificate, CertificateReview
from elearn.certificates.pdf import sha256
from elearn.certificates.snapshot import Contribution
from elearn.competencies.models import Evidence, EvidenceWithdrawal
from elearn.competencies.services import current_framework, current_levels, load_framework
from elearn.competencies.services.levels import record_evidence
from elearn.core.notifications import Notification, send_due
from elearn.core.timeutil import to_local, utcnow
from elearn.extensions import db

from .helpers import ANIMATOR, complete
from .role_helpers import ROLE, animator_profile, meet_profile
from .test_pdf import decode_qr

MODEL_DIR = Path(__file__).resolve().parents[2] / "competency_model"


@pytest.fixture
def trainer(make_user):
    return make_user("trainer", full_name="Tomasz Trener")


@pytest.fixture
def issuer(make_user):
    return make_user("issuer", full_name="Katarzyna Wystawczyni")


@pytest.fixture
def holder(make_user, trainer):
    user = make_user("learner", full_name="Zażółć Gęślą-Jaźń")
    meet_profile(user.id, trainer.id)
    return user


def issue(client, login, issuer, user) -> Certificate:
    login(issuer)
    response = client.post("/certificates/roles/issue", data={"confirmed": "1", "selected_role": f"{user.id}:{ROLE}"})
    assert response.status_code == 302
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == user.id, Certificate.kind == KIND_ROLE))
    db.session.commit()
    return certificate


def notifications(user_id: int, kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.recipient_id == user_id, Notification.kind == kind)))


# --- the learner's profile ----------------------------------------------------------------------------------------


def test_two_short_sees_progress_with_polish_plural_and_the_missing_competences(client, login, make_user, trainer):
    learner = make_user("learner")
    meet_profile(learner.id, trainer.id, skip=("ANI.4.2", "ANI.4.3"))
    login(learner)
    page = client.get("/competencies/profile").get_data(as_text=True)
    assert "24 z 26 kompetencji potwierdzone" in page  # 22–24: the "few" form
    section = page.split('id="role-animator"')[1].split("</li>\n  \n")[0]
    assert "ANI.4.2" in section and "ANI.4.3" in section
    assert "/certificates/roles/animator/request" not in page
    response = client.get("/certificates/roles/animator/request", follow_redirects=True)
    assert "ANI.4.2" in response.get_data(as_text=True)  # the refusal names what is missing


def test_one_short_sees_which_one_and_cannot_request(client, login, make_user, trainer):
    learner = make_user("learner")
    meet_profile(learner.id, trainer.id, skip=("MED.3.1",))
    login(learner)
    page = client.get("/competencies/profile").get_data(as_text=True)
    assert "25 z 26 kompetencji potwierdzonych" in page
    assert "MED.3.1 Facylitacja" in page
    response = client.post("/certificates/roles/animator/request", data={"birth_date": "1990-05-01", "birth_place": "Toruń"})
    assert response.status_code == 302
    assert db.session.scalar(select(Certificate).where(Certificate.user_id == learner.id)) is None


def test_self_assessment_never_makes_anyone_eligible(make_user, trainer):
    learner = make_user("learner")
    meet_profile(learner.id, trainer.id, skip=("ANI.1.1",))
    record_evidence(db.session, user_id=learner.id, code="ANI.1.1", level=3, source="self_assessment", recorded_by=learner.id)
    progress = roles.progress_for(db.session, learner.id, ROLE)
    assert not progress.eligible
    assert [r.code for r in progress.missing] == ["ANI.1.1"]


@pytest.mark.parametrize(
    ("met", "text"),
    [(1, "1 z 26 kompetencji potwierdzona"), (3, "3 z 26 kompetencji potwierdzone"), (18, "18 z 26 kompetencji potwierdzonych"),
     (0, "0 z 26 kompetencji potwierdzonych"), (22, "22 z 26 kompetencji potwierdzone")],
)  # fmt: skip
def test_progress_text_uses_the_polish_plural_of_the_number_confirmed(app, met, text):
    from elearn.certificates.views_roles import progress_text

    requirements = tuple(roles.Requirement(f"X.{i}", "x", 1, 1 if i < met else 0) for i in range(26))
    with app.test_request_context(headers={"Accept-Language": "pl"}):
        assert progress_text(roles.RoleProgress("animator", "Animator", requirements)) == text


# --- request, issue, PDF, QR, verification, badge -----------------------------------------------------------------


def test_request_then_issue_from_the_queue_with_pdf_qr_verification_and_badge(client, login, issuer, holder):
    login(holder)
    page = client.get("/competencies/profile").get_data(as_text=True)
    assert "26 z 26 kompetencji potwierdzonych" in page
    assert "/certificates/roles/animator/request" in page
    response = client.post("/certificates/roles/animator/request", data={"birth_date": "1990-05-01", "birth_place": "Toruń"})
    assert response.status_code == 302
    db.session.commit()
    assert notifications(issuer.id, "certificates.requested")

    login(issuer)
    queue = client.get("/certificates/queue").get_data(as_text=True)
    assert "Zażółć Gęślą-Jaźń" in queue and "26 / 26" in queue
    certificate = issue(client, login, issuer, holder)
    assert certificate.status == VALID and certificate.role_code == ROLE and certificate.course_id is None
    assert "Zażółć Gęślą-Jaźń" not in client.get("/certificates/queue").get_data(as_text=True).split("role-queue-heading")[1]
    assert notifications(holder.id, "certificates.role_issued")

    login(holder)
    pdf = client.get(f"/certificates/{certificate.id}/pdf").data
    assert sha256(pdf) == certificate.pdf_sha256
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].extract_text()
    assert "pracownik socjalny – organizator społeczności lokalnej" in first
    assert "Animator społeczności lokalnej" in first
    assert "wersja 1.1" in first
    assert "01.05.1990" in first
    annex = "\n".join(p.extract_text() for p in reader.pages[1:])
    issued_on = to_local(certificate.issued_at).strftime("%d.%m.%Y")
    table = annex.split("Potwierdzone kompetencje")[1].split("Wskaźniki osiągnięte")[0]
    codes = list(animator_profile().items())
    for index, (code, level) in enumerate(codes):  # each row (wrapped cells) runs from its code to the next one
        row = table.split(code + " ", 1)[1]
        if index + 1 < len(codes):
            row = row.split(codes[index + 1][0] + " ", 1)[0]
        assert f"{level} – " in row and "ocena trenera" in row and issued_on in row, (code, row)
    assert "Wskaźniki osiągnięte" in annex
    assert "Buduje sieć kontaktów w społeczności" in annex  # an indicator of ANI.1.1 at level 2
    assert "Szkolenia, które się przyczyniły" not in annex  # no course completed: nothing to list

    url = decode_qr(pdf)
    assert url.endswith(f"/verify/{certificate.verification_code}")
    client.get("/logout")
    verify = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "Animator społeczności lokalnej" in verify
    assert "pracownik socjalny – organizator społeczności lokalnej" in verify
    assert 'id="ANI.4.3"' in verify and "ocena trenera" in verify
    badge = json.loads(client.get(f"/verify/{certificate.verification_code}/badge.json").data)
    achievement = badge["credentialSubject"]["achievement"]
    assert {a["targetCode"] for a in achievement["alignment"]} == set(animator_profile())
    assert all(a["targetType"] == "CFItem" and "/ims/case/v1p0/CFItems/" in a["targetUrl"] for a in achievement["alignment"])
    for alignment in achievement["alignment"][:3]:  # each alignment resolves to the competence's CASE item
        item = client.get(alignment["targetUrl"].removeprefix("http://localhost")).get_json()
        assert item["humanCodingScheme"] == alignment["targetCode"]
    assert "Animator" in achievement["name"]


def test_snapshot_cites_recognised_prior_learning_with_its_review_date(client, login, issuer, make_user, trainer):
    learner = make_user("learner")
    meet_profile(learner.id, trainer.id, skip=("WSP.4.1",))
    claim = record_evidence(db.session, user_id=learner.id, code="WSP.4.1", level=2, source="prior_learning", recorded_by=learner.id)
    from elearn.competencies.services.levels import review_prior_learning

    review_prior_learning(db.session, claim, accept=True, reviewer_id=trainer.id)
    db.session.commit()
    certificate = issue(client, login, issuer, learner)
    row = next(c for c in certificate.snapshot["competences"] if c["code"] == "WSP.4.1")
    assert row["evidence_kind"] == "prior_learning"
    assert row["evidence_label"] == "uznanie wcześniejszego uczenia się"
    assert claim.id in row["evidence_ids"]


def test_completed_courses_that_address_the_profile_are_listed_with_hours(client, login, issuer, holder):
    complete(holder.id, ANIMATOR)
    db.session.commit()
    certificate = issue(client, login, issuer, holder)
    contributions = certificate.snapshot["contributions"]
    assert [(c["kind"], c["title"], c["hours"]) for c in contributions] == [("course", "Animator społeczności lokalnej", 20.0)]
    annex = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(services.certificate_pdf(certificate))).pages[1:])
    assert "Szkolenia, które się przyczyniły" in annex
    assert re.search(r"Animator społeczności lokalnej\s+kurs e-learningowy\s+\d\d\.\d\d\.\d{4}\s+20", annex), annex


def test_events_can_add_contributions_through_the_provider_registry(holder):
    def events(session, user_id, codes):
        return [Contribution("event", "Warsztat: mapowanie zasobów", 16.0, None)] if "ANI.1.2" in codes else []

    roles.register_contribution_provider("test-events", events)
    try:
        found = roles.contributions(db.session, holder.id, set(animator_profile()))
    finally:
        roles._providers.pop("test-events")
    assert ("event", "Warsztat: mapowanie zasobów", 16.0) in [(c.kind, c.title, c.hours) for c in found]


def test_issue_refuses_someone_short_and_a_second_valid_certificate(client, login, issuer, holder, make_user, trainer):
    short = make_user("learner")
    meet_profile(short.id, trainer.id, skip=("ANI.2.1",))
    with pytest.raises(services.NotEligible):
        roles.issue_role_certificate(db.session, short, ROLE, issued_by_id=issuer.id)
    issue(client, login, issuer, holder)
    with pytest.raises(services.NotEligible):
        roles.issue_role_certificate(db.session, holder, ROLE, issued_by_id=issuer.id)


def test_revoke_and_reissue_keep_the_register(client, login, issuer, holder):
    certificate = issue(client, login, issuer, holder)
    client.post(f"/certificates/{certificate.id}/revoke", data={"confirmed": "1", "reason": "Błędne nazwisko w dokumencie"})
    db.session.refresh(certificate)
    assert certificate.status == REVOKED
    assert notifications(holder.id, "certificates.role_revoked")
    response = client.post(f"/certificates/{certificate.id}/reissue", data={"confirmed": "1"})
    assert response.status_code == 302
    new = db.session.scalar(select(Certificate).where(Certificate.reissue_of_id == certificate.id))
    assert new.kind == KIND_ROLE and new.status == VALID and new.number != certificate.number


# --- validity and expiry ----------------------------------------------------------------------------------------------


def test_validity_period_sets_expiry_on_snapshot_pdf_and_verification_page(client, login, make_user, holder):
    admin = make_user("admin")
    login(admin)
    bad = client.post("/certificates/roles/settings", data={"validity_animator": "0"})
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.get_data(as_text=True)
    client.post("/certificates/roles/settings", data={"validity_animator": "36"})
    assert roles.validity_months(db.session, ROLE) == 36
    issuer = make_user("issuer")
    certificate = issue(client, login, issuer, holder)
    issued = to_local(certificate.issued_at).date()
    assert certificate.valid_until == roles.add_months(issued, 36)
    assert certificate.snapshot["valid_until"] == certificate.valid_until.isoformat()
    text = PdfReader(io.BytesIO(services.certificate_pdf(certificate))).pages[0].extract_text()
    assert f"ważne do {certificate.valid_until:%d.%m.%Y}" in text
    verify = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "Ważne do" in verify


def test_expiry_notice_sixty_days_ahead_once(app, make_user, holder):
    issuer = make_user("issuer")
    roles.set_validity(db.session, ROLE, 12, actor_id=issuer.id)
    issued_at = utcnow() - timedelta(days=365 - 30)  # expires in about 30 days
    certificate = roles.issue_role_certificate(db.session, holder, ROLE, issued_by_id=issuer.id, now=issued_at)
    db.session.commit()
    send_due(db.session, digests=False)
    send_due(db.session, digests=False)
    reminders = notifications(holder.id, "certificates.role_expiring")
    assert len(reminders) == 1
    assert reminders[0].params["number"] == certificate.number
    assert reminders[0].params["date"] == {"date": certificate.valid_until.isoformat()}  # shown in the reader's language
    from elearn.core.notifications.services import render

    assert certificate.valid_until.strftime("%d.%m.%Y") not in render(reminders[0]).body


def test_no_expiry_notice_far_from_expiry_or_without_validity(make_user, holder, trainer):
    issuer = make_user("issuer")
    roles.issue_role_certificate(db.session, holder, ROLE, issued_by_id=issuer.id)  # no validity set: never expires
    other = make_user("learner")
    meet_profile(other.id, trainer.id)
    roles.set_validity(db.session, ROLE, 36, actor_id=issuer.id)
    roles.issue_role_certificate(db.session, other, ROLE, issued_by_id=issuer.id)
    db.session.commit()
    send_due(db.session, digests=False)
    assert not notifications(holder.id, "certificates.role_expiring")
    assert not notifications(other.id, "certificates.role_expiring")


# --- framework versions ------------------------------------------------------------------------------------------------


def new_framework_version(tmp_path: Path) -> Path:
    """A copy of the shipped model as version 2.0 whose animator profile asks ANI.1.1 at level 3."""
    root = tmp_path / "model"
    shutil.copytree(MODEL_DIR, root)
    path = root / "framework.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["version"] = "2.0"
    data["profiles"]["animator"]["ANI.1.1"] = 3
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def test_a_new_framework_version_never_changes_an_issued_certificate(client, login, issuer, holder, tmp_path, make_user, trainer):
    certificate = issue(client, login, issuer, holder)
    stored_hash = certificate.pdf_sha256
    load_framework(db.session, new_framework_version(tmp_path))
    db.session.commit()
    assert current_framework(db.session).version == "2.0"
    db.session.refresh(certificate)
    assert certificate.status == VALID
    assert certificate.snapshot["framework_version"] == "1.1"
    assert sha256(services.certificate_pdf(certificate)) == stored_hash
    verify = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "wersja 1.1" in verify and "ważne" in verify
    # New certificates follow the new profile: the same evidence no longer meets ANI.1.1 at level 3.
    newcomer = make_user("learner")
    meet_profile(newcomer.id, trainer.id)  # assessments at the new required levels, including ANI.1.1 at 3
    second = roles.issue_role_certificate(db.session, newcomer, ROLE, issued_by_id=issuer.id)
    assert second.snapshot["framework_version"] == "2.0"
    assert next(c for c in second.snapshot["competences"] if c["code"] == "ANI.1.1")["required_level"] == 3
    other = make_user("learner")
    meet_profile(other.id, trainer.id, skip=("ANI.1.1",))
    record_evidence(db.session, user_id=other.id, code="ANI.1.1", level=2, source="trainer_assessment", recorded_by=trainer.id)
    assert [r.code for r in roles.progress_for(db.session, other.id, ROLE).missing] == ["ANI.1.1"]


# --- evidence withdrawn ------------------------------------------------------------------------------------------------


def reviews_block(page: str) -> str:
    return page.split('id="reviews-heading"')[1].split('id="role-queue-heading"')[0]


def test_withdrawing_evidence_alerts_issuers_and_lists_the_certificate_for_review(client, login, issuer, holder, trainer):
    certificate = issue(client, login, issuer, holder)
    evidence_id = next(c for c in certificate.snapshot["competences"] if c["code"] == "ANI.3.2")["evidence_ids"][0]
    login(trainer)
    page = client.get(f"/competencies/learners/{holder.id}").get_data(as_text=True)
    assert "Wycofaj" in page or "Withdraw" in page
    bad = client.post(f"/competencies/learners/{holder.id}/withdrawals", data={"confirmed": "1", "evidence_id": evidence_id, "reason": ""})
    assert bad.status_code == 400
    response = client.post(
        f"/competencies/learners/{holder.id}/withdrawals",
        data={"confirmed": "1", "evidence_id": evidence_id, "reason": "Ocena omyłkowa"},
    )
    assert response.status_code == 302
    db.session.commit()
    assert db.session.scalar(select(EvidenceWithdrawal).where(EvidenceWithdrawal.evidence_id == evidence_id)) is not None
    assert db.session.get(Evidence, evidence_id) is not None  # evidence is append-only: still there
    assert current_levels(db.session, holder.id).get("ANI.3.2", 0) == 0
    review = db.session.scalar(select(CertificateReview).where(CertificateReview.certificate_id == certificate.id))
    assert review.competence_code == "ANI.3.2" and review.decision is None
    alert = notifications(issuer.id, "certificates.role_review")
    assert len(alert) == 1 and alert[0].params["number"] == certificate.number
    assert certificate.status == VALID  # the issuer decides

    login(issuer)
    queue = client.get("/certificates/queue").get_data(as_text=True)
    assert certificate.number in reviews_block(queue)
    client.post(f"/certificates/{certificate.id}/keep")
    db.session.refresh(review)
    assert review.decision == "kept"
    assert certificate.number not in reviews_block(client.get("/certificates/queue").get_data(as_text=True))


def test_revoking_answers_the_review_and_a_second_withdrawal_is_refused(client, login, issuer, holder, trainer):
    from elearn.competencies.services import CannotWithdraw, withdraw_evidence

    certificate = issue(client, login, issuer, holder)
    evidence = db.session.get(Evidence, certificate.snapshot["competences"][0]["evidence_ids"][0])
    withdraw_evidence(db.session, evidence, actor_id=trainer.id, reason="Błędna ocena")
    with pytest.raises(CannotWithdraw):
        withdraw_evidence(db.session, evidence, actor_id=trainer.id, reason="Błędna ocena")
    db.session.commit()
    services.revoke(db.session, certificate, reason="Dowód wycofany", actor_id=issuer.id)
    review = db.session.scalar(select(CertificateReview).where(CertificateReview.certificate_id == certificate.id))
    assert review.decision == REVOKED
    assert not roles.open_reviews(db.session)


def test_withdrawn_evidence_of_someone_without_a_certificate_alerts_nobody(make_user, trainer, issuer):
    from elearn.competencies.services import withdraw_evidence

    learner = make_user("learner")
    ids = meet_profile(learner.id, trainer.id)
    withdraw_evidence(db.session, db.session.get(Evidence, ids["ANI.1.1"]), actor_id=trainer.id, reason="Pomyłka w ocenie")
    assert not notifications(issuer.id, "certificates.role_review")
    assert not roles.progress_for(db.session, learner.id, ROLE).eligible


# --- bulk ----------------------------------------------------------------------------------------------------------


def test_bulk_issue_of_a_role_issues_everyone_eligible_once(client, login, issuer, make_user, trainer):
    people = [make_user("learner") for _ in range(3)]
    for person in people[:2]:
        meet_profile(person.id, trainer.id)
    meet_profile(people[2].id, trainer.id, skip=("ANI.1.1",))
    assert sorted(roles.eligible_role_user_ids(db.session, ROLE)) == sorted(p.id for p in people[:2])
    job = bulk.create_role_job(db.session, ROLE, user_ids=[p.id for p in people[:2]], send_email=False, requested_by_id=issuer.id)
    db.session.commit()
    bulk.run_bulk_job(job.id)
    bulk.run_bulk_job(job.id)  # a re-run issues nothing twice
    issued = list(db.session.scalars(select(Certificate).where(Certificate.kind == KIND_ROLE)))
    assert sorted(c.user_id for c in issued) == sorted(p.id for p in people[:2])
    db.session.refresh(job)
    assert job.state == "finished" and job.done == 2


def test_bulk_form_for_roles_rejects_an_unknown_role(client, login, issuer):
    login(issuer)
    response = client.post("/certificates/roles/bulk", data={"confirmed": "1", "role_code": "nieznana"}, follow_redirects=True)
    assert response.status_code == 200
    assert db.session.scalar(select(Certificate).where(Certificate.kind == KIND_ROLE)) is None
