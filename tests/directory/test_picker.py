"""The institution picker: grouped by powiat, Polish order, nothing chosen until the person chooses."""

from __future__ import annotations

import re

from elearn.directory.services import grouped_institution_choices
from elearn.extensions import db


def test_groups_and_names_are_in_polish_order(app):
    groups = grouped_institution_choices(db.session)
    labels = list(groups)
    assert labels[0].startswith("województwo")  # the regional centre first
    # Cities with powiat rights sit among the powiaty by name; "ś", "w", "ż" in Polish order.
    assert labels[1:5] == ["powiat aleksandrowski", "powiat brodnicki", "powiat bydgoski", "Bydgoszcz"]
    assert labels.index("powiat sępoleński") < labels.index("powiat świecki") < labels.index("Toruń") < labels.index("powiat toruński")
    assert labels[-1] == "powiat żniński"
    toruński = [name for _id, name in groups["powiat toruński"]]
    gminas = [n.rsplit(" ", 1)[-1] for n in toruński if "gmina wiejska" in n]
    # Łubianka after Lubicz and Łysomice (Polish order), not after Zławieś Wielka (code-point order).
    assert gminas.index("Lubicz") < gminas.index("Łubianka") < gminas.index("Łysomice")


def test_registration_preselects_nothing_and_requires_a_choice(client):
    page = client.get("/register").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="institution_id".*?</select>', page, re.S).group(0)
    assert "data-combobox" in select and "<optgroup" in select
    assert re.search(r'<option selected value="">— wybierz instytucję —</option>|<option value="" selected>', select)
    assert select.count(" selected") == 1
    refused = client.post(
        "/register",
        data={"full_name": "Anna Nowak", "email": "a@example.org", "institution_id": "", "job_title": "pracownik socjalny",
              "password": "dlugie-haslo-do-testu", "password_confirm": "dlugie-haslo-do-testu", "consent": "y"},
    )  # fmt: skip
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "To pole jest wymagane." in text
    assert "Nieprawidłowy wybór" not in text and "Not a valid choice" not in text
