"""Each role's dashboard shows its own work, and a person with several roles sees each of their panels (issue #13)."""

from __future__ import annotations

import pytest

LEARNER_EMPTY = ("Gdy zapiszesz się na kurs", "When you enrol in a course")


def _text(client) -> str:
    return client.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (("issuer",), ("Kolejka zaświadczeń", "Ostatnie wpisy w rejestrze")),
        (("trainer",), ("Zadania praktyczne", "Prośby o ocenę", "Kursy pod Twoją opieką", "Kursy, które tworzysz")),
        (("coordinator",), ("Twój zespół", "Prośby o przyjęcie")),
        (("admin",), ("Czeka na administratora", "wyglądają na zdublowane")),
    ],
)
def test_each_role_sees_its_panel_and_not_the_learners_text(client, login_as, roles, expected):
    login_as(*roles)
    html = _text(client)
    for heading in expected:
        assert heading in html
    assert not any(text in html for text in LEARNER_EMPTY)
    assert "Twoje kursy" not in html


def test_a_learner_sees_learner_panels_only(client, login_as):
    login_as("learner")
    html = _text(client)
    assert "Moje kompetencje" in html
    for heading in ("Kolejka zaświadczeń", "Twój zespół", "Czeka na administratora", "Kursy, które tworzysz"):
        assert heading not in html


def test_several_roles_see_each_of_their_panels(client, login_as):
    login_as("learner", "coordinator", "issuer")
    html = _text(client)
    for heading in ("Twój zespół", "Kolejka zaświadczeń", "Moje kompetencje"):
        assert heading in html
