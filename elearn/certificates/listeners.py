"""Signal receivers: the certificates domain's part of RODO export and erasure.

Erasure: the register must be kept (the organiser's ewidencja of issued certificates), so certificates keep their
number, dates, hash and frozen snapshot, including the holder's name as printed; what nothing requires is removed:
birth date and place (from requests and from the register's snapshot: verification never shows them, and the
holder's own PDF still carries them, provable by the kept hash) and requests that did not lead to a certificate.
"""

from __future__ import annotations

from sqlalchemy import select

from .models import ERASABLE_SNAPSHOT_FIELDS, ISSUED, Certificate, CertificateRequest


def collect(user, **_kwargs) -> dict:
    from ..extensions import db

    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.issued_at))
    requests = db.session.scalars(select(CertificateRequest).where(CertificateRequest.user_id == user.id))
    return {
        "certificates": [
            {
                "number": c.number,
                "status": c.status,
                "issued_at": c.issued_at.isoformat() + "Z",
                "revoked_at": c.revoked_at.isoformat() + "Z" if c.revoked_at else None,
                "content": c.snapshot,
            }
            for c in certificates
        ],
        "certificate_requests": [
            {
                "course": r.course.slug if r.course else r.course_id,
                "role": r.role_code,
                "state": r.state,
                "reason": r.reason,
                "birth_date": r.birth_date.isoformat() if r.birth_date else None,
                "birth_place": r.birth_place,
                "requested_at": r.requested_at.isoformat() + "Z",
            }
            for r in requests
        ],
    }


def erase(user, session, **_kwargs) -> None:
    for certificate in session.scalars(select(Certificate).where(Certificate.user_id == user.id)):
        # Verification needs the number, name, course, dates and hash; birth data lives on the holder's own copy.
        if any(certificate.snapshot.get(k) for k in ERASABLE_SNAPSHOT_FIELDS):
            certificate.snapshot = {**certificate.snapshot, **dict.fromkeys(ERASABLE_SNAPSHOT_FIELDS)}
    for request in session.scalars(select(CertificateRequest).where(CertificateRequest.user_id == user.id)):
        if request.state == ISSUED and request.certificate_id:
            # The issued certificate's snapshot already holds what was printed; the request copy is not needed.
            request.birth_date = None
            request.birth_place = None
        else:
            session.delete(request)
    session.flush()
