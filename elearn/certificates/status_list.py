"""The revocation list verifiers read: a W3C Bitstring Status List (VC 2.0; its terms are in the VC 2.0 context).

Every certificate's credential carries a `BitstringStatusListEntry` whose index is the certificate's register id;
the bit at that index is 1 once the certificate is revoked. The list is computed from the register on each request
(so it changes the moment a revocation commits), GZIP-compressed with a fixed mtime (same register, same bytes),
base64url-encoded with the multibase prefix `u`, and served as a status list credential at /ob/status/revocation
(JSON-LD, or VC-JWT signed with the issuer key when asked for `application/vc+jwt`).
"""

from __future__ import annotations

import base64
import gzip
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.urls import external_url
from .badges import iso
from .models import REVOKED, Certificate

MIN_BITS = 131_072  # the specification's minimum length (16 KB), so one entry hides among many
PURPOSE = "revocation"


def list_url() -> str:
    return external_url("certificates.status_list")


def entry(certificate_id: int) -> dict[str, Any]:
    url = list_url()
    return {
        "id": f"{url}#{certificate_id}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(certificate_id),
        "statusListCredential": url,
    }


def encode(indices: set[int], length: int) -> str:
    """Bit i set for each index (index 0 is the left-most bit of the first byte), GZIP, multibase base64url."""
    data = bytearray(length // 8)
    for index in indices:
        data[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(data), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("the encoded list must be multibase base64url (prefix 'u')")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def is_set(encoded: str, index: int) -> bool:
    data = decode(encoded)
    return bool(data[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(session: Session, issuer: dict[str, Any]) -> dict[str, Any]:
    revoked = set(session.scalars(select(Certificate.id).where(Certificate.status == REVOKED)))
    highest = session.scalar(select(func.max(Certificate.id))) or 0
    length = max(MIN_BITS, (highest // 8 + 1) * 8)
    changed: datetime | None = session.scalar(select(func.max(Certificate.revoked_at)))
    first: datetime | None = session.scalar(select(func.min(Certificate.issued_at)))
    url = list_url()
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": iso(changed or first or datetime(2025, 1, 1)),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(revoked, length),
        },
    }
