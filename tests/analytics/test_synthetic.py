"""The synthetic region: deterministic for a seed, consistent with the platform's own rules (stored levels equal what
the competencies domain derives from the evidence), visible to the analytics, refused in production and twice."""

from __future__ import annotations

from sqlalchemy import func, select

from elearn.accounts import services as accounts
from elearn.accounts.models import User
from elearn.analytics.services import synthetic
from elearn.analytics.services.needs import Scope, analyse, heat_table
from elearn.competencies.services.levels import levels_for_users, recompute_levels
from elearn.extensions import db


def _run(runner, *extra):
    return runner.invoke(args=["analytics", "synthetic", "--workers", "300", "--institutions", "20", *extra])


def test_generates_a_region_the_analytics_reads(runner):
    result = _run(runner, "--seed", "7")
    assert result.exit_code == 0, result.output
    assert "300 workers" in result.output and "20 institutions" in result.output
    ids = list(db.session.scalars(select(User.id).where(User.email.like(f"s7-%@{synthetic.DOMAIN}")).order_by(User.id)))
    assert len(ids) == 300
    stored = levels_for_users(db.session, ids[:25])
    for uid in ids[:25]:  # the bulk-inserted levels are what the platform's rule derives from the evidence
        assert recompute_levels(db.session, uid) == stored[uid]
    table = heat_table(analyse(db.session, Scope()))
    assert table.grand_total >= 200  # workers behind somewhere in the region
    from elearn.analytics.services import courses
    from elearn.courses.services.learning import published_course

    report = courses.report(db.session, *published_course(db.session, "animator-spolecznosci-lokalnej"))
    funnel = [m.completed for m in report.modules]
    assert isinstance(funnel[0], int) and all(isinstance(x, str) or x <= funnel[0] for x in funnel)  # fewer reach later modules
    shares = [i.correct for m in report.modules for i in m.items if isinstance(i.correct, int)]
    assert shares and min(shares) < max(shares)  # easy and hard questions
    again = _run(runner, "--seed", "7")
    assert again.exit_code != 0 and "already exists" in again.output


def _snapshot():
    from elearn.directory.models import Institution

    return list(
        db.session.execute(
            select(User.email, User.full_name, User.sex, User.birth_year, Institution.name, Institution.type)
            .join(Institution, Institution.id == User.institution_id)
            .where(User.email.like("s11-%"))
            .order_by(User.email)
        )
    )


def test_the_same_seed_gives_the_same_region():
    nested = db.session.begin_nested()
    made = synthetic.generate(db.session, workers=120, institutions=9, seed=11)
    first = _snapshot()
    nested.rollback()
    assert _snapshot() == []
    again = synthetic.generate(db.session, workers=120, institutions=9, seed=11)
    assert _snapshot() == first and len(first) == 120
    years = [row.birth_year for row in first]
    low, high = accounts.birth_year_bounds()
    assert None in years and all(low <= y <= high for y in years if y is not None)  # plausible, some left empty
    assert len({y for y in years if y is not None}) > 10
    assert again == made


def test_refused_in_production(app, runner):
    app.config["ELEARN_ENV"] = "production"
    try:
        result = _run(runner, "--seed", "3")
    finally:
        app.config["ELEARN_ENV"] = "testing"
    assert result.exit_code != 0 and "production" in result.output
    assert db.session.scalar(select(func.count(User.id)).where(User.email.like("s3-%"))) == 0


def test_demo_region_shows_numbers_in_some_powiats_and_small_cells_suppressed_in_others():
    from elearn.analytics.demo import create_analytics_demo
    from elearn.analytics.services.suppression import SUPPRESSED

    assert create_analytics_demo(db.session) == 600
    assert create_analytics_demo(db.session) == 0  # idempotent
    table = heat_table(analyse(db.session, Scope()))
    shown = [table.row_cell(r) for r in table.rows]
    assert any(isinstance(v, int) and v >= 5 for v in shown) and SUPPRESSED in [table.cell(r, c) for r in table.rows for c in table.cols]
