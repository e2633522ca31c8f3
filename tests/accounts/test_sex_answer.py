"""The optional answer on sex for the EU monitoring: offered at registration and on the account page, with
"I prefer not to say", never required; an unknown answer is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.accounts import services as accounts
from elearn.accounts.models import User
from elearn.extensions import db


def test_the_account_page_offers_sex_with_prefer_not_to_say_and_saves_it(client, login_as):
    user = login_as("learner")
    page = client.get("/account").get_data(as_text=True)
    assert "Wolę nie podawać" in page
    form = {"full_name": user.full_name, "job_title": "pracownik socjalny", "institution_id": user.institution_id, "sex": "undisclosed"}
    assert client.post("/account", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).sex == "undisclosed"
    assert client.post("/account", data={**form, "sex": ""}).status_code == 302  # the answer can be withdrawn
    db.session.expire_all()
    assert db.session.get(User, user.id).sex is None


def test_saving_the_profile_without_the_field_keeps_no_answer(client, login_as):
    user = login_as("learner")
    form = {"full_name": user.full_name, "job_title": "pracownik socjalny", "institution_id": user.institution_id}
    assert client.post("/account", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).sex is None


def test_an_unknown_answer_is_refused(make_user):
    user = make_user("learner")
    with pytest.raises(accounts.AccountError):
        accounts.set_sex(db.session, user, "other", actor_id=user.id)


def test_registration_stores_the_optional_answer(client, institution):
    form = {
        "full_name": "Anna Rejestrowana",
        "email": "anna.rejestrowana@example.org",
        "institution_id": institution.id,
        "job_title": "asystentka rodziny",
        "sex": "female",
        "password": "dlugie haslo zimowe 42",
        "password_confirm": "dlugie haslo zimowe 42",
        "consent": "y",
    }
    assert client.post("/register", data=form).status_code == 302
    assert db.session.scalar(select(User.sex).where(User.email == "anna.rejestrowana@example.org")) == "female"
