"""Local governments' adopted plans (LPDI, SRPS), recorded by ROPS, and the indicator "% of local governments with
an LPDI".

Local governments are the gminas (a city with powiat rights counts once, as its gmina) and the other powiats of the
loaded TERYT register; a plan is recorded on one of those units. The indicator counts units with an LPDI adopted on
or before the end of the period. It is not a number of people, so it is not suppressed.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ...core.audit import audit
from ...core.errors import DomainError
from ...directory.models import GMINA, POWIAT, TerritorialUnit
from ..models import LPDI, LocalPlan

CITY_POWIAT = "miasto na prawach powiatu"


class PlanError(DomainError):
    pass


def _local_government():
    """TERYT units that are local governments: gminas and powiats other than cities with powiat rights."""
    return or_(TerritorialUnit.level == GMINA, (TerritorialUnit.level == POWIAT) & (TerritorialUnit.kind != CITY_POWIAT))


def unit_options(session: Session) -> list[tuple[int, str]]:
    """(id, label) of every unit a plan can be recorded on, powiats first then gminas, by TERYT code."""
    units = session.scalars(select(TerritorialUnit).where(_local_government()).order_by(TerritorialUnit.code))
    return [(u.id, f"{u.code} {u.label}") for u in units]


def local_governments(session: Session) -> int:
    return session.scalar(select(func.count(TerritorialUnit.id)).where(_local_government())) or 0


def with_lpdi(session: Session, end: date) -> int:
    """Local governments with an LPDI adopted on or before `end`."""
    return (
        session.scalar(
            select(func.count(LocalPlan.id))
            .join(TerritorialUnit, TerritorialUnit.id == LocalPlan.unit_id)
            .where(LocalPlan.kind == LPDI, LocalPlan.adopted_on <= end, _local_government())
        )
        or 0
    )


def plans(session: Session) -> list[LocalPlan]:
    return list(
        session.scalars(
            select(LocalPlan).join(TerritorialUnit, TerritorialUnit.id == LocalPlan.unit_id).order_by(TerritorialUnit.code, LocalPlan.kind)
        )
    )


def plan(session: Session, plan_id: int) -> LocalPlan | None:
    return session.get(LocalPlan, plan_id)


FIELDS = ("unit_id", "kind", "adopted_on", "document_url")


def save_plan(session: Session, found: LocalPlan | None, data: dict, *, actor_id: int) -> LocalPlan:
    """Create or correct a record; a unit has at most one plan of each kind; every change is audited."""
    if data["unit_id"] not in dict(unit_options(session)):
        raise PlanError(_l("Choose a gmina or a powiat."))
    clash = session.scalar(
        select(LocalPlan).where(
            LocalPlan.unit_id == data["unit_id"], LocalPlan.kind == data["kind"], LocalPlan.id != (found.id if found else -1)
        )
    )
    if clash is not None:
        raise PlanError(_l("This local government already has a plan of this kind recorded; correct that record instead."))
    creating = found is None
    if creating:
        found = LocalPlan(created_by=actor_id, **{k: data[k] for k in FIELDS})
        session.add(found)
        changes = {k: [None, str(data[k])] for k in FIELDS}
    else:
        changes = {k: [str(getattr(found, k)), str(data[k])] for k in FIELDS if getattr(found, k) != data[k]}
        for key in FIELDS:
            setattr(found, key, data[key])
    session.flush()
    audit(session, "analytics.local_plan_save", actor_id=actor_id, target=found, created=creating, changes=changes)
    return found


def delete_plan(session: Session, found: LocalPlan, *, actor_id: int) -> None:
    audit(
        session,
        "analytics.local_plan_delete",
        actor_id=actor_id,
        target=found,
        unit=found.unit.code,
        kind=found.kind,
        adopted_on=found.adopted_on.isoformat(),
    )
    session.delete(found)
    session.flush()
