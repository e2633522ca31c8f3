"""Development demo data for analytics: a small synthetic region (so several powiats show numbers and others
"< 5") and two local governments' adopted plans. Idempotent: a second `flask setup` adds nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..directory.models import TerritorialUnit
from .models import LPDI, SRPS, LocalPlan
from .services import synthetic

DEMO_SEED = 2026
PLANS = (
    ("0415", LPDI, date(2025, 11, 27), "https://bip.powiattorunski.pl/uchwaly/lokalny-plan-deinstytucjonalizacji"),
    ("0415042", SRPS, date(2021, 6, 24), "https://bip.lubicz.pl/strategia-rozwiazywania-problemow-spolecznych"),
)


def create_analytics_demo(session: Session) -> int:
    """Workers added (0 when the demo region exists)."""
    for code, kind, adopted, url in PLANS:
        unit = session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == code))
        exists = unit is not None and session.scalar(select(LocalPlan.id).where(LocalPlan.unit_id == unit.id, LocalPlan.kind == kind))
        if unit is not None and not exists:
            session.add(LocalPlan(unit_id=unit.id, kind=kind, adopted_on=adopted, document_url=url))
    try:
        made = synthetic.generate(session, workers=600, institutions=150, seed=DEMO_SEED, evidence_per_worker=6)
    except synthetic.SyntheticError:
        return 0
    return made.workers
