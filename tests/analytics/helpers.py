"""A small hand-counted region: two powiats (toruński, Bydgoszcz) × two institution types (OPS, DPS)."""

from __future__ import annotations

from sqlalchemy import select

from elearn.competencies.services import levels
from elearn.directory.models import Institution, TerritorialUnit
from elearn.extensions import db

C1, C2 = "ANI.1.1", "ANI.1.2"  # both required at level 2 for the animator role
# (powiat code, type): (workers, behind on C1, behind on C2)
REGION = {
    ("0415", "OPS"): (6, 5, 5),
    ("0415", "DPS"): (5, 0, 2),
    ("0461", "OPS"): (7, 6, 6),
    ("0461", "DPS"): (5, 5, 5),
}


def unit(code: str) -> TerritorialUnit:
    return db.session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == code))


def build_region(make_user) -> dict[tuple[str, str], Institution]:
    """Workers with assessed levels: behind ones have no evidence, the others are assessed at level 2."""
    places = {}
    for (powiat, type_), (count, behind1, behind2) in REGION.items():
        inst = Institution(name=f"{type_} {powiat} testowy", type=type_, served_area_id=unit(powiat).id)
        db.session.add(inst)
        db.session.flush()
        places[(powiat, type_)] = inst
        for i in range(count):
            user = make_user("learner", institution_id=inst.id)
            for code, behind in ((C1, behind1), (C2, behind2)):
                if i >= behind:
                    levels.record_evidence(db.session, user_id=user.id, code=code, level=2, source="imported")
    db.session.commit()
    return places
