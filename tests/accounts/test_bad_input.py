"""Empty, too long, wrong-type and malicious values on every form: a Polish field error and no row written."""

from __future__ import annotations

import pytest

from elearn.accounts.models import User
from elearn.directory.models import Institution
from tests.bad_input import XSS, count_rows

LONG = "a" * 500


def _valid_registration(institution_id) -> dict:
    return {
        "full_name": "Anna Nowak",
        "email": "anna.nowak@example.org",
        "institution_id": str(institution_id),
        "job_title": "pracownik socjalny",
        "password": "bezpieczne-haslo",
        "password_confirm": "bezpieczne-haslo",
        "consent": "y",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "", "To pole jest wymagane."),
        ("full_name", LONG, "Liczba znaków"),
        ("full_name", XSS, "Używaj wyłącznie liter"),
        ("full_name", "Jan 123", "Używaj wyłącznie liter"),
        ("email", "", "To pole jest wymagane."),
        ("email", "nie-adres", "Wpisz poprawny adres e-mail."),
        ("email", LONG + "@example.org", "Maksymalna liczba znaków"),
        ("institution_id", "", "To pole jest wymagane."),
        ("institution_id", "abc", None),
        ("institution_id", "99999999", None),
        ("job_title", "", "To pole jest wymagane."),
        ("job_title", XSS, "Znaki < i > są tu niedozwolone."),
        ("job_title", "a\x00b", "znaków sterujących"),
        ("password", "krotkie", "co najmniej 10 znaków"),
        ("password_confirm", "inne-haslo-123", "Podane hasła nie są takie same."),
        ("consent", "", "zaakceptować politykę prywatności"),
    ],
)
def test_registration_rejects_bad_input(client, institution, field, value, message):
    before = count_rows(User)
    data = _valid_registration(institution.id)
    data[field] = value
    response = client.post("/register", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html, html
    if message:
        assert message in html
    assert 'aria-invalid="true"' in html
    assert count_rows(User) == before
    assert XSS not in html


def test_duplicate_email_adds_no_row_and_does_not_say_so(client, institution, make_user):
    make_user(email="anna.nowak@example.org")
    before = count_rows(User)
    response = client.post("/register", data=_valid_registration(institution.id), follow_redirects=True)
    assert "już istnieje" not in response.get_data(as_text=True)
    assert count_rows(User) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "password": ""}, "To pole jest wymagane."),
        ({"email": "x", "password": "y"}, "Wpisz poprawny adres e-mail."),
        ({"email": "a@example.org", "password": LONG}, None),
    ],
)
def test_login_bad_input(client, data, message):
    response = client.post("/login", data=data)
    assert response.status_code == 200
    if message:
        assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "To pole jest wymagane."),
        ("name", XSS, "Znaki < i > są tu niedozwolone."),
        ("name", LONG, "Liczba znaków"),
        ("postal_code", "87100", "00-000"),
        ("regon", "12345", "REGON"),
        ("type", "HACK", None),
        ("served_area_id", "abc", None),
        ("served_area_id", "", "To pole jest wymagane."),
    ],
)
def test_institution_form_bad_input(client, login_as, institution, field, value, message):
    login_as("admin")
    before = count_rows(Institution)
    data = {
        "name": "Stowarzyszenie Testowe",
        "type": "NGO",
        "served_area_id": str(institution.served_area_id),
        "location_id": "0",
        "active": "y",
    }
    data[field] = value
    response = client.post("/admin/institutions/new", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    if message:
        assert message in html
    assert count_rows(Institution) == before


def test_password_change_bad_input(client, login_as):
    login_as("learner")
    response = client.post("/account/password", data={"current_password": "", "password": "x", "password_confirm": "y"})
    html = response.get_data(as_text=True)
    assert 'id="current_password-error"' in html and 'id="password-error"' in html
