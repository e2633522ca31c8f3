"""Account logic: passwords, registration, roles, reset tokens, RODO export and erasure."""

from __future__ import annotations

import hashlib
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from ..core.audit import audit
from ..core.models import AuditEntry
from ..core.registry import collect_personal_data, erase_personal_data
from ..core.timeutil import utcnow
from .models import ROLES, Consent, User, UserRole

PRIVACY_CONSENT = "privacy_policy"
_hashers: dict[bool, PasswordHasher] = {}


class AccountError(ValueError):
    """A rule about accounts was broken; the message is shown to the person."""


def _hasher() -> PasswordHasher:
    fast = bool(current_app.config.get("PASSWORD_HASH_FAST"))
    if fast not in _hashers:
        # Tests use cheap parameters; production uses argon2id's RFC 9106 low-memory profile.
        _hashers[fast] = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1) if fast else PasswordHasher()
    return _hashers[fast]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def email_taken(session: Session, email: str) -> bool:
    return session.scalar(select(func.count()).select_from(User).where(User.email == normalise_email(email))) > 0


def create_user(
    session: Session,
    *,
    email: str,
    full_name: str,
    password: str,
    roles: tuple[str, ...] | list[str] = ("learner",),
    institution_id: int | None = None,
    job_title: str | None = None,
    actor_id: int | None = None,
) -> User:
    email = normalise_email(email)
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise AccountError(f"Unknown role: {', '.join(sorted(unknown))}")
    if email_taken(session, email):
        raise AccountError("An account with this e-mail address already exists.")
    user = User(
        email=email,
        full_name=full_name.strip(),
        job_title=(job_title or "").strip() or None,
        password_hash=hash_password(password),
        institution_id=institution_id,
    )
    user.role_rows = [UserRole(role=role) for role in dict.fromkeys(roles)]
    session.add(user)
    session.flush()
    if actor_id is not None or set(roles) - {"learner"}:
        audit(session, "user.create", actor_id=actor_id, target=user, roles=sorted(set(roles)))
    return user


def register_learner(session: Session, *, email: str, full_name: str, password: str, institution_id: int, job_title: str) -> User:
    """Self-registration of a social worker with the RODO acknowledgement of the current policy."""
    user = create_user(session, email=email, full_name=full_name, password=password, institution_id=institution_id, job_title=job_title)
    session.add(Consent(user=user, kind=PRIVACY_CONSENT, policy_version=current_app.config["PRIVACY_POLICY_VERSION"]))
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user_by_email(session, email)
    if user is None:
        # Spend the same time as a real check so response times do not reveal which addresses exist.
        _hasher().hash(password)
        return None
    if not check_password(user, password) or not user.is_active:
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    session.flush()


def set_roles(session: Session, user: User, roles: set[str], *, actor_id: int | None) -> None:
    unknown = roles - set(ROLES)
    if unknown:
        raise AccountError(f"Unknown role: {', '.join(sorted(unknown))}")
    before = user.roles
    if before == roles:
        return
    user.role_rows = [row for row in user.role_rows if row.role in roles] + [UserRole(role=r) for r in sorted(roles - before)]
    session.flush()
    audit(session, "user.roles", actor_id=actor_id, target=user, before=sorted(before), after=sorted(roles))


def set_active(session: Session, user: User, active: bool, *, actor_id: int | None) -> None:
    if user.active == active:
        return
    user.active = active
    session.flush()
    audit(session, "user.activate" if active else "user.deactivate", actor_id=actor_id, target=user)


def set_institution(session: Session, user: User, institution_id: int | None, *, actor_id: int | None) -> None:
    if user.institution_id == institution_id:
        return
    audit(session, "user.institution", actor_id=actor_id, target=user, before=user.institution_id, after=institution_id)
    user.institution_id = institution_id
    session.flush()


# --- password reset tokens -------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="elearn.password-reset")


def _password_fingerprint(user: User) -> str:
    # Changes when the password changes, so a used token (or one issued before a change) stops working.
    return hashlib.sha256(f"{user.password_hash}|{user.password_changed_at.isoformat()}".encode()).hexdigest()[:20]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "fp": _password_fingerprint(user)})


def user_for_reset_token(session: Session, token: str) -> User | None:
    """The user the token was issued to, if it is genuine, younger than PASSWORD_RESET_MAX_AGE and unused."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = session.get(User, data.get("uid"))
    if user is None or not user.is_active or data.get("fp") != _password_fingerprint(user):
        return None
    return user


# --- RODO -------------------------------------------------------------------------------------------------


def export_personal_data(user: User) -> dict[str, Any]:
    """Everything elearn holds about a person, gathered from every domain."""
    data: dict[str, Any] = {
        "generated_at": utcnow().isoformat() + "Z",
        "account": {
            "id": user.id,
            "email": user.email,
            "full_name": user.full_name,
            "job_title": user.job_title,
            "institution": user.institution.name if user.institution else None,
            "roles": sorted(user.roles),
            "locale": user.locale,
            "created_at": user.created_at.isoformat() + "Z",
            "last_login_at": user.last_login_at.isoformat() + "Z" if user.last_login_at else None,
        },
        "consents": [{"kind": c.kind, "policy_version": c.policy_version, "given_at": c.given_at.isoformat() + "Z"} for c in user.consents],
        # What the person did in the audit log, with the address they did it from (the log itself is append-only).
        "audited_actions": [
            {"action": e.action, "at": e.at.isoformat() + "Z", "ip": e.ip}
            for e in object_session(user).scalars(select(AuditEntry).where(AuditEntry.actor_id == user.id).order_by(AuditEntry.id))
        ],
    }
    for _receiver, section in collect_personal_data.send(user):
        if section:
            data.update(section)
    return data


def erase_account(session: Session, user: User, *, actor_id: int | None) -> None:
    """Anonymise the person; records others rely on (certificate register, aggregates) stay without identity."""
    erase_personal_data.send(user, session=session)
    user.email = f"usuniety-{user.id}@invalid.example"
    user.full_name = "Konto usunięte"
    user.job_title = None
    user.password_hash = "!erased"  # noqa: S105 - not a hash: no password can ever match it
    user.active = False
    user.erased_at = utcnow()
    user.role_rows = []
    user.consents = []
    session.flush()
    audit(session, "user.erase", actor_id=actor_id, target=user)
