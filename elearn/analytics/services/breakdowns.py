"""Persons supported in a period broken down by sex, age band, powiat, institution type and role, for the EU participant
monitoring — each breakdown a one-column table whose cells add up to the persons supported, suppressed like every
other aggregate (counts under 5, and the complement that would let a reader subtract one back from the total).

What each person is counted under is what elearn knows of them now: the sex they chose to give (optional, with
"I prefer not to say"), the EFS+ age band of the year of birth they chose to give (optional), the powiat their
institution serves, its type, and the competency-model role of their latest self-assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...accounts.models import SEXES, User
from ...competencies.models import SelfAssessment
from ...competencies.services.framework import roles
from ...directory.models import INSTITUTION_TYPES, Institution
from .indicators import reach
from .needs import REGION, _powiat_of_units, powiat_names
from .suppression import Table, suppress

UNKNOWN = "unknown"
DIMENSIONS = ("sex", "age_band", "powiat", "institution_type", "role")
AGE_BANDS = {"under_30": _l("Under 30"), "30_54": _l("30–54"), "55_plus": _l("55 and over")}


def age_band(birth_year: int | None, start: date) -> str:
    """The EFS+ monitoring band of a person's age at the start of the period.

    elearn knows only the year of birth, so the age at the start is taken as ``start.year - birth_year``: the age
    the person reaches in the calendar year the period starts (someone born in 1996 counts as 30 for any period
    starting in 2026). Under 30 → "under_30", 30 to 54 → "30_54", 55 or more → "55_plus"; no year → UNKNOWN.
    """
    if birth_year is None:
        return UNKNOWN
    age = start.year - birth_year
    return "under_30" if age < 30 else "30_54" if age <= 54 else "55_plus"


@dataclass
class Breakdown:
    dimension: str
    labels: dict  # category key → label, in display order
    table: Table

    def rows(self) -> list[tuple[str, int | str]]:
        return [(self.labels[k], self.table.cell(k, "n")) for k in self.table.rows]

    @property
    def total(self) -> int | str:
        return self.table.col_cell("n")


def person_facts(session: Session, persons: set[int], start: date) -> dict[int, dict[str, str | int]]:
    """What each person is counted under; the age band is their age at the period's ``start`` (see age_band)."""
    powiat_of = _powiat_of_units(session)
    latest = (
        select(SelfAssessment.user_id, func.max(SelfAssessment.id).label("last"))
        .where(SelfAssessment.user_id.in_(persons))
        .group_by(SelfAssessment.user_id)
        .subquery()
    )
    role_of = dict(
        session.execute(select(SelfAssessment.user_id, SelfAssessment.role_code).join(latest, latest.c.last == SelfAssessment.id)).all()
    )
    rows = session.execute(
        select(User.id, User.sex, User.birth_year, Institution.type, Institution.served_area_id)
        .outerjoin(Institution, Institution.id == User.institution_id)
        .where(User.id.in_(persons))
    ).all()
    return {
        uid: {
            "sex": sex or UNKNOWN,
            "age_band": age_band(birth_year, start),
            "institution_type": type_ or UNKNOWN,
            "powiat": UNKNOWN if area is None else (powiat_of.get(area) or REGION),
            "role": role_of.get(uid, UNKNOWN),
        }
        for uid, sex, birth_year, type_, area in rows
    }


def labels(session: Session, dimension: str) -> dict:
    not_known = gettext("Not known")
    if dimension == "sex":
        return {**{k: str(v) for k, v in SEXES.items()}, UNKNOWN: gettext("Not given")}
    if dimension == "age_band":
        return {**{k: str(v) for k, v in AGE_BANDS.items()}, UNKNOWN: gettext("Not given")}
    if dimension == "institution_type":
        return {**{k: str(v) for k, v in INSTITUTION_TYPES.items()}, UNKNOWN: gettext("No institution")}
    if dimension == "role":
        return {**{r.code: r.name for r in roles(session)}, UNKNOWN: gettext("No self-assessment")}
    return {**powiat_names(session), REGION: gettext("Whole voivodeship"), UNKNOWN: not_known}


def breakdowns(session: Session, start: date, end: date) -> list[Breakdown]:
    persons = reach(session, start, end).persons
    facts = person_facts(session, persons, start) if persons else {}
    out = []
    for dimension in DIMENSIONS:
        names = labels(session, dimension)
        counts: dict = {}
        for person in facts.values():
            counts[(person[dimension], "n")] = counts.get((person[dimension], "n"), 0) + 1
        for key, _col in counts:
            names.setdefault(key, str(key))
        rows = [k for k in names if (k, "n") in counts]
        out.append(Breakdown(dimension, {k: names[k] for k in rows}, suppress(Table(rows, ["n"], counts))))
    return out
