"""People and their roles. Columns holding personal data carry info={"personal": True}."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import check_in
from ..core.roles import ADMIN, COORDINATOR, ISSUER, LEARNER, ROLES, TRAINER
from ..core.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..directory.models import Institution, TerritorialUnit

ROLE_LABELS = {
    LEARNER: _l("Social worker (learner)"),
    TRAINER: _l("Trainer"),
    COORDINATOR: _l("Coordinator (head of unit)"),
    ISSUER: _l("Certificate issuer (ROPS)"),
    ADMIN: _l("Administrator"),
}
PENDING, ACCEPTED, DECLINED, CANCELLED = "pending", "accepted", "declined", "cancelled"
MEMBERSHIP_STATUSES = (PENDING, ACCEPTED, DECLINED, CANCELLED)
# Sex, asked optionally for the EU project's participant monitoring (breakdowns only, never shown to others).
SEXES = {"female": _l("Woman"), "male": _l("Man"), "undisclosed": _l("I prefer not to say")}


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, info={"personal": True})
    full_name: Mapped[str] = mapped_column(String(150), info={"personal": True})
    job_title: Mapped[str | None] = mapped_column(String(120), info={"personal": True})
    sex: Mapped[str | None] = mapped_column(String(12), info={"personal": True})  # a SEXES key or None (not asked)
    birth_year: Mapped[int | None] = mapped_column(info={"personal": True})  # optional, for the EU monitoring age bands
    password_hash: Mapped[str] = mapped_column(String(255))
    # The institution that ACCEPTED this person (see InstitutionMembership); only accounts.services.membership
    # writes it, so every query scoping by it sees accepted members only.
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None]
    email_confirmed_at: Mapped[datetime | None]
    # Part of every session and remember-me cookie; rotating it logs out every device at once.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token, server_default="")

    # Loaded only where a page shows it: the user loader runs on every request and must not join half the schema.
    institution: Mapped[Institution | None] = relationship(lazy="select")
    role_rows: Mapped[list[UserRole]] = relationship(back_populates="user", cascade="all, delete-orphan", lazy="selectin")
    consents: Mapped[list[Consent]] = relationship(back_populates="user", cascade="all, delete-orphan", order_by="Consent.given_at")

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive, unconfirmed and erased users cannot log in
        return self.active and self.erased_at is None and self.email_confirmed_at is not None

    def get_id(self) -> str:
        """Flask-Login's alternative id: the session and remember-me cookie hold the id and the session token."""
        return f"{self.id}:{self.session_token}"

    def session_token_matches(self, token: str) -> bool:
        return hmac.compare_digest(self.session_token.encode(), token.encode())

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        mine = self.roles
        return any(role in mine for role in roles)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (CheckConstraint(check_in("role", ROLES), name="role_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_rows")


class Consent(db.Model):
    """A RODO consent or acknowledgement, with the policy version the person saw."""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("user_id", "kind", "policy_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    policy_version: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="consents")


class InstitutionMembership(db.Model):
    """A request to belong to an institution, and its outcome; an institution's coordinator (or an admin) decides."""

    __tablename__ = "institution_memberships"
    __table_args__ = (
        CheckConstraint("status IN ({})".format(", ".join(f"'{s}'" for s in MEMBERSHIP_STATUSES)), name="status_known"),
        # At most one open request per person.
        Index(
            "uq_institution_memberships_pending_user",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    institution = relationship("Institution", lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class InstitutionProposal(db.Model):
    """A person's proposal of an institution missing from the list; an administrator accepts it (the institution is
    created and the person's membership request opened) or declines it."""

    __tablename__ = "institution_proposals"
    __table_args__ = (CheckConstraint(check_in("status", (PENDING, ACCEPTED, DECLINED)), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(10))
    gmina_id: Mapped[int] = mapped_column(ForeignKey("territorial_units.id"))
    street: Mapped[str | None] = mapped_column(String(150))
    postal_code: Mapped[str | None] = mapped_column(String(6))
    city: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    gmina: Mapped[TerritorialUnit] = relationship(lazy="joined")
