"""Every institution type registration invites can be chosen in every powiat: where none of a type is listed, the
picker offers "not on the list? propose one" for that type and powiat, which leads to proposing it (at registration
with the account; on the account page through the proposal form, its type and powiat filled in). Once an
administrator accepts the proposal, the institution itself is offered and the entry for its type is gone."""

from __future__ import annotations

import re

from sqlalchemy import select

from elearn.accounts.models import PENDING, InstitutionMembership, InstitutionProposal, User
from elearn.core.notifications.models import Notification
from elearn.directory.models import INSTITUTION_TYPES, INVITED_TYPES, PROPOSABLE_PER_POWIAT, Institution, TerritorialUnit
from elearn.directory.services import MissingInstitution, grouped_institution_choices, missing_label
from elearn.extensions import db
from tests.accounts.mailbox import link_in, messages_to

TORUNSKI, LUBICZ, TORUN_CITY = "0415", "0415042", "0463011"
PASSWORD = "dlugie-haslo-do-testu"


def _unit(code: str) -> TerritorialUnit:
    return db.session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == code))


def _entries(groups, powiat_label: str) -> dict[str, str]:
    return {value: label for value, label in groups[powiat_label] if isinstance(value, str)}


def test_each_powiat_offers_every_invited_type_it_lacks(app):
    with app.test_request_context():
        groups = grouped_institution_choices(db.session, missing=True)
        plain = grouped_institution_choices(db.session)
    assert not any(isinstance(value, str) for items in plain.values() for value, _label in items)  # only where asked
    powiats = db.session.scalars(select(TerritorialUnit).where(TerritorialUnit.level == "powiat")).all()
    assert len(powiats) == 23
    for powiat in powiats:
        entries = _entries(groups, powiat.label)
        types = {MissingInstitution.parse(value).type for value in entries}
        listed = set(
            db.session.scalars(select(Institution.type).join(Institution.served_area).where(TerritorialUnit.code.startswith(powiat.code)))
        )
        assert types == set(PROPOSABLE_PER_POWIAT) - listed, powiat.label
    # Seeded data: each gmina has its OPS and each powiat its PCPR, so those are never offered as missing.
    toruński = _entries(groups, "powiat toruński")
    assert f"brak-DPS-{TORUNSKI}" in toruński and f"brak-OPS-{TORUNSKI}" not in toruński and f"brak-PCPR-{TORUNSKI}" not in toruński
    # Every invited type is reachable in the powiat: listed there, offered as missing, or the regional ROPS.
    with app.test_request_context():
        listed_types = {db.session.get(Institution, value).type for value, _ in groups["powiat toruński"] if isinstance(value, int)}
    regional = {db.session.get(Institution, value).type for value, _ in next(iter(groups.values()))}
    assert set(INVITED_TYPES) <= listed_types | {MissingInstitution.parse(v).type for v in toruński} | regional


def test_entry_values_read_back_and_nothing_else_does():
    entry = MissingInstitution("SDS", "0415")
    assert MissingInstitution.parse(entry.value) == entry
    for bad in ("brak-OTHER-0415", "brak-ROPS-0415", "brak-DPS-415", "brak-DPS-0415-1", "DPS-0415", "12", ""):
        assert MissingInstitution.parse(bad) is None, bad


