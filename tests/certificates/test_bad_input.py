"""Empty, too long, wrong-type and malicious values on every certificate form: a Polish field error and no row written."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from elearn.certificates import services
from elearn.certificates.models import BulkJob, Certificate, CertificateRequest, IssuerProfile
from elearn.core.models import AuditEntry
from elearn.extensions import db
from tests.bad_input import CONTROL, CONTROL_MESSAGE, XSS, assert_field_error, count_rows
from tests.certificates.helpers import ANIMATOR, course

REQUIRED = "To pole jest wymagane."
LENGTH = "Liczba znaków: od"
PLAIN = "Znaki < i > są tu niedozwolone."


@pytest.fixture
def birth_data_required():
    profile = services.issuer_profile(db.session)
    profile.show_birth_date = profile.show_birth_place = True
    db.session.commit()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "", "Podaj datę urodzenia"),
        ("birth_date", "wczoraj", "Nieprawidłowa data"),
        ("birth_date", "1985-13-45", "Nieprawidłowa data"),
        ("birth_date", XSS, "Nieprawidłowa data"),
        ("birth_date", "1900-01-01", "Podaj prawdziwą datę urodzenia"),
        ("birth_place", "", "Podaj miejsce urodzenia."),
        ("birth_place", "W", LENGTH),
        ("birth_place", "W" * 101, LENGTH),
        ("birth_place", XSS, PLAIN),
        ("birth_place", "Włocławek\x00", CONTROL_MESSAGE),
        ("birth_place", "Włocławek\nToruń", CONTROL_MESSAGE),
    ],
)
def test_certificate_request_rejects_bad_birth_data(client, login, graduate, birth_data_required, field, value, message):
    login(graduate)
    before = count_rows(CertificateRequest)
    data = {"birth_date": "1985-06-01", "birth_place": "Włocławek"}
    data[field] = value
    response = client.post(f"/certificates/request/{ANIMATOR}", data=data)
    assert_field_error(response, field, message)
    assert count_rows(CertificateRequest) == before


def test_certificate_request_for_an_unknown_course_is_a_404(client, login, graduate):
    login(graduate)
    before = count_rows(CertificateRequest)
    assert client.post(f"/certificates/request/{XSS}", data={"birth_place": "Toruń"}).status_code == 404
    assert count_rows(CertificateRequest) == before


@pytest.mark.parametrize(
    ("value", "message"),
    [("", REQUIRED), ("   ", REQUIRED), ("nie", LENGTH), ("a" * 1001, LENGTH), (CONTROL + " powód", CONTROL_MESSAGE)],
)
def test_reject_needs_a_real_reason(client, login, issuer, graduate, value, message):
    login(issuer)
    before = count_rows(CertificateRequest), count_rows(AuditEntry)
    response = client.post(f"/certificates/reject/{graduate.id}/{course().id}", data={"reason": value})
    assert_field_error(response, "reason", message)
    assert (count_rows(CertificateRequest), count_rows(AuditEntry)) == before


@pytest.mark.parametrize("path", ["999999/1", "1/999999", "abc/1"])
def test_reject_for_unknown_people_or_courses_is_a_404(client, login, issuer, path):
    login(issuer)
    before = count_rows(CertificateRequest)
    assert client.post(f"/certificates/reject/{path}", data={"reason": "Powód odmowy."}).status_code == 404
    assert count_rows(CertificateRequest) == before


@pytest.mark.parametrize(
    ("value", "message"),
    [("", REQUIRED), ("nie", LENGTH), ("a" * 1001, LENGTH), (CONTROL + " powód", CONTROL_MESSAGE), (XSS, None)],
)
def test_revoke_needs_a_real_reason(client, login, issuer, graduate, value, message):
    login(issuer)
    client.post("/certificates/issue", data={"confirmed": "1", "selected": f"{graduate.id}:{course().id}"})
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == graduate.id))
    before = count_rows(AuditEntry)
    response = client.post(f"/certificates/{certificate.id}/revoke", data={"confirmed": "1", "reason": value})
    if message is None:  # markup in a reason is stored as text and escaped wherever it is shown
        assert response.status_code == 302
        assert XSS not in client.get(response.headers["Location"]).get_data(as_text=True)
        return
    assert_field_error(response, "reason", message, status=400)  # the designed answer: the detail page with the error
    db.session.refresh(certificate)
    assert certificate.revoked_at is None
    assert count_rows(AuditEntry) == before


@pytest.mark.parametrize(
    "selected",
    ["", "abc", "1:abc", XSS, "999999:999999", "-1:-1", "1:2:3"],
    ids=["empty", "letters", "half", "xss", "unknown", "negative", "triple"],
)
def test_issue_selection_that_names_nobody_issues_nothing(client, login, issuer, selected):
    login(issuer)
    before = count_rows(Certificate)
    response = client.post("/certificates/issue", data={"confirmed": "1", "selected": selected}, follow_redirects=True)
    assert response.status_code == 200
    assert "Zaznacz co najmniej jedną osobę." in response.get_data(as_text=True)
    assert count_rows(Certificate) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"course_id": ""}, REQUIRED),
        ({"course_id": "abc"}, REQUIRED),
        ({"course_id": "999999"}, "Nieprawidłowy wybór"),
        ({"course_id": XSS}, REQUIRED),
        ({"period_from": "wczoraj"}, "Nieprawidłowa data"),
        ({"period_to": "2026-02-30"}, "Nieprawidłowa data"),
        ({"period_from": "2026-05-01", "period_to": "2026-01-01"}, "Koniec okresu nie może być wcześniejszy niż jego początek."),
    ],
)
def test_bulk_issue_rejects_bad_input(client, login, issuer, graduate, changes, message):
    login(issuer)
    before = count_rows(BulkJob), count_rows(Certificate)
    data = {"course_id": str(course().id), "period_from": "", "period_to": "", **changes}
    response = client.post("/certificates/bulk", data={"confirmed": "1", **data}, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert XSS not in html
    assert (count_rows(BulkJob), count_rows(Certificate)) == before


@pytest.mark.parametrize("args", [{"course_id": "abc"}, {"course_id": XSS}, {"period_from": "x", "period_to": "2026-99-99"}])
def test_queue_filters_ignore_wrong_values(client, login, issuer, graduate, args):
    login(issuer)
    response = client.get("/certificates/queue", query_string=args)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Zażółć Gęślą-Jaźń" in html  # an unreadable filter filters nothing
    assert XSS not in html


def _branding(**changes) -> dict:
    data = {
        "name": "Regionalny Ośrodek Polityki Społecznej w Toruniu",
        "address": "ul. Szosa Chełmińska 30/32\n87-100 Toruń",
        "signatory_name": "Jan Dyrektor",
        "signatory_function": "Dyrektor ROPS",
        "place_of_issue": "Toruń",
        "number_prefix": "ROPS-KP",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", REQUIRED),
        ("name", "ab", LENGTH),
        ("name", "a" * 201, LENGTH),
        ("name", XSS, PLAIN),
        ("name", "ROPS\x00", CONTROL_MESSAGE),
        ("address", "a" * 501, "nie może mieć więcej niż"),
        ("address", CONTROL, CONTROL_MESSAGE),
        ("signatory_name", "", REQUIRED),
        ("signatory_name", "a" * 151, LENGTH),
        ("signatory_name", XSS, PLAIN),
        ("signatory_function", "", REQUIRED),
        ("signatory_function", "a" * 201, LENGTH),
        ("signatory_function", "Dyrektor\x1b", CONTROL_MESSAGE),
        ("place_of_issue", "", REQUIRED),
        ("place_of_issue", "T", LENGTH),
        ("place_of_issue", XSS, PLAIN),
        ("number_prefix", "", REQUIRED),
        ("number_prefix", "rops-kp", "Tylko wielkie litery"),
        ("number_prefix", "ROPS/KP", "Tylko wielkie litery"),
        ("number_prefix", "A" * 21, "Tylko wielkie litery"),
        ("number_prefix", XSS, "Tylko wielkie litery"),
        ("logo", (io.BytesIO(b"<script>alert(1)</script>"), "logo.png"), "PNG lub JPEG"),
        ("logo", (io.BytesIO(b"GIF89a"), "logo.gif"), "PNG lub JPEG"),
    ],
)
def test_branding_rejects_bad_input_and_keeps_the_settings(client, login_as, field, value, message):
    login_as("admin")
    before = db.session.scalar(select(IssuerProfile.name, IssuerProfile.number_prefix, IssuerProfile.logo_file).limit(1))
    audits = count_rows(AuditEntry)
    response = client.post("/certificates/branding", data=_branding(**{field: value}), content_type="multipart/form-data")
    assert_field_error(response, field, message)
    db.session.expire_all()
    assert db.session.scalar(select(IssuerProfile.name, IssuerProfile.number_prefix, IssuerProfile.logo_file).limit(1)) == before
    assert count_rows(AuditEntry) == audits


@pytest.mark.parametrize("args", [{"q": "a" * 1000}, {"q": XSS}, {"q": "%' OR 1=1 --"}, {"status": "HACK"}, {"status": XSS}])
@pytest.mark.parametrize("url", ["/certificates/register", "/certificates/register.csv", "/certificates/register.xlsx"])
def test_register_search_survives_any_input(client, login_as, args, url):
    login_as("issuer")
    response = client.get(url, query_string=args)
    assert response.status_code == 200
    if url.endswith("register"):
        assert XSS not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number", "", REQUIRED),
        ("number", "R" * 41, LENGTH),
        ("surname", "", REQUIRED),
        ("surname", "N", LENGTH),
        ("surname", "N" * 81, LENGTH),
        ("surname", XSS, PLAIN),
        ("surname", "Nowak\x00", CONTROL_MESSAGE),
    ],
)
def test_verify_form_rejects_bad_input(client, field, value, message):
    before = count_rows(AuditEntry)
    data = {"number": "ROPS-KP/2026/000001", "surname": "Nowak"}
    data[field] = value
    response = client.post("/verify", data=data)
    assert_field_error(response, field, message)
    assert count_rows(AuditEntry) == before


@pytest.mark.parametrize("number", [XSS, "'; DROP TABLE certificate; --", "\x00\x1b"])
def test_verify_form_with_a_malicious_number_finds_nothing(client, number):
    response = client.post("/verify", data={"number": number, "surname": "Nowak"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert XSS not in html
    assert "Żadne zaświadczenie nie pasuje do tego numeru i nazwiska." in html


@pytest.mark.parametrize("code", [XSS, "a" * 500, "a%27%20OR%201=1--aaaaaaaaaaaa"])
def test_verify_link_with_a_malicious_code_is_a_polish_404(client, code):
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    assert XSS not in response.get_data(as_text=True)


def test_verify_link_with_a_nul_byte_is_a_clean_400(client):
    # Failed with a 500 on PostgreSQL, which refuses NUL bytes in text: now refused before any query.
    response = client.get("/verify/abc%00def")
    assert response.status_code == 400
    assert "Nieprawidłowe żądanie" in response.get_data(as_text=True)
