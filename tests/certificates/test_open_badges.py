"""Open Badges 3.0 that a verifier accepts: a VC-JWT signed with the published issuer key, valid against the OB 3.0
JSON schema, naming the holder by a salted e-mail hash, aligned to CASE items, with a revocation status list that
changes when the certificate is revoked. The verifier here is built from the same library (joserfc), reading only
what a stranger could read: the token, the key URL in its header, and the status list URL in the credential."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator

from elearn.certificates import services, signing
from elearn.certificates.snapshot import AttainedCompetence
from elearn.certificates.status_list import is_set
from elearn.extensions import db
from tests.certificates.helpers import issue_via_queue

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "ob_v3p0_achievementcredential_schema.json").read_text(encoding="utf-8"))
LOCAL = "http://localhost"


def schema_errors(credential: dict) -> list[str]:
    validator = Draft201909Validator(SCHEMA, format_checker=Draft201909Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(credential)]


def segments(token: str) -> list[dict]:
    head, payload, _signature = token.split(".")
    return [json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in (head, payload)]


def verify_as_a_stranger(client, token: str) -> dict:
    """Dereference the header's kid to the public JWK, verify the signature and the claims, return the credential."""
    header, _payload = segments(token)
    assert set(header) == {"alg", "kid", "typ"} and header["alg"] == "RS256" and header["typ"] == "JWT"
    key = client.get(header["kid"].removeprefix(LOCAL))
    assert key.status_code == 200
    jwk = key.get_json()
    assert set(jwk) == {"kty", "n", "e"}  # the bare public key, never "d"
    return signing.verify(token, jwk)


def status_of(client, credential: dict) -> bool:
    status = credential["credentialStatus"]
    listed = client.get(status["statusListCredential"].removeprefix(LOCAL))
    assert listed.status_code == 200 and listed.mimetype == "application/ld+json"
    subject = listed.get_json()["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    return is_set(subject["encodedList"], int(status["statusListIndex"]))


@pytest.fixture
def issued(client, login, issuer, graduate):
    certificate = issue_via_queue(client, login, issuer, graduate)
    client.get("/logout")
    return certificate


def test_signed_credential_verifies_with_the_published_key_and_validates_against_the_schema(client, issued, graduate):
    response = client.get(f"/verify/{issued.verification_code}/badge.jwt")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    token = response.get_data(as_text=True)
    credential = verify_as_a_stranger(client, token)
    assert credential == client.get(f"/verify/{issued.verification_code}/badge.json").get_json()
    assert schema_errors(credential) == []
    _header, claims = segments(token)
    assert claims["iss"] == credential["issuer"]["id"] and claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert status_of(client, credential) is False
    assert graduate.email not in token and "Zażółć" not in json.dumps(credential["credentialSubject"]["identifier"], ensure_ascii=False)


def test_a_tampered_credential_fails(client, issued):
    token = client.get(f"/verify/{issued.verification_code}/badge.jwt").get_data(as_text=True)
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "Dyplom, którego nikt nie wydał"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(signing.InvalidCredential):
        verify_as_a_stranger(client, f"{head}.{forged}.{signature}")
    other_key = signing.create_key()  # a key the issuer never published for this token
    try:
        with pytest.raises(signing.InvalidCredential):
            signing.verify(token, other_key.public_jwk())
    finally:
        other_key.path.unlink()


def test_revocation_reaches_a_copy_saved_before_it(client, login, issuer, issued):
    saved = verify_as_a_stranger(client, client.get(f"/verify/{issued.verification_code}/badge.jwt").get_data(as_text=True))
    assert status_of(client, saved) is False
    login(issuer)
    assert client.post(f"/certificates/{issued.id}/revoke", data={"reason": "Błędne dane", "confirmed": "1"}).status_code == 302
    client.get("/logout")
    assert status_of(client, saved) is True  # the old copy learns of it from the list it points at
    signed_list = client.get("/ob/status/revocation", headers={"Accept": "application/vc+jwt"})
    assert signed_list.mimetype == "application/vc+jwt"
    listed = verify_as_a_stranger(client, signed_list.get_data(as_text=True))
    assert is_set(listed["credentialSubject"]["encodedList"], issued.id)


def test_issuer_profile_and_key_set_are_published(client, issued):
    credential = client.get(f"/verify/{issued.verification_code}/badge.json").get_json()
    profile = client.get(credential["issuer"]["id"].removeprefix(LOCAL))
    assert profile.status_code == 200 and profile.get_json()["type"] == ["Profile"]
    assert profile.get_json()["id"] == credential["issuer"]["id"]
    keys = client.get("/.well-known/jwks.json").get_json()["keys"]
    assert keys and all("d" not in k and k["alg"] == "RS256" for k in keys)
    assert client.get("/ob/keys/nie-ma-takiego-klucza").status_code == 404


def test_rotation_signs_with_the_new_key_and_keeps_old_credentials_verifiable(client, issued):
    before = client.get(f"/verify/{issued.verification_code}/badge.jwt").get_data(as_text=True)
    new = signing.create_key()
    try:
        after = client.get(f"/verify/{issued.verification_code}/badge.jwt").get_data(as_text=True)
        assert segments(after)[0]["kid"].endswith(new.kid) and segments(before)[0]["kid"] != segments(after)[0]["kid"]
        verify_as_a_stranger(client, before)
        verify_as_a_stranger(client, after)
        assert new.kid in {k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]}
    finally:
        new.path.unlink()


