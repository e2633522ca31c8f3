"""Advisory cases count as support in the project indicators, and in the report by powiat and topic (suppressed)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from elearn.advisory.services import cases
from elearn.analytics.services import indicators
from elearn.analytics.services.advisory import report
from elearn.core.timeutil import utcnow
from elearn.directory.models import Institution
from elearn.extensions import db

from .helpers import open_case


def _values(start: date, end: date) -> dict:
    return {i.key: i.value for i in indicators.indicators(db.session, start, end)}


def test_a_closed_case_counts_its_institution_and_persons(make_user, coordinator, advisor):
    today = utcnow().date()
    period = (today - timedelta(days=1), today + timedelta(days=1))
    before = _values(*period)
    worker = make_user("learner")
    case = open_case(worker)
    cases.add_message(db.session, case, author=coordinator, body="Dopisuję szczegóły.", files=[], instance_path=current_app.instance_path)
    cases.add_message(db.session, case, author=advisor, body="Odpowiadam.", files=[], instance_path=current_app.instance_path)
    assert _values(*period) == before  # support counts when the case is closed
    cases.close(db.session, case, actor=advisor, outcome="Wyjaśnione.", minutes=45)
    db.session.commit()
    after = _values(*period)
    assert after["advisory"] == before["advisory"] + 1
    assert after["persons"] == before["persons"] + 2  # the worker and the coordinator, not the advisor
    assert after["institutions"] == before["institutions"] + 1
    last_year = (today.replace(year=today.year - 1), today.replace(year=today.year - 1))
    assert _values(*last_year)["advisory"] == 0


def test_the_report_by_powiat_and_topic_suppresses_small_counts(make_user):
    places = db.session.scalars(select(Institution).where(Institution.type == "OPS").order_by(Institution.id)).all()
    first, second = places[0], next(p for p in places if p.served_area.parent_id != places[0].served_area.parent_id)
    for _ in range(6):
        open_case(make_user("learner", institution_id=first.id), topic="srps")
    open_case(make_user("learner", institution_id=first.id), topic="lpdi")
    for _ in range(5):
        open_case(make_user("learner", institution_id=second.id), topic="srps")
    today = utcnow().date()
    found = report(db.session, today - timedelta(days=1), today + timedelta(days=1))
    table = found.table
    assert set(table.cols) == {"srps", "lpdi"}
    first_powiat, second_powiat = first.served_area.parent_id, second.served_area.parent_id
    assert table.cell(first_powiat, "lpdi") == "< 5"
    assert table.cell(first_powiat, "srps") == "< 5"  # its complement: 7 − 1 would give the hidden cell away
    assert table.cell(second_powiat, "srps") == "< 5"  # the complement of that complement in its column
    assert (table.row_cell(first_powiat), table.row_cell(second_powiat), table.col_cell("srps")) == (7, 5, 11)
    assert table.col_cell("lpdi") == "< 5" and table.grand_cell() == 12


def test_the_report_page_is_for_rops_staff(client, login, make_user, coordinator):
    login(make_user("issuer"))
    page = client.get("/analytics/advisory").get_data(as_text=True)
    assert "Sprawy doradcze według powiatu i tematu" in page
    login(coordinator)
    assert client.get("/analytics/advisory").status_code == 403


def test_the_cli_prints_cases_institutions_persons_and_hours(runner, coordinator, advisor):
    case = open_case(coordinator)
    cases.close(db.session, case, actor=advisor, outcome="Wyjaśnione.", minutes=90)
    db.session.commit()
    today = utcnow().date()
    result = runner.invoke(args=["advisory", "counts", "--from", today.isoformat(), "--to", (today + timedelta(days=1)).isoformat()])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["cases: 1", "institutions: 1", "persons: 1", "hours: 1.5"]
