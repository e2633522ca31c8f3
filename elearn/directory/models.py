"""Territorial units from TERYT TERC and the institutions that employ learners."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import check_in
from ..core.timeutil import utcnow
from ..extensions import db

VOIVODESHIP, POWIAT, GMINA = "wojewodztwo", "powiat", "gmina"
UNIT_LEVELS = (VOIVODESHIP, POWIAT, GMINA)

INSTITUTION_TYPES = {
    "OPS": _l("Social assistance centre (OPS/MOPS/GOPS)"),
    "MOPR": _l("Municipal family assistance centre (MOPR)"),
    "PCPR": _l("Powiat family support centre (PCPR)"),
    "CUS": _l("Social services centre (CUS)"),
    "DPS": _l("Nursing home (DPS)"),
    "SDS": _l("Community self-help home (ŚDS)"),
    "NGO": _l("Non-governmental organisation (NGO)"),
    "PES": _l("Social economy entity (PES)"),
    "OWES": _l("Social economy support centre (OWES)"),
    "JST": _l("Local government office (JST)"),
    "ROPS": _l("Regional social policy centre (ROPS)"),
    "OTHER": _l("Other"),
}
# The types registration invites by name (its text lists exactly these): every known type but "other".
INVITED_TYPES = tuple(t for t in INSTITUTION_TYPES if t != "OTHER")
# Types the picker offers to propose per powiat when none is listed there: one ROPS serves the whole region.
PROPOSABLE_PER_POWIAT = tuple(t for t in INVITED_TYPES if t != "ROPS")


class TerritorialUnit(db.Model):
    """A województwo, powiat or gmina from TERYT TERC.

    code: 2 digits (województwo), 4 (powiat), 7 (gmina: WOJ+POW+GMI+RODZ).
    """

    __tablename__ = "territorial_units"
    __table_args__ = (CheckConstraint(check_in("level", (VOIVODESHIP, POWIAT, GMINA)), name="level_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(7), unique=True)
    level: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(60))  # NAZWA_DOD: "gmina wiejska", "miasto na prawach powiatu"…
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("territorial_units.id"), index=True)
    valid_on: Mapped[str | None] = mapped_column(String(10))

    parent: Mapped[TerritorialUnit | None] = relationship(remote_side=[id], lazy="joined", join_depth=2)

    @property
    def powiat(self) -> TerritorialUnit | None:
        unit: TerritorialUnit | None = self
        while unit is not None and unit.level != POWIAT:
            unit = unit.parent
        return unit

    @property
    def label(self) -> str:
        if self.level == GMINA:
            return f"{self.name} ({self.kind})"
        if self.level == POWIAT and self.kind == "powiat":
            return f"powiat {self.name}"
        return self.name


class Institution(db.Model):
    __tablename__ = "institutions"
    __table_args__ = (CheckConstraint(check_in("type", tuple(INSTITUTION_TYPES)), name="type_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[str] = mapped_column(String(10), index=True)
    street: Mapped[str | None] = mapped_column(String(150))
    postal_code: Mapped[str | None] = mapped_column(String(6))
    city: Mapped[str | None] = mapped_column(String(100))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("territorial_units.id"), index=True)
    served_area_id: Mapped[int] = mapped_column(ForeignKey("territorial_units.id"), index=True)
    regon: Mapped[str | None] = mapped_column(String(14))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    location: Mapped[TerritorialUnit | None] = relationship(foreign_keys=[location_id], lazy="joined")
    served_area: Mapped[TerritorialUnit] = relationship(foreign_keys=[served_area_id], lazy="joined")

    @property
    def type_label(self) -> str:
        return str(INSTITUTION_TYPES.get(self.type, self.type))

    def __repr__(self) -> str:
        return f"<Institution {self.id} {self.name}>"
