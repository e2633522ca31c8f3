"""Local governments' adopted plans: ROPS records them per gmina and powiat; the indicator is the share of the
register's local governments with an LPDI adopted by the end of the period, against the 50% target."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from elearn.analytics.models import LocalPlan
from elearn.analytics.services import indicators, local_plans
from elearn.core.models import AuditEntry
from elearn.directory.models import GMINA, POWIAT, TerritorialUnit
from elearn.extensions import db

from .helpers import unit


def _lpdi(end: date) -> indicators.Indicator:
    return next(i for i in indicators.indicators(db.session, date(2026, 1, 1), end) if i.key == "lpdi")


def test_the_register_counts_gminas_and_powiats_but_a_city_with_powiat_rights_once():
    gminas = db.session.scalar(select(func.count()).where(TerritorialUnit.level == GMINA))
    powiats = db.session.scalar(select(func.count()).where(TerritorialUnit.level == POWIAT, TerritorialUnit.kind == "powiat"))
    assert (gminas, powiats) == (144, 19)  # kujawsko-pomorskie: 144 gminas (Toruń, Bydgoszcz… among them), 19 land powiats
    assert local_plans.local_governments(db.session) == 163
    assert unit("0461").id not in dict(local_plans.unit_options(db.session))  # Bydgoszcz is recorded as its gmina


def test_indicator_counts_lpdi_adopted_by_the_end_of_the_period(make_user):
    rops = make_user("issuer")
    url = "https://bip.example.pl/uchwala.pdf"
    for code, kind, day in (
        ("0415", "LPDI", date(2026, 2, 1)),  # powiat toruński
        ("0415042", "LPDI", date(2026, 6, 1)),  # gmina Lubicz
        ("0415042", "SRPS", date(2025, 6, 1)),  # an SRPS is recorded but is not an LPDI
        ("0461011", "LPDI", date(2027, 1, 5)),  # Bydgoszcz, adopted after the period
    ):
        data = {"unit_id": unit(code).id, "kind": kind, "adopted_on": day, "document_url": url}
        local_plans.save_plan(db.session, None, data, actor_id=rops.id)
    db.session.commit()
    row = _lpdi(date(2026, 12, 31))
    assert (row.value, row.base, row.share, row.target) == (2, 163, 1, 50)  # 2 / 163 = 1.2% → 1%
    assert row.shown == "1% (2 / 163)" and row.percent == 2  # 1% of the 50% target
    assert _lpdi(date(2026, 3, 31)).value == 1
    assert _lpdi(date(2027, 12, 31)).value == 3


def test_half_of_the_register_reaches_the_target():
    assert indicators.Indicator("lpdi", 82, 50, 163).percent == 100  # 82 / 163 = 50.3%
    assert indicators.Indicator("lpdi", 81, 50, 163).share == 49  # 49.7% is not yet 50%


def test_rops_records_corrects_and_removes_a_plan_through_the_page(client, login_as):
    login_as("issuer")
    page = client.get("/analytics/local-plans").get_data(as_text=True)
    assert "163" in page and "Lubicz" in page
    form = {"unit_id": unit("0415042").id, "kind": "LPDI", "adopted_on": "2026-04-30", "document_url": "https://bip.lubicz.pl/lpdi.pdf"}
    assert client.post("/analytics/local-plans", data=form).status_code == 302
    again = client.post("/analytics/local-plans", data=form).get_data(as_text=True)
    assert "już" in again  # one LPDI per local government: a Polish message, no second row
    plan = db.session.scalar(select(LocalPlan))
    assert db.session.scalar(select(func.count(LocalPlan.id))) == 1
    bad = client.post(f"/analytics/local-plans/{plan.id}", data={**form, "document_url": "javascript:alert(1)"})
    assert bad.status_code == 200 and db.session.get(LocalPlan, plan.id).document_url.startswith("https://")
    assert client.post(f"/analytics/local-plans/{plan.id}", data={**form, "adopted_on": "2026-05-04"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(LocalPlan, plan.id).adopted_on == date(2026, 5, 4)
    assert client.post(f"/analytics/local-plans/{plan.id}/delete").status_code == 302
    assert db.session.scalar(select(func.count(LocalPlan.id))) == 0
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.startswith("analytics.local_plan"))))
    assert actions.count("analytics.local_plan_save") == 2 and actions.count("analytics.local_plan_delete") == 1


def test_only_rops_staff_record_plans(client, login_as):
    login_as("coordinator")
    assert client.get("/analytics/local-plans").status_code == 403
