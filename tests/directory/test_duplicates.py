"""Duplicate institutions are found, merged with their people, and the seed no longer creates namesakes (issue #13)."""

from __future__ import annotations

from sqlalchemy import select

from elearn.accounts.models import InstitutionMembership, User
from elearn.core.models import AuditEntry
from elearn.directory import services
from elearn.directory.models import Institution
from elearn.extensions import db


def test_seed_names_the_two_rogowo_centres_apart(app):
    names = db.session.scalars(select(Institution.name).where(Institution.name.like("%gmina wiejska Rogowo%"))).all()
    assert len(names) == 2 and len(set(names)) == 2
    assert any("powiat rypiński" in n for n in names) and any("powiat żniński" in n for n in names)
    assert not [g for g in services.duplicate_institution_groups(db.session) if "Rogowo" in g.institutions[0].name]


def test_seed_renames_an_ambiguous_centre_seeded_earlier(app):
    centre = db.session.scalar(select(Institution).where(Institution.name.like("%Rogowo (powiat rypiński)")))
    centre.name = "Gminny ośrodek pomocy społecznej – gmina wiejska Rogowo"
    db.session.flush()
    services.seed_institutions(db.session)
    assert centre.name.endswith("Rogowo (powiat rypiński)")


def test_normalised_names_ignore_case_dashes_and_spacing():
    assert services.normalised_name("GOPS –  gmina Rogowo") == services.normalised_name("gops - Gmina  rogowo.")


def test_admin_finds_and_merges_a_duplicate_with_its_people(client, login_as, make_user, institution):
    admin = login_as("admin")
    twin = Institution(name=institution.name.upper() + " ", type=institution.type, served_area_id=institution.served_area_id,
                       location_id=institution.location_id)  # fmt: skip
    db.session.add(twin)
    db.session.commit()
    twin_id = twin.id
    worker = make_user(institution_id=twin_id)
    html = client.get("/admin/institutions/duplicates").get_data(as_text=True)
    assert f"#{twin_id}" in html and f"#{institution.id}" in html
    prefix = f"g{institution.id}"
    data = {"group": str(institution.id), f"{prefix}-kept_id": str(institution.id), f"{prefix}-merged_id": str(twin_id)}
    response = client.post("/admin/institutions/duplicates/merge", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Institution, twin_id) is None
    assert db.session.get(User, worker.id).institution_id == institution.id
    memberships = db.session.scalars(select(InstitutionMembership).where(InstitutionMembership.user_id == worker.id)).all()
    assert memberships and all(m.institution_id == institution.id for m in memberships)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "institution.merge"))
    assert entry.actor_id == admin.id and entry.details["merged_id"] == twin_id
    assert not [g for g in services.duplicate_institution_groups(db.session) if g.same_place]


def test_merge_requires_the_admin_role(client, login_as, institution):
    login_as("coordinator")
    assert client.post("/admin/institutions/duplicates/merge", data={"group": str(institution.id)}).status_code == 403
