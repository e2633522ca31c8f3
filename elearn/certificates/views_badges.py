"""Open Badges 3.0 for verifiers: signed credentials (VC-JWT), the issuer profile, its public keys and the
revocation status list, all public and read-only (a verifier has no account)."""

from __future__ import annotations

import json

from flask import Response, abort, jsonify, request
from flask_login import current_user

from ..core.errors import or_404
from ..core.roles import ADMIN, ISSUER
from ..core.security import role_required
from ..extensions import db
from . import services, signing
from .badges import CONTEXTS
from .models import Certificate
from .status_list import status_list_credential

JWT_MIMETYPE = "application/vc+jwt"


def _jwt_response(token: str, filename: str | None = None) -> Response:
    headers = {"Content-Disposition": f"attachment; filename={filename}"} if filename else {}
    return Response(token, mimetype=JWT_MIMETYPE, headers=headers)


def _signed(certificate: Certificate) -> str:
    try:
        return services.signed_badge(certificate)
    except signing.SigningKeyMissing:
        abort(503)


def verify_badge_jwt(code: str):
    return _jwt_response(_signed(or_404(services.by_code(db.session, code))))


@role_required()
def badge_jwt_download(certificate_id: int):
    certificate = or_404(db.session.get(Certificate, certificate_id))
    if certificate.user_id != current_user.id and not current_user.has_role(ISSUER, ADMIN):
        abort(403)
    return _jwt_response(_signed(certificate), services.pdf_filename(certificate).replace(".pdf", "-badge.jwt"))


def issuer_profile():
    profile = services.issuer_profile(db.session)
    body = {"@context": CONTEXTS, **services.badge_issuer(profile.name)}
    if profile.address_lines:
        body["address"] = {"type": ["Address"], "streetAddress": ", ".join(profile.address_lines)}
    return Response(json.dumps(body, ensure_ascii=False, indent=2), mimetype="application/ld+json")


def jwks():
    return jsonify(signing.jwks())


def public_key(kid: str):
    """The `kid` URL of the JOSE header: the bare public JWK (kty, n, e), as OB 3.0 verifiers dereference it."""
    return jsonify(or_404(signing.find_key(kid)).public_jwk())


def status_list():
    profile = services.issuer_profile(db.session)
    credential = status_list_credential(db.session, services.badge_issuer(profile.name))
    if request.accept_mimetypes.best_match(["application/json", "application/ld+json", JWT_MIMETYPE]) == JWT_MIMETYPE:
        try:
            return _jwt_response(signing.sign(credential))
        except signing.SigningKeyMissing:
            abort(503)
    response = Response(json.dumps(credential, ensure_ascii=False, indent=2), mimetype="application/ld+json")
    response.headers["Cache-Control"] = "no-cache"  # a revocation must reach verifiers at once
    return response
