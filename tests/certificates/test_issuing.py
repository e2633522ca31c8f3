"""Issuing through the browser surface: queue, requests, rejection, revocation, re-issue, register, verification, badges."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from elearn.certificates import services
from elearn.certificates.models import Certificate, CertificateRequest, RegisterIntegrityError
from elearn.certificates.pdf import sha256
from elearn.certificates.status_list import is_set
from elearn.core.models import AuditEntry
from elearn.extensions import db
from tests.certificates.helpers import ANIMATOR, complete, course, decode_qr, issue_via_queue


def test_queue_lists_eligible_learner_with_hours_and_competences(client, login, issuer, graduate, make_user):
    make_user("learner", full_name="Niedokończony Kurs")  # not completed: not listed
    login(issuer)
    page = client.get(f"/certificates/queue?course_id={course().id}").get_data(as_text=True)
    assert "Zażółć Gęślą-Jaźń" in page
    assert "Animator społeczności lokalnej" in page
    assert "<td>20</td>" in page
    assert "Niedokończony Kurs" not in page


def test_learner_requests_with_birth_data_validated_in_polish(client, login, graduate):
    login(graduate)
    bad = client.post(f"/certificates/request/{ANIMATOR}", data={"birth_date": "2030-01-01", "birth_place": ""})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert "Podaj miejsce urodzenia." in html
    assert "Podaj prawdziwą datę urodzenia" in html
    assert db.session.scalar(select(func.count()).select_from(CertificateRequest).where(CertificateRequest.user_id == graduate.id)) == 0
    ok = client.post(f"/certificates/request/{ANIMATOR}", data={"birth_date": "1985-06-01", "birth_place": "Włocławek"})
    assert ok.status_code == 302
    request = db.session.scalar(select(CertificateRequest).where(CertificateRequest.user_id == graduate.id))
    assert (request.state, request.birth_date, request.birth_place) == ("requested", date(1985, 6, 1), "Włocławek")
    assert "złożono wniosek" in client.get("/certificates/mine").get_data(as_text=True)


def test_learner_cannot_request_for_an_unfinished_course(client, login_as):
    login_as("learner")
    response = client.post(f"/certificates/request/{ANIMATOR}", data={"birth_date": "1985-06-01", "birth_place": "Toruń"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(CertificateRequest)) == 0


def test_issue_from_queue_snapshots_and_hashes_and_learner_downloads(client, login, issuer, graduate):
    login(graduate)
    client.post(f"/certificates/request/{ANIMATOR}", data={"birth_date": "1985-06-01", "birth_place": "Włocławek"})
    certificate = issue_via_queue(client, login, issuer, graduate)
    assert certificate.number.startswith("ROPS-KP/")
    assert certificate.status == "valid"
    assert len(certificate.verification_code) >= 32  # 24 random bytes
    assert certificate.snapshot["holder_name"] == "Zażółć Gęślą-Jaźń"
    assert certificate.snapshot["birth_place"] == "Włocławek"
    assert [t["hours"] for t in certificate.snapshot["topics"]] == [3, 5, 4, 4, 4]
    assert db.session.scalar(select(CertificateRequest.state).where(CertificateRequest.user_id == graduate.id)) == "issued"
    assert db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "certificates.issue", AuditEntry.target_id == str(certificate.id))
    )
    # a later course edit does not change the issued document
    course().title = "Zmieniony tytuł"
    db.session.commit()
    login(graduate)
    pdf = client.get(f"/certificates/{certificate.id}/pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert sha256(pdf.data) == certificate.pdf_sha256
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Animator społeczności lokalnej" in text
    assert "Zmieniony" not in text
    badge = client.get(f"/certificates/{certificate.id}/badge.json")
    assert badge.status_code == 200
    assert "attachment" in badge.headers["Content-Disposition"]
    assert "Zażółć Gęślą-Jaźń" in client.get("/certificates/mine").get_data(as_text=True)


def test_issuing_twice_is_refused(client, login, issuer, graduate):
    issue_via_queue(client, login, issuer, graduate)
    response = client.post(
        "/certificates/issue", data={"confirmed": "1", "selected": f"{graduate.id}:{course().id}"}, follow_redirects=True
    )
    assert "ma już ważne zaświadczenie" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Certificate).where(Certificate.user_id == graduate.id)) == 1


def test_reject_with_reason_is_shown_to_the_learner(client, login, issuer, graduate):
    login(issuer)
    response = client.post(
        f"/certificates/reject/{graduate.id}/{course().id}", data={"reason": "Brak potwierdzenia obecności na zajęciach."}
    )
    assert response.status_code == 302
    assert "Zażółć" not in client.get("/certificates/queue").get_data(as_text=True)
    login(graduate)
    assert "Brak potwierdzenia obecności na zajęciach." in client.get("/certificates/mine").get_data(as_text=True)


def test_qr_code_on_the_issued_pdf_opens_the_verification_page_with_status(client, login, issuer, graduate):
    certificate = issue_via_queue(client, login, issuer, graduate)
    url = decode_qr(services.certificate_pdf(certificate))
    assert url == f"http://localhost/verify/{certificate.verification_code}"
    client.post("/logout")
    page = client.get(url.removeprefix("http://localhost"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "ważne" in html
    assert certificate.number in html
    assert "Zażółć Gęślą-Jaźń" in html
    assert graduate.email not in html  # nothing personal beyond the name


def test_revoke_and_reissue_are_audited_and_verification_shows_revoked_without_reason(client, login, issuer, graduate):
    certificate = issue_via_queue(client, login, issuer, graduate)
    reason = "Błąd w nazwisku uczestnika – tajny powód"
    assert client.post(f"/certificates/{certificate.id}/revoke", data={"confirmed": "1", "reason": reason}).status_code == 302
    db.session.refresh(certificate)
    assert certificate.status == "revoked"
    assert certificate.revoke_reason == reason
    verify = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "unieważnione" in verify
    assert "tajny powód" not in verify
    response = client.post(f"/certificates/{certificate.id}/reissue", data={"confirmed": "1"})
    assert response.status_code == 302
    new = db.session.scalar(select(Certificate).where(Certificate.reissue_of_id == certificate.id))
    assert new.status == "valid"
    assert new.seq == certificate.seq + 1
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("certificates.%"))))
    assert {"certificates.issue", "certificates.revoke", "certificates.reissue"} <= actions
    badge = client.get(f"/verify/{certificate.verification_code}/badge.json").get_json()
    status = badge["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusListIndex"] == str(certificate.id)
    listed = client.get("/ob/status/revocation").get_json()
    assert is_set(listed["credentialSubject"]["encodedList"], certificate.id)
    assert not is_set(listed["credentialSubject"]["encodedList"], new.id)


def test_register_is_never_deleted_or_rewritten(client, login, issuer, graduate):
    certificate = issue_via_queue(client, login, issuer, graduate)
    db.session.delete(certificate)
    with pytest.raises(RegisterIntegrityError):
        db.session.flush()
    db.session.rollback()
    certificate = db.session.get(Certificate, certificate.id)
    certificate.number = "ROPS-KP/2026/999999"
    with pytest.raises(RegisterIntegrityError):
        db.session.flush()
    db.session.rollback()


def test_badge_is_an_open_badges_3_credential(client, login, issuer, graduate):
    certificate = issue_via_queue(client, login, issuer, graduate)
    client.post("/logout")
    response = client.get(f"/verify/{certificate.verification_code}/badge.json")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    badge = json.loads(response.data)
    assert badge["@context"] == ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["id"] == f"http://localhost/verify/{certificate.verification_code}"
    assert badge["issuer"]["type"] == ["Profile"]
    assert badge["issuer"]["name"]
    assert badge["issuer"]["id"].startswith("http")
    assert badge["validFrom"].endswith("Z")
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["id"].startswith("urn:uuid:")
    identity = subject["identifier"][0]
    assert identity["identityType"] == "emailAddress" and identity["hashed"] is True
    expected = hashlib.sha256((graduate.email.lower() + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}"
    assert "Zażółć" not in json.dumps(subject, ensure_ascii=False)
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["name"] == "Animator społeczności lokalnej"
    assert achievement["criteria"]["narrative"]
    assert achievement["description"]
    assert achievement["id"].startswith("http")
    assert all(a["type"] == ["Alignment"] and a["targetUrl"] for a in achievement.get("alignment", []))
    assert badge["credentialStatus"]["statusPurpose"] == "revocation"
    verify_page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert f"/verify/{certificate.verification_code}/badge.json" in verify_page


def test_unknown_code_is_a_polish_404(client):
    response = client.get("/verify/nie-ma-takiego-kodu")
    assert response.status_code == 404
    assert "Nie znaleziono zaświadczenia" in response.get_data(as_text=True)


def _without_csrf(html: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1T", html)


def test_verify_form_never_reveals_a_number_without_the_matching_surname(client, login, issuer, graduate):
    certificate = issue_via_queue(client, login, issuer, graduate)
    client.post("/logout")
    client.get("/verify")  # shows and clears the flash messages of the issuer's session
    good = client.post("/verify", data={"number": certificate.number.lower(), "surname": "gęślą-jaźń"})
    assert good.status_code == 302
    assert good.headers["Location"].endswith(f"/verify/{certificate.verification_code}")
    wrong_surname = client.post("/verify", data={"number": certificate.number, "surname": "Kowalski"})
    unknown = client.post("/verify", data={"number": "ROPS-KP/2026/999999", "surname": "Kowalski"})
    assert wrong_surname.status_code == unknown.status_code == 200
    # the pages differ only in the number the visitor typed in (and the CSRF token, which is timestamped per second)
    assert _without_csrf(wrong_surname.get_data(as_text=True)).replace(certificate.number, "N") == _without_csrf(
        unknown.get_data(as_text=True)
    ).replace("ROPS-KP/2026/999999", "N")
    assert "Żadne zaświadczenie nie pasuje do tego numeru i nazwiska" in unknown.get_data(as_text=True)


def test_verify_form_is_rate_limited(tmp_path):
    from tests.helpers import make_test_app

    app = make_test_app(f"sqlite:///{tmp_path / 'rl.sqlite3'}", tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_VERIFY="3 per minute")
    client = app.test_client()
    codes = [client.post("/verify", data={"number": "X", "surname": ""}).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429


def test_register_search_and_exports_parse_back(client, login, issuer, graduate):
    certificate = issue_via_queue(client, login, issuer, graduate)
    page = client.get("/certificates/register?q=Gęślą").get_data(as_text=True)
    assert certificate.number in page
    assert certificate.number not in client.get("/certificates/register?q=nikogo-takiego").get_data(as_text=True)
    assert certificate.number not in client.get("/certificates/register?status=revoked").get_data(as_text=True)
    csv_response = client.get("/certificates/register.csv?q=Gęślą")
    rows = list(csv.reader(io.StringIO(csv_response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Numer", "Imię i nazwisko", "Kurs"]
    assert rows[1][0] == certificate.number
    assert rows[1][1] == "Zażółć Gęślą-Jaźń"
    assert rows[1][6] == "20"
    assert rows[1][8] == "ważne"
    xlsx = client.get("/certificates/register.xlsx?q=Gęślą")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == certificate.number
    assert values[1][2] == "Animator społeczności lokalnej"


def test_anonymous_verification_form_works(client):
    assert client.get("/verify").status_code == 200


def test_other_learner_cannot_download_someone_elses_pdf(client, login, login_as, issuer, graduate):
    certificate = issue_via_queue(client, login, issuer, graduate)
    login_as("learner")
    assert client.get(f"/certificates/{certificate.id}/pdf").status_code == 403
    assert client.get(f"/certificates/{certificate.id}/badge.json").status_code == 403


def test_admin_edits_branding_with_logo_and_new_certificates_use_it(client, login, login_as, issuer, graduate):
    import struct
    import zlib

    def png() -> bytes:
        raw = b"\x00\xff\x00\x00" * 1

        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b"")
        )

    login_as("admin")
    data = {"name": "ROPS w Toruniu – Dział Szkoleń", "address": "ul. Słowackiego 114\n87-100 Toruń", "signatory_name": "Jan Podpisujący",
            "signatory_function": "Zastępca Dyrektora", "place_of_issue": "Toruń", "number_prefix": "ROPS-TEST",
            "logo": (io.BytesIO(png()), "logo.png")}  # fmt: skip
    response = client.post("/certificates/branding", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    profile = services.issuer_profile(db.session)
    assert profile.logo_file
    assert (services.branding_dir() / profile.logo_file).is_file()
    assert not profile.show_birth_date  # unchecked box
    bad = client.post("/certificates/branding", data={**data, "number_prefix": "zły prefiks", "logo": (io.BytesIO(b"GIF89a"), "x.png")},
                      content_type="multipart/form-data")  # fmt: skip
    assert bad.status_code == 200
    certificate = issue_via_queue(client, login, issuer, graduate)
    assert certificate.number.startswith("ROPS-TEST/")
    assert certificate.snapshot["signatory_name"] == "Jan Podpisujący"
    assert sha256(services.certificate_pdf(certificate)) == certificate.pdf_sha256


def test_rodo_export_and_erase_keep_the_register_but_drop_request_birth_data(client, login, issuer, graduate, make_user):
    from elearn.accounts.services import erase_account, export_personal_data

    certificate = issue_via_queue(client, login, issuer, graduate)
    other = make_user("learner")
    complete(other.id)
    services.request_certificate(db.session, other, course(), birth_date=date(1990, 1, 1), birth_place="Toruń")
    db.session.commit()
    exported = export_personal_data(graduate)
    assert exported["certificates"][0]["number"] == certificate.number
    erase_account(db.session, other, actor_id=None)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(CertificateRequest).where(CertificateRequest.user_id == other.id)) == 0
    erase_account(db.session, graduate, actor_id=None)
    db.session.commit()
    kept = db.session.get(Certificate, certificate.id)
    assert kept.number == certificate.number
    assert kept.snapshot["holder_name"] == "Zażółć Gęślą-Jaźń"


def test_cli_issue_refuses_ineligible_and_issues_eligible(runner, graduate, make_user, tmp_path):
    outsider = make_user("learner", email="nieukonczony@example.org")
    refused = runner.invoke(args=["certificates", "issue", "--email", outsider.email, "--course", ANIMATOR])
    assert refused.exit_code != 0
    assert "nie ukończył(a) kursu" in refused.output
    done = runner.invoke(args=["certificates", "issue", "--email", graduate.email, "--course", ANIMATOR])
    assert done.exit_code == 0, done.output
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == graduate.id))
    assert certificate.number in done.output
    assert f"http://localhost/verify/{certificate.verification_code}" in done.output
    again = runner.invoke(args=["certificates", "issue", "--email", graduate.email, "--course", ANIMATOR])
    assert again.exit_code != 0
    assert "ma już ważne zaświadczenie" in again.output
    pdf_path = tmp_path / "c.pdf"
    assert runner.invoke(args=["certificates", "pdf", certificate.number, str(pdf_path)]).exit_code == 0
    assert sha256(pdf_path.read_bytes()) == certificate.pdf_sha256
    csv_path = tmp_path / "r.csv"
    assert runner.invoke(args=["certificates", "register", "--format", "csv", str(csv_path)]).exit_code == 0
    assert certificate.number in csv_path.read_text(encoding="utf-8-sig")
    xlsx_path = tmp_path / "r.xlsx"
    assert runner.invoke(args=["certificates", "register", "--format", "xlsx", str(xlsx_path)]).exit_code == 0
    revoked = runner.invoke(args=["certificates", "revoke", certificate.number, "--reason", "Wydane omyłkowo"])
    assert revoked.exit_code == 0
    assert db.session.get(Certificate, certificate.id).status == "revoked"
