"""Account logic: passwords, registration, roles, reset and confirmation tokens, RODO export and erasure.

Institution membership lives in `membership`, session revocation in `sessions`.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, object_session

from ...core.audit import audit
from ...core.mail import discard_outbox_mail
from ...core.models import AuditEntry
from ...core.registry import collect_personal_data, erase_personal_data
from ...core.roles import LEARNER
from ...core.timeutil import utcnow
from ..models import ROLES, SEXES, Consent, InstitutionMembership, User, UserRole
from . import membership
from .errors import AccountError
from .sessions import end_all_sessions

__all__ = ["AccountError"]

PRIVACY_CONSENT = "privacy_policy"
_hashers: dict[bool, PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    fast = bool(current_app.config["PASSWORD_HASH_FAST"])
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
    roles: tuple[str, ...] | list[str] = (LEARNER,),
    institution_id: int | None = None,
    job_title: str | None = None,
    actor_id: int | None = None,
    confirmed: bool = True,
) -> User:
    """An account made by an operator (CLI, admin, demo data): confirmed, and an accepted member of the institution."""
    email = normalise_email(email)
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise AccountError(_l("Unknown role: %(roles)s", roles=", ".join(sorted(unknown))))
    if email_taken(session, email):
        raise AccountError(_l("An account with this e-mail address already exists."))
    user = User(
        email=email,
        full_name=full_name.strip(),
        job_title=(job_title or "").strip() or None,
        password_hash=hash_password(password),
        email_confirmed_at=utcnow() if confirmed else None,
    )
    user.role_rows = [UserRole(role=role) for role in dict.fromkeys(roles)]
    session.add(user)
    session.flush()
    if actor_id is not None or set(roles) - {LEARNER}:
        audit(session, "user.create", actor_id=actor_id, target=user, roles=sorted(set(roles)))
    if institution_id is not None:
        membership.set_institution_by_admin(session, user, institution_id, actor_id=actor_id)
    return user


def register_learner(session: Session, *, email: str, full_name: str, password: str, institution_id: int | None, job_title: str) -> User:
    """Self-registration of a social worker: unconfirmed until the e-mail link is opened, and a pending member
    of the institution until its coordinator accepts (no institution yet: the person proposed a missing one, see
    proposals); with the RODO acknowledgement of the current policy."""
    user = create_user(session, email=email, full_name=full_name, password=password, job_title=job_title, confirmed=False)
    session.add(Consent(user=user, kind=PRIVACY_CONSENT, policy_version=current_app.config["PRIVACY_POLICY_VERSION"]))
    session.flush()
    if institution_id is not None:
        membership.request_membership(session, user, institution_id, actor_id=user.id)
    return user


def register_or_find(
    session: Session, *, email: str, full_name: str, password: str, institution_id: int | None, job_title: str
) -> tuple[str, User]:
    """Registration that does not tell whether an address is taken: ("created" | "unconfirmed" | "exists", user).

    The caller mails the owner in every case (a confirmation link, or a notice that they already have an account)
    and shows the same answer; the password is hashed either way so the response time is the same too.
    """
    existing = find_user_by_email(session, email)
    if existing is None:
        user = register_learner(
            session, email=email, full_name=full_name, password=password, institution_id=institution_id, job_title=job_title
        )
        return "created", user
    hash_password(password)
    if existing.email_confirmed_at is None and existing.active and existing.erased_at is None:
        return "unconfirmed", existing
    return "exists", existing


def set_sex(session: Session, user: User, value: str | None, *, actor_id: int | None) -> None:
    """The optional answer for the EU monitoring breakdowns; an empty answer clears it (audited by field name)."""
    value = value or None
    if value is not None and value not in SEXES:
        raise AccountError(_("Choose one of the answers."))
    if user.sex != value:
        user.sex = value
        session.flush()
        audit(session, "user.profile", actor_id=actor_id, target=user, fields=["sex"])


def birth_year_bounds(today: date | None = None) -> tuple[int, int]:
    """A plausible year of birth for a working adult: from 80 to 16 years before the current year."""
    year = (today or utcnow().date()).year
    return year - 80, year - 16


def set_birth_year(session: Session, user: User, value: int | None, *, actor_id: int | None) -> None:
    """The optional year of birth for the EU monitoring age bands; empty clears it (audited by field name)."""
    if value is not None:
        low, high = birth_year_bounds()
        if not low <= value <= high:
            raise AccountError(_("Give a year between %(low)s and %(high)s, or leave the field empty.", low=low, high=high))
    if user.birth_year != value:
        user.birth_year = value
        session.flush()
        audit(session, "user.profile", actor_id=actor_id, target=user, fields=["birth_year"])


def update_profile(
    session: Session, user: User, *, full_name: str, job_title: str | None, institution_id: int | None, actor_id: int | None
) -> InstitutionMembership | None:
    """A person's name and job title change at once (audited by field name: the log outlives an erased account and
    keeps no personal data); a different institution becomes a membership request (see membership)."""
    values = {"full_name": full_name.strip(), "job_title": (job_title or "").strip() or None}
    changed = [field for field, value in values.items() if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, values[field])
    session.flush()
    if changed:
        audit(session, "user.profile", actor_id=actor_id, target=user, fields=changed)
    request = None
    if institution_id is not None:
        request = membership.request_membership(session, user, institution_id, actor_id=actor_id)
    return request


def correct_identity(session: Session, user: User, *, full_name: str, email: str, job_title: str | None, actor_id: int | None) -> list[str]:
    """An administrator corrects the name (printed on certificates), e-mail address and job title. A new address
    must be free; the audit entry names the fields that changed, never their values (the log outlives erasure)."""
    values = {"full_name": full_name.strip(), "email": normalise_email(email), "job_title": (job_title or "").strip() or None}
    if values["email"] != user.email and email_taken(session, values["email"]):
        raise AccountError(_l("An account with this e-mail address already exists."))
    changed = [field for field, value in values.items() if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, values[field])
    session.flush()
    if changed:
        audit(session, "user.profile", actor_id=actor_id, target=user, fields=changed)
    return changed


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
    """A new password also logs out every device: whoever knew the old one may hold a session."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(session, user)