def test_registration_names_exactly_the_invited_types_and_offers_each(client):
    page = client.get("/register").get_data(as_text=True)
    listed = re.search(r'<ul class="invited-types"[^>]*>(.*?)</ul>', page, re.S).group(1)
    names = [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", listed, re.S)]
    with client.application.test_request_context():
        from flask_babel import force_locale

        with force_locale("pl"):
            expected = [str(INSTITUTION_TYPES[t]) for t in INVITED_TYPES]
            entry_label = missing_label("DPS")
    assert names == expected and "Dom pomocy społecznej (DPS)" in names and "Inne" not in names
    select_html = re.search(r'<select[^>]*name="institution_id".*?</select>', page, re.S).group(0)
    assert f'value="brak-DPS-{TORUNSKI}"' in select_html and entry_label == "Brak na liście? Zaproponuj: Dom pomocy społecznej (DPS)"
    assert re.search(r'<fieldset class="proposal" id="proposal" data-missing-for="institution_id" hidden>', page)


def _register(client, **changes):
    data = {"full_name": "Marta Dąbrowska", "email": "proponujaca.dps@example.org", "institution_id": f"brak-DPS-{TORUNSKI}",
            "job_title": "opiekunka", "password": PASSWORD, "password_confirm": PASSWORD, "consent": "y", **changes}  # fmt: skip
    return client.post("/register", data=data)


def test_registering_with_a_missing_institution_proposes_it(app, client, make_user, login):
    admin = make_user("admin")
    # Without JavaScript the fieldset was hidden: the form comes back showing it and asking for the name and gmina.
    again = _register(client)
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and "Podaj pełną nazwę instytucji, którą proponujesz." in text
    assert "Wybierz gminę, w której działa instytucja." in text
    assert '<fieldset class="proposal" id="proposal" data-missing-for="institution_id">' in text
    # Shown, its fields are required and marked so; on a fresh form (hidden) they are not.
    assert re.search(r'<input[^>]*id="proposed_name"[^>]*required', text)
    assert re.search(r'<select[^>]*id="proposed_gmina_id"[^>]*required', text)
    fresh = client.get("/register").get_data(as_text=True)
    assert not re.search(r'<input[^>]*id="proposed_name"[^>]*required', fresh)
    assert db.session.scalar(select(User).where(User.email == "proponujaca.dps@example.org")) is None
    # A gmina of another powiat is refused.
    wrong = _register(client, proposed_name="Dom Pomocy Społecznej Przykładowy", proposed_gmina_id=str(_unit(TORUN_CITY).id))
    assert "Wybierz gminę z powiatu, w którym wybrano pozycję z listy." in wrong.get_data(as_text=True)

    done = _register(client, proposed_name="Dom Pomocy Społecznej Przykładowy", proposed_gmina_id=str(_unit(LUBICZ).id))
    assert done.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "proponujaca.dps@example.org"))
    proposal = db.session.scalar(select(InstitutionProposal).where(InstitutionProposal.user_id == user.id))
    assert (proposal.name, proposal.type, proposal.gmina.code, proposal.status) == (
        "Dom Pomocy Społecznej Przykładowy",
        "DPS",
        LUBICZ,
        PENDING,
    )
    assert db.session.scalar(select(InstitutionMembership).where(InstitutionMembership.user_id == user.id)) is None
    # The administrators hear of it (and see it listed) only once the address is confirmed.
    kinds = lambda: list(db.session.scalars(select(Notification.kind).where(Notification.recipient_id == admin.id)))  # noqa: E731
    assert kinds() == []
    login(admin)
    assert "Dom Pomocy Społecznej Przykładowy" not in client.get("/admin/institution-proposals").get_data(as_text=True)
    client.post("/logout")
    (message,) = messages_to(app, "proponujaca.dps@example.org")
    client.get(link_in(message, "/register/confirm/"))
    assert kinds() == ["accounts.institution_proposed"]
    login(admin)
    assert "Dom Pomocy Społecznej Przykładowy" in client.get("/admin/institution-proposals").get_data(as_text=True)


def test_accepted_proposal_is_offered_and_its_entry_gone(app, client, make_user, login):
    admin = make_user("admin")
    worker = make_user("learner")
    with app.test_request_context():
        before = _entries(grouped_institution_choices(db.session, missing=True), "powiat toruński")
    assert f"brak-NGO-{TORUNSKI}" in before
    login(worker)
    client.post("/account/institution-proposal",
                data={"name": "Stowarzyszenie Przykładowe z Lubicza", "type": "NGO", "gmina_id": str(_unit(LUBICZ).id)})  # fmt: skip
    proposal = db.session.scalar(select(InstitutionProposal).where(InstitutionProposal.user_id == worker.id))
    login(admin)
    assert "Stowarzyszenie Przykładowe z Lubicza" in client.get("/admin/institution-proposals").get_data(as_text=True)
    assert client.post(f"/admin/institution-proposals/{proposal.id}", data={"accept": "1"}).status_code == 302
    client.post("/logout")
    page = client.get("/register").get_data(as_text=True)
    group = re.search(r'<optgroup label="powiat toruński">(.*?)</optgroup>', page, re.S).group(1)
    assert "Stowarzyszenie Przykładowe z Lubicza" in group
    assert f"brak-NGO-{TORUNSKI}" not in group and f"brak-DPS-{TORUNSKI}" in group


def test_account_entry_leads_to_the_prefilled_proposal_form(client, login_as):
    user = login_as("learner")
    response = client.post("/account", data={"full_name": user.full_name, "job_title": "opiekun", "institution_id": f"brak-SDS-{TORUNSKI}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/account/institution-proposal?typ=SDS&powiat={TORUNSKI}")
    assert (
        db.session.scalar(
            select(InstitutionMembership).where(InstitutionMembership.user_id == user.id, InstitutionMembership.status == PENDING)
        )
        is None
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<option selected value="SDS">|<option value="SDS" selected>', page)
    gminas = re.search(r'<select[^>]*name="gmina_id".*?</select>', page, re.S).group(0)
    assert "Lubicz (gmina wiejska) – powiat toruński" in gminas and "Toruń" not in gminas.replace("powiat toruński", "")
    assert "Na liście są tylko gminy z obszaru: powiat toruński." in page
    # A city with powiat rights has one gmina: it is chosen already.
    page = client.get("/account/institution-proposal?typ=DPS&powiat=0463").get_data(as_text=True)
    gminas = re.search(r'<select[^>]*name="gmina_id".*?</select>', page, re.S).group(0)
    assert re.search(r"<option selected value=\"\d+\">Toruń", gminas) or re.search(r"<option value=\"\d+\" selected>Toruń", gminas)
