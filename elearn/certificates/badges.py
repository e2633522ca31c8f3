"""Open Badges 3.0 credentials (W3C Verifiable Credentials 2.0 JSON-LD), built from a certificate's snapshot.

The contexts are URLs only: nothing is fetched at runtime. The credential is unsigned; its id is the public
verification page, which anyone can open to check the status, and the revocation state is carried in
credentialStatus so a consumer sees it without another request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .pdf import format_hours
from .snapshot import CertificateSnapshot, RoleSnapshot

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def _iso(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"


def build_badge(
    snapshot: CertificateSnapshot, *, base_url: str, issued_at: datetime, revoked_at: datetime | None, verification_url: str
) -> dict[str, Any]:
    base = base_url.rstrip("/")
    achievement_id = f"{base}/courses/{snapshot.course_slug}#version-{snapshot.course_version}"
    narrative = (
        f"Ukończenie szkolenia „{snapshot.course_title}” ({format_hours(snapshot.hours)} godz.) organizowanego przez "
        f"{snapshot.organiser}: wszystkie lekcje przerobione i wszystkie testy modułów zaliczone."
    )
    description = f"Zaświadczenie nr {snapshot.number} o ukończeniu szkolenia „{snapshot.course_title}”."
    if snapshot.competences:
        description += " Osiągnięte kompetencje: " + "; ".join(f"{c.code} {c.name} ({c.level_name})" for c in snapshot.competences) + "."
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": snapshot.course_title,
        "description": description,
        "criteria": {"narrative": narrative},
        "humanCode": snapshot.number,
        "inLanguage": "pl",
        "creator": {"id": base, "type": ["Profile"], "name": snapshot.issuer_name},
    }
    if snapshot.competences:
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": c.name,
                "targetCode": c.code,
                "targetDescription": f"Poziom {c.level}: {c.level_name}",
                "targetType": "ceterms:Competency",
                "targetUrl": f"{verification_url}#{c.code}",
            }
            for c in snapshot.competences
        ]
    credential: dict[str, Any] = {
        "@context": CONTEXTS,
        "id": verification_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Zaświadczenie: {snapshot.course_title}",
        "issuer": {
            "id": base,
            "type": ["Profile"],
            "name": snapshot.issuer_name,
            "address": {"type": ["Address"], "streetAddress": ", ".join(snapshot.issuer_address)} if snapshot.issuer_address else None,
        },
        "validFrom": _iso(issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": snapshot.holder_name}],
            "activityStartDate": snapshot.period_from.isoformat() + "T00:00:00Z",
            "activityEndDate": snapshot.period_to.isoformat() + "T00:00:00Z",
            "creditsEarned": snapshot.hours,
            "achievement": achievement,
        },
        "evidence": [{"id": verification_url, "type": ["Evidence"], "name": f"Rejestr zaświadczeń: {snapshot.number}"}],
    }
    if credential["issuer"]["address"] is None:
        del credential["issuer"]["address"]
    if revoked_at is not None:
        credential["credentialStatus"] = {
            "id": f"{verification_url}#status",
            "type": "1EdTechRevocationList",
            "revoked": True,
            "revokedAt": _iso(revoked_at),
        }
    return credential


def build_role_badge(snapshot: RoleSnapshot, *, base_url: str, issued_at: datetime, revoked_at: datetime | None) -> dict[str, Any]:
    """An OB 3.0 credential for a role certificate: one achievement per role and framework version, aligned to
    each competence of the profile (targetUrl: the competence's row on the public verification page)."""
    base = base_url.rstrip("/")
    verification_url = snapshot.verification_url
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
        "creator": {"id": base, "type": ["Profile"], "name": snapshot.issuer_name},
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": c.name,
                "targetCode": c.code,
                "targetDescription": f"Poziom {c.level}: {c.level_name} (wymagany {c.required_level})",
                "targetFramework": f"{snapshot.framework_title} {snapshot.framework_version}",
                "targetType": "CFItem",
                "targetUrl": f"{verification_url}#{c.code}",
            }
            for c in snapshot.competences
        ],
    }
    credential: dict[str, Any] = {
        "@context": CONTEXTS,
        "id": verification_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Zaświadczenie: {snapshot.role_name}",
        "issuer": {"id": base, "type": ["Profile"], "name": snapshot.issuer_name},
        "validFrom": _iso(issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": snapshot.holder_name}],
            "achievement": achievement,
        },
        "evidence": [{"id": verification_url, "type": ["Evidence"], "name": f"Rejestr zaświadczeń: {snapshot.number}"}],
    }
    if snapshot.issuer_address:
        credential["issuer"]["address"] = {"type": ["Address"], "streetAddress": ", ".join(snapshot.issuer_address)}
    if snapshot.valid_until is not None:
        credential["validUntil"] = snapshot.valid_until.isoformat() + "T23:59:59Z"
    if revoked_at is not None:
        credential["credentialStatus"] = {
            "id": f"{verification_url}#status",
            "type": "1EdTechRevocationList",
            "revoked": True,
            "revokedAt": _iso(revoked_at),
        }
    return credential
