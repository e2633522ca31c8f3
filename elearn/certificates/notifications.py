"""The certificates domain's notification kinds (registered on import; services import this module)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..core.notifications import DIGEST, IMMEDIATE, NotificationKind, register_kind

ISSUED, REJECTED, REVOKED, REQUESTED = "certificates.issued", "certificates.rejected", "certificates.revoked", "certificates.requested"
ROLE_ISSUED, ROLE_REVOKED = "certificates.role_issued", "certificates.role_revoked"
ROLE_EXPIRING, ROLE_REVIEW = "certificates.role_expiring", "certificates.role_review"


def _certificate_pdf(session: Session, params: dict) -> list[tuple[str, str, bytes]]:
    """The e-mail about an issued certificate carries its PDF, as long as it is still valid."""
    from . import services
    from .models import VALID, Certificate

    certificate = session.get(Certificate, params.get("certificate_id") or 0)
    if certificate is None or certificate.status != VALID:
        return []
    return [(services.pdf_filename(certificate), "application/pdf", services.certificate_pdf(certificate))]


register_kind(
    NotificationKind(
        key=ISSUED,
        label=_l("A certificate was issued to me"),
        subject=_l("Certificate %(number)s has been issued"),
        body=_l(
            "Your certificate no. %(number)s for completing the course „%(course)s” has been issued. "
            "You can download it, with its Open Badge, from the My certificates page."
        ),
        delivery=IMMEDIATE,
        attachments=_certificate_pdf,
        order=30,
    )
)
register_kind(
    NotificationKind(
        key=REJECTED,
        label=_l("My certificate request was rejected"),
        subject=_l("Certificate for the course „%(course)s” not issued"),
        body=_l("The certificate for the course „%(course)s” was not issued. Reason: %(reason)s"),
        delivery=IMMEDIATE,
        order=31,
    )
)
register_kind(
    NotificationKind(
        key=REVOKED,
        label=_l("My certificate was revoked"),
        subject=_l("Certificate %(number)s has been revoked"),
        body=_l("Your certificate no. %(number)s for the course „%(course)s” has been revoked. Reason: %(reason)s"),
        delivery=IMMEDIATE,
        order=32,
    )
)
register_kind(
    NotificationKind(
        key=REQUESTED,
        label=_l("Someone requested a certificate (in the daily summary)"),
        subject=_l("New certificate request: %(course)s"),
        body=_l("%(person)s requested a certificate for the course „%(course)s”."),
        delivery=DIGEST,
        order=33,
        roles=("issuer",),
    )
)
register_kind(
    NotificationKind(
        key=ROLE_ISSUED,
        label=_l("A role certificate was issued to me"),
        subject=_l("Certificate %(number)s has been issued"),
        body=_l(
            "Your certificate no. %(number)s confirming the competences of the role „%(role)s” has been issued. "
            "You can download it, with its Open Badge, from the My certificates page."
        ),
        delivery=IMMEDIATE,
        attachments=_certificate_pdf,
        order=34,
    )
)
register_kind(
    NotificationKind(
        key=ROLE_REVOKED,
        label=_l("My role certificate was revoked"),
        subject=_l("Certificate %(number)s has been revoked"),
        body=_l("Your certificate no. %(number)s for the role „%(role)s” has been revoked. Reason: %(reason)s"),
        delivery=IMMEDIATE,
        order=35,
    )
)
register_kind(
    NotificationKind(
        key=ROLE_EXPIRING,
        label=_l("My role certificate expires soon"),
        subject=_l("Certificate %(number)s expires on %(date)s"),
        body=_l(
            "Your certificate no. %(number)s for the role „%(role)s” is valid until %(date)s. "
            "To renew it, keep your competences confirmed and ask for a new certificate."
        ),
        delivery=IMMEDIATE,
        order=36,
    )
)
register_kind(
    NotificationKind(
        key=ROLE_REVIEW,
        label=_l("Evidence behind a role certificate was withdrawn"),
        subject=_l("Certificate %(number)s needs review"),
        body=_l(
            "Evidence for %(code)s behind certificate no. %(number)s (%(person)s) was withdrawn. "
            "Decide whether to keep or revoke the certificate."
        ),
        delivery=IMMEDIATE,
        order=37,
        roles=("issuer",),
    )
)