def set_roles(session: Session, user: User, roles: set[str], *, actor_id: int | None) -> None:
    unknown = roles - set(ROLES)
    if unknown:
        raise AccountError(_l("Unknown role: %(roles)s", roles=", ".join(sorted(unknown))))
    before = user.roles
    if before == roles:
        return
    user.role_rows = [row for row in user.role_rows if row.role in roles] + [UserRole(role=r) for r in sorted(roles - before)]
    end_all_sessions(session, user)
    audit(session, "user.roles", actor_id=actor_id, target=user, before=sorted(before), after=sorted(roles))


def set_active(session: Session, user: User, active: bool, *, actor_id: int | None) -> None:
    if user.active == active:
        return
    user.active = active
    if not active:
        end_all_sessions(session, user)
    session.flush()
    audit(session, "user.activate" if active else "user.deactivate", actor_id=actor_id, target=user)


def set_institution(session: Session, user: User, institution_id: int | None, *, actor_id: int | None) -> None:
    """Administrators move people directly (audited); everyone else asks through membership.request_membership."""
    membership.set_institution_by_admin(session, user, institution_id, actor_id=actor_id)


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
    if user is None or not _may_reset(user) or data.get("fp") != _password_fingerprint(user):
        return None
    return user


def _may_reset(user: User) -> bool:
    # An unconfirmed account may reset: the link proves the mailbox just as the confirmation link would.
    return user.active and user.erased_at is None


def may_reset_password(user: User | None) -> bool:
    return user is not None and _may_reset(user)


def reset_password(session: Session, user: User, password: str) -> None:
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    set_password(session, user, password)


# --- e-mail confirmation ----------------------------------------------------------------------------------


def _confirm_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="elearn.email-confirm")


def make_confirmation_token(user: User) -> str:
    return _confirm_serializer().dumps({"uid": user.id, "email": user.email})


def confirm_email(session: Session, token: str) -> tuple[User | None, bool]:
    """Activate the account the token was issued to: (user, whether this opened it just now).

    (None, False) if the token is forged, expired or for another address. Only the first use logs the person in,
    so a link found later in a mailbox is not a login.
    """
    try:
        data = _confirm_serializer().loads(token, max_age=current_app.config["EMAIL_CONFIRM_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None, False
    if not isinstance(data, dict):
        return None, False
    user = session.get(User, data.get("uid"))
    if user is None or not user.active or user.erased_at is not None or user.email != data.get("email"):
        return None, False
    if user.email_confirmed_at is not None:
        return user, False
    user.email_confirmed_at = utcnow()
    session.flush()
    audit(session, "user.confirm_email", actor_id=user.id, target=user)
    return user, True


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
            "sex": user.sex,
            "birth_year": user.birth_year,
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
        "institution_requests": [
            {
                "institution": m.institution.name,
                "status": m.status,
                "requested_at": m.requested_at.isoformat() + "Z",
                "decided_at": m.decided_at.isoformat() + "Z" if m.decided_at else None,
            }
            for m in memberships_of(user)
        ],
    }
    for _receiver, section in collect_personal_data.send(user):
        if section:
            data.update(section)
    return data


def memberships_of(user: User) -> list[InstitutionMembership]:
    session = object_session(user)
    query = select(InstitutionMembership).where(InstitutionMembership.user_id == user.id).order_by(InstitutionMembership.id)
    return list(session.scalars(query)) if session is not None else []


def actor_labels(session: Session, ids: set[int]) -> dict[int, str]:
    """Names for the audit log: who acted, or that the account was erased (no former name or address)."""
    labels = {}
    for user in session.scalars(select(User).where(User.id.in_(ids))):
        labels[user.id] = _("anonymised account #%(id)s", id=user.id) if user.erased_at else f"{user.full_name} (#{user.id})"
    return labels


def erase_account(session: Session, user: User, *, actor_id: int | None) -> None:
    """Anonymise the person; records others rely on (certificate register, aggregates) stay without identity."""
    erase_personal_data.send(user, session=session)
    membership.cancel_open_request(session, user, actor_id=actor_id)
    discard_outbox_mail(user.email)
    user.email = f"usuniety-{user.id}@invalid.example"
    user.full_name = "Konto usunięte"
    user.job_title = None
    user.sex = None
    user.birth_year = None
    user.password_hash = "!erased"  # noqa: S105 - not a hash: no password can ever match it
    user.active = False
    user.erased_at = utcnow()
    user.role_rows = []
    user.consents = []
    end_all_sessions(session, user)
    audit(session, "user.erase", actor_id=actor_id, target=user)


def users_query(*, text: str | None = None, role: str | None = None):
    """The administrators' user list (erased accounts left out), by name, filtered by name/e-mail text and role."""
    query = select(User).where(User.erased_at.is_(None)).order_by(User.full_name)
    if text:
        like = f"%{text.lower()}%"
        query = query.where(or_(User.email.like(like), User.full_name.ilike(like)))
    if role:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    return query
