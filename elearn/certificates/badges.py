"""Open Badges 3.0 credentials (W3C Verifiable Credentials 2.0 JSON-LD), built from a certificate's snapshot.

The contexts are URLs only: nothing is fetched at runtime. What a credential says beyond the snapshot (the issuer
profile, the pseudonymous subject, the status-list entry, where each competence is published) comes in an
`Issuance` from services.certificate_badge; signing (VC-JWT) is signing.py's, the status list status_list.py's.

- issuer.id is the issuer profile URL (/ob/issuer), which serves the profile as JSON-LD;
- credentialSubject.id is a per-credential `urn:uuid` that says nothing about the person; the person is identified
  by `identifier`: a salted SHA-256 of their e-mail (identityType emailAddress) unless the instance is configured
  to print the name (OPEN_BADGES_RECIPIENT = "name");
- every credential carries `credentialStatus` (a BitstringStatusListEntry, defined in the VC 2.0 context), so a
  copy saved earlier still learns of a revocation from the status list;
- alignments use the allowed target type `CFItem` and point at the competence's CASE item URL.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .pdf import format_hours
from .snapshot import CertificateSnapshot, RoleSnapshot

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
SCHEMA_URL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
CREDENTIAL_SCHEMA = [{"id": SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}]
RECIPIENT_EMAIL, RECIPIENT_NAME = "email", "name"


def iso(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"


def new_salt() -> str:
    return secrets.token_hex(16)


def identity_hash(value: str, salt: str) -> str:
    """OB 3.0 IdentityHash: `sha256$` and the hex digest of the identifier followed by the salt (UTF-8)."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def email_identifier(email: str, salt: str) -> dict[str, Any]:
    normalised = email.strip().lower()
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": identity_hash(normalised, salt),
        "salt": salt,
    }


def name_identifier(name: str) -> dict[str, Any]:
    return {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": name}


@dataclass(frozen=True)
class Issuance:
    credential_id: str  # the public verification page
    issuer: dict[str, Any]  # {"id": issuer profile URL, "type": ["Profile"], "name": …}
    subject_id: str  # urn:uuid, pseudonymous
    identifiers: tuple[dict[str, Any], ...]
    issued_at: datetime
    status: dict[str, Any]  # the credentialStatus entry
    alignment_url: Callable[[str], str]  # competence code -> its CASE item URL
    base_url: str


def _alignment(issuance: Issuance, code: str, name: str, description: str, framework: str | None = None) -> dict[str, Any]:
    alignment = {
        "type": ["Alignment"],
        "targetName": name,
        "targetCode": code,
        "targetDescription": description,
        "targetType": "CFItem",
        "targetUrl": issuance.alignment_url(code),
    }
    if framework:
        alignment["targetFramework"] = framework
    return alignment


def _envelope(name: str, achievement: dict[str, Any], issuance: Issuance, number: str, **subject: Any) -> dict[str, Any]:
    credential_subject = {"id": issuance.subject_id, "type": ["AchievementSubject"], **subject, "achievement": achievement}
    if issuance.identifiers:
        credential_subject["identifier"] = list(issuance.identifiers)
    return {
        "@context": CONTEXTS,
        "id": issuance.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": issuance.issuer,
        "validFrom": iso(issuance.issued_at),
        "credentialSubject": credential_subject,
        "evidence": [{"id": issuance.credential_id, "type": ["Evidence"], "name": f"Rejestr zaświadczeń: {number}"}],
        "credentialStatus": issuance.status,
        "credentialSchema": CREDENTIAL_SCHEMA,
    }


def build_badge(snapshot: CertificateSnapshot, issuance: Issuance) -> dict[str, Any]:
    base = issuance.base_url.rstrip("/")
    narrative = (
        f"Ukończenie szkolenia „{snapshot.course_title}” ({format_hours(snapshot.hours)} godz.) organizowanego przez "
        f"{snapshot.organiser}: wszystkie lekcje przerobione i wszystkie testy modułów zaliczone."
    )
    description = f"Zaświadczenie nr {snapshot.number} o ukończeniu szkolenia „{snapshot.course_title}”."
    if snapshot.competences:
        description += " Osiągnięte kompetencje: " + "; ".join(f"{c.code} {c.name} ({c.level_name})" for c in snapshot.competences) + "."
    achievement: dict[str, Any] = {
        "id": f"{base}/courses/{snapshot.course_slug}#version-{snapshot.course_version}",
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": snapshot.course_title,
        "description": description,
        "criteria": {"narrative": narrative},
        "humanCode": snapshot.number,
        "inLanguage": "pl",
        "creator": issuance.issuer,
    }
    if snapshot.competences:
        achievement["alignment"] = [_alignment(issuance, c.code, c.name, f"Poziom {c.level}: {c.level_name}") for c in snapshot.competences]
    return _envelope(
        f"Zaświadczenie: {snapshot.course_title}",
        achievement,
        issuance,
        snapshot.number,
        activityStartDate=snapshot.period_from.isoformat() + "T00:00:00Z",
        activityEndDate=snapshot.period_to.isoformat() + "T00:00:00Z",
        creditsEarned=snapshot.hours,
    )


def build_role_badge(snapshot: RoleSnapshot, issuance: Issuance) -> dict[str, Any]:
    """One achievement per role and framework version, aligned to each competence of the profile (its CASE item)."""
    base = issuance.base_url.rstrip("/")
    framework = f"{snapshot.framework_title} {snapshot.framework_version}"
    achievement: dict[str, Any] = {
        "id": f"{base}/roles/{snapshot.role_code}#framework-{snapshot.framework_key}-{snapshot.framework_version}",
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": f"{snapshot.specialty} – {snapshot.role_name}",
        "description": (
            f"Zaświadczenie nr {snapshot.number}: potwierdzenie wszystkich kompetencji profilu roli „{snapshot.role_name}” "
            f"(model „{snapshot.framework_title}”, wersja {snapshot.framework_version})."
        ),
        "criteria": {
            "narrative": (
                "Każda kompetencja profilu roli potwierdzona na wymaganym poziomie ocenionym dowodem (ocena trenera, "
                "ocenione zadanie praktyczne, ocena podczas szkolenia stacjonarnego lub uznanie wcześniejszego uczenia się); "
                "samoocena nie jest dowodem."
            )
        },
        "humanCode": snapshot.number,
        "inLanguage": "pl",
        "creator": issuance.issuer,
        "alignment": [
            _alignment(issuance, c.code, c.name, f"Poziom {c.level}: {c.level_name} (wymagany {c.required_level})", framework)
            for c in snapshot.competences
        ],
    }
    credential = _envelope(f"Zaświadczenie: {snapshot.role_name}", achievement, issuance, snapshot.number)
    if snapshot.valid_until is not None:
        credential["validUntil"] = snapshot.valid_until.isoformat() + "T23:59:59Z"
    return credential