def test_key_file_is_private_to_its_owner(app):
    with app.app_context():
        key = signing.signing_key()
    assert key.path.stat().st_mode & 0o077 == 0


def test_production_never_signs_without_a_key_made_at_setup(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ELEARN_ENV", "production")
    monkeypatch.setattr(signing, "key_dir", lambda: tmp_path / "keys")
    with app.app_context(), pytest.raises(signing.SigningKeyMissing):
        signing.sign({"issuer": {"id": "x"}, "id": "y", "credentialSubject": {"id": "z"}, "validFrom": "2026-01-01T00:00:00Z"})
    with app.app_context():
        assert signing.ensure_key() is True and signing.ensure_key() is False
        assert signing.sign({"issuer": {"id": "x"}, "id": "y", "credentialSubject": {"id": "z"}, "validFrom": "2026-01-01T00:00:00Z"})


def test_course_alignments_point_at_case_items_with_an_allowed_target_type(client, issued, monkeypatch):
    from elearn.competencies.services import competences_by_code

    code = sorted(competences_by_code(db.session))[0]
    frozen = services.snapshot_of(issued)
    with_competence = replace(frozen, competences=(AttainedCompetence(code, "Kompetencja", 2, "samodzielnie"),))
    monkeypatch.setattr(services, "snapshot_of", lambda _certificate: with_competence)
    credential = services.certificate_badge(issued)
    alignments = credential["credentialSubject"]["achievement"]["alignment"]
    assert alignments
    for alignment in alignments:
        assert alignment["targetType"] == "CFItem"
        item = client.get(alignment["targetUrl"].removeprefix(LOCAL))
        assert item.status_code == 200 and item.get_json()["humanCodingScheme"] == alignment["targetCode"]


def test_the_plain_name_when_the_instance_chooses_it(client, issued, monkeypatch, app):
    monkeypatch.setitem(app.config, "OPEN_BADGES_RECIPIENT", "name")
    credential = client.get(f"/verify/{issued.verification_code}/badge.json").get_json()
    assert credential["credentialSubject"]["identifier"] == [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "Zażółć Gęślą-Jaźń"}
    ]
    assert schema_errors(credential) == []


def test_the_frozen_identity_survives_an_email_change_and_goes_with_erasure(client, issued, graduate):
    before = client.get(f"/verify/{issued.verification_code}/badge.json").get_json()["credentialSubject"]["identifier"]
    graduate.email = "nowy.adres@example.org"
    db.session.commit()
    assert client.get(f"/verify/{issued.verification_code}/badge.json").get_json()["credentialSubject"]["identifier"] == before
    from elearn.accounts.services import erase_account

    erase_account(db.session, graduate, actor_id=graduate.id)
    db.session.commit()
    db.session.refresh(issued)
    assert issued.snapshot["recipient_hash"] is None
    after = client.get(f"/verify/{issued.verification_code}/badge.json").get_json()
    assert "identifier" not in after["credentialSubject"] and schema_errors(after) == []


def test_the_holder_downloads_the_signed_badge_and_others_may_not(client, login, issued, graduate, make_user):
    login(graduate)
    response = client.get(f"/certificates/{issued.id}/badge.jwt")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    verify_as_a_stranger(client, response.get_data(as_text=True))
    assert services.signed_badge(issued) == response.get_data(as_text=True)  # RS256 is deterministic
    login(make_user("learner"))
    assert client.get(f"/certificates/{issued.id}/badge.jwt").status_code == 403


def test_setup_creates_the_key_once_and_rotate_key_adds_a_published_one(app, tmp_path, monkeypatch):
    monkeypatch.setattr(signing, "key_dir", lambda: tmp_path / "keys")
    runner = app.test_cli_runner()
    from elearn.certificates.cli import load_step

    with app.app_context():
        load_step()
        first = signing.issuer_keys()
        load_step()
        assert signing.issuer_keys() == first and len(first) == 1
    result = runner.invoke(args=["certificates", "rotate-key"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        keys = signing.issuer_keys()
        assert len(keys) == 2 and keys[0].kid == first[0].kid
        assert signing.signing_key().kid == keys[1].kid and keys[1].kid in result.output
