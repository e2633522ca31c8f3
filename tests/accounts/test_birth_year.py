"""The optional year of birth for the EU monitoring age bands: offered at registration and on the account page with
a hint saying why it is asked, never required, refused (with a Polish message) outside a working adult's years."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from elearn.accounts import services as accounts
from elearn.accounts.models import User
from elearn.core.timeutil import utcnow
from elearn.extensions import db


def _profile(user, **extra):
    return {"full_name": user.full_name, "job_title": "pracownik socjalny", "institution_id": user.institution_id, **extra}


def test_the_account_page_asks_for_the_year_with_its_reason_and_saves_and_clears_it(client, login_as):
    user = login_as("learner")
    page = client.get("/account").get_data(as_text=True)
    assert "Rok urodzenia (nieobowiązkowo)" in page and "grupy wieku uczestników" in page
    year = utcnow().year - 40
    assert client.post("/account", data=_profile(user, birth_year=str(year))).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).birth_year == year
    assert client.post("/account", data=_profile(user, birth_year="")).status_code == 302  # it can be withdrawn
    db.session.expire_all()
    assert db.session.get(User, user.id).birth_year is None


@pytest.mark.parametrize("age", [15, 81])
def test_an_implausible_year_is_refused_with_a_polish_message(client, login_as, age):
    user = login_as("learner")
    this_year = utcnow().year
    response = client.post("/account", data=_profile(user, birth_year=str(this_year - age)))
    assert response.status_code == 200
    assert f"Podaj rok od {this_year - 80} do {this_year - 16} albo zostaw pole puste." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).birth_year is None


def test_a_year_that_is_not_a_number_is_refused_not_crashed(client, login_as):
    user = login_as("learner")
    response = client.post("/account", data=_profile(user, birth_year="siedemdziesiąty"))
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).birth_year is None


def test_the_bounds_are_eighty_and_sixteen_years_back_and_the_service_checks_them(make_user):
    assert accounts.birth_year_bounds(date(2030, 6, 1)) == (1950, 2014)
    user = make_user("learner")
    low, high = accounts.birth_year_bounds()
    accounts.set_birth_year(db.session, user, low, actor_id=user.id)
    accounts.set_birth_year(db.session, user, high, actor_id=user.id)
    assert user.birth_year == high
    with pytest.raises(accounts.AccountError):
        accounts.set_birth_year(db.session, user, high + 1, actor_id=user.id)


def test_registration_stores_the_optional_year(client, institution):
    year = utcnow().year - 30
    form = {
        "full_name": "Anna Rejestrowana",
        "email": "anna.rejestrowana@example.org",
        "institution_id": institution.id,
        "job_title": "asystentka rodziny",
        "birth_year": str(year),
        "password": "dlugie haslo zimowe 42",
        "password_confirm": "dlugie haslo zimowe 42",
        "consent": "y",
    }
    assert client.post("/register", data=form).status_code == 302
    assert db.session.scalar(select(User.birth_year).where(User.email == "anna.rejestrowana@example.org")) == year
