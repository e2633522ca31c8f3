"""The issuer's keys and signatures for Open Badges 3.0: VC-JWT (Open Badges 3.0 §8.2) with RS256.

Why RS256: the specification requires every verifier to support RS256 ("MUST be RS256 as a minimum … other
algorithms limit interoperability"), so it is the algorithm any Open Badges verifier accepts. The cryptography is
joserfc's (on top of `cryptography`); nothing here is hand-rolled.

Keys live in the instance folder (``instance/keys/openbadges/<created>-<thumbprint>.pem``, PKCS#8, mode 0600) and
are never committed or shipped: ``flask setup`` creates the first one, ``flask certificates rotate-key`` adds a
newer one that signs from then on. Older keys stay published (``/.well-known/jwks.json`` and ``/ob/keys/<kid>``),
so credentials signed before a rotation still verify. Outside production a missing key is created on first use; in
production signing refuses until ``flask setup`` has made one, so no instance ever signs with a default key.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from ..core.urls import external_url

ALGORITHM = "RS256"
KEY_BITS = 3072


class SigningKeyMissing(RuntimeError):
    """Production without an issuer key: run `flask setup` (or `flask certificates rotate-key`)."""


@dataclass(frozen=True)
class IssuerKey:
    kid: str  # RFC 7638 thumbprint of the public key: stable, and names the file
    key: RSAKey
    path: Path

    @property
    def url(self) -> str:
        """The `kid` of the JOSE header: a URL that dereferences to this public key as a bare JWK."""
        return external_url("certificates.badge_key", kid=self.kid)

    def public_jwk(self) -> dict[str, Any]:
        """The public key only (`kty`, `n`, `e`): never `d` or the other private parameters."""
        return {k: v for k, v in self.key.as_dict(private=False).items() if k in ("kty", "n", "e")}


def key_dir() -> Path:
    return Path(current_app.instance_path) / "keys" / "openbadges"


def issuer_keys() -> list[IssuerKey]:
    """Every key, oldest first (the file names start with the creation time); the last one signs."""
    folder = key_dir()
    if not folder.is_dir():
        return []
    keys = []
    for path in sorted(folder.glob("*.pem")):
        key = RSAKey.import_key(path.read_bytes())
        keys.append(IssuerKey(key.thumbprint(), key, path))
    return keys


def create_key() -> IssuerKey:
    """A new RSA key written readable by the owner only; it becomes the signing key."""
    folder = key_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key = RSAKey.generate_key(KEY_BITS, private=True)
    kid = key.thumbprint()
    path = folder / f"{time.time_ns():020d}-{kid}.pem"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.as_pem(private=True))
    return IssuerKey(kid, key, path)


def ensure_key() -> bool:
    """Setup step: create the first key unless there is one; True when it was created."""
    if issuer_keys():
        return False
    create_key()
    return True


def signing_key() -> IssuerKey:
    keys = issuer_keys()
    if keys:
        return keys[-1]
    if current_app.config["ELEARN_ENV"] == "production":
        raise SigningKeyMissing("No Open Badges issuer key in the instance folder: run `flask setup`.")
    return create_key()


def find_key(kid: str) -> IssuerKey | None:
    return next((k for k in issuer_keys() if k.kid == kid), None)


def jwks() -> dict[str, Any]:
    """Every published key (current and rotated) as a JWK Set."""
    return {"keys": [{**k.public_jwk(), "kid": k.kid, "alg": ALGORITHM, "use": "sig"} for k in issuer_keys()]}


def _numeric_date(value: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The JWT payload: the credential itself with the registered claims OB 3.0 §8.2.4 derives from it."""
    claims = dict(credential)
    claims.update(
        iss=credential["issuer"]["id"],
        jti=credential["id"],
        sub=credential["credentialSubject"]["id"],
        nbf=_numeric_date(credential["validFrom"]),
    )
    if credential.get("validUntil"):
        claims["exp"] = _numeric_date(credential["validUntil"])
    return claims


def sign(credential: dict[str, Any]) -> str:
    """The credential as a Compact JWS (VC-JWT). RSASSA-PKCS1-v1_5 is deterministic: the same credential and key
    always give the same token."""
    key = signing_key()
    return jwt.encode({"alg": ALGORITHM, "kid": key.url, "typ": "JWT"}, jwt_claims(credential), key.key, algorithms=[ALGORITHM])


class InvalidCredential(ValueError):
    pass


def verify(token: str, public_jwk: dict[str, Any]) -> dict[str, Any]:
    """A verifier as OB 3.0 §8.2.6 describes it, with the same library: the signature must verify with the given
    public key and the registered claims must match the credential; returns the credential."""
    try:
        decoded = jwt.decode(token, RSAKey.import_key(public_jwk), algorithms=[ALGORITHM])
    except (JoseError, ValueError) as exc:
        raise InvalidCredential(f"signature: {exc}") from exc
    claims = decoded.claims
    registered = {"iss", "jti", "sub", "nbf", "exp"}
    credential = {k: v for k, v in claims.items() if k not in registered}
    expected = jwt_claims(credential)
    for name in ("iss", "jti", "sub", "nbf", "exp"):
        if claims.get(name) != expected.get(name):
            raise InvalidCredential(f"claim {name} does not match the credential")
    now = time.time()
    if claims["nbf"] > now + 60:
        raise InvalidCredential("the credential is not valid yet")
    if "exp" in claims and claims["exp"] < now:
        raise InvalidCredential("the credential has expired")
    return credential
