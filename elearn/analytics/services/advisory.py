"""Advisory cases by powiat and topic: how much advice ROPS gave where, for ROPS staff, under the same statistical
confidentiality as every other table (suppression.py): a case concerns one institution, so a count of 1–4 cases in
a powiat could point at it and is shown as "< 5", with complementary cells hidden so it cannot be subtracted back.

A case counts in the period in which it was opened, in the powiat its institution serves (the whole voivodeship for
region-wide bodies). The advisors' time per topic is published only where the topic's case count is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...advisory.models import TOPIC_SHORT, TOPICS
from ...advisory.services.counting import closed_support, opened_cases
from ...directory.models import Institution
from .indicators import _bounds
from .needs import REGION, _powiat_of_units, powiat_names
from .suppression import SUPPRESSED, Table, suppress


@dataclass
class AdvisoryReport:
    table: Table
    row_labels: dict
    col_labels: dict
    hours: dict[str, int | str]  # topic → hours advisors spent on cases closed in the period, or "< 5"


def report(session: Session, start: date, end: date) -> AdvisoryReport:
    lower, upper = _bounds(start, end)
    cases = opened_cases(session, lower, upper)
    served = dict(session.execute(select(Institution.id, Institution.served_area_id)).all())
    powiat_of = _powiat_of_units(session)
    values: dict = {}
    for _case_id, topic, institution_id in cases:
        powiat = powiat_of.get(served.get(institution_id))
        key = (REGION if powiat is None else powiat, topic)
        values[key] = values.get(key, 0) + 1
    names = powiat_names(session)
    present = {row for row, _topic in values}
    rows = [p for p in names if p in present] + ([REGION] if REGION in present else [])
    cols = [t for t in TOPICS if any(topic == t for _row, topic in values)]
    table = suppress(Table(rows, cols, values))
    labels = {r: names.get(r, "") for r in rows if r != REGION}
    closed = closed_support(session, lower, upper)
    hours = {}
    for topic in TOPICS:
        done = [c for c in closed if c.topic == topic]
        hours[topic] = SUPPRESSED if 0 < len(done) < 5 else round(sum(c.minutes for c in done) / 60)
    return AdvisoryReport(table, labels, {t: str(TOPIC_SHORT[t]) for t in cols}, hours)
