"""People and their roles. Columns holding personal data carry info={"personal": True}."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import check_in
from ..core.roles import ADMIN, COORDINATOR, ISSUER, LEARNER, ROLES, TRAINER
from ..core.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..directory.models import Institution

ROLE_LABELS = {
    LEARNER: _l("Social worker (learner)"),
    TRAINER: _l("Trainer"),
    COORDINATOR: _l("Coordinator (head of unit)"),
    ISSUER: _l("Certificate issuer (ROPS)"),
    ADMIN: _l("Administrator"),
}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, info={"personal": True})
    full_name: Mapped[str] = mapped_column(String(150), info={"personal": True})
    job_title: Mapped[str | None] = mapped_column(String(120), info={"personal": True})
    password_hash: Mapped[str] = mapped_column(String(255))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None]

    institution: Mapped[Institution | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(back_populates="user", cascade="all, delete-orphan", lazy="selectin")
    consents: Mapped[list[Consent]] = relationship(back_populates="user", cascade="all, delete-orphan", order_by="Consent.given_at")

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive and erased users cannot log in
        return self.active and self.erased_at is None

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
