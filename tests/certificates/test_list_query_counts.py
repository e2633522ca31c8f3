"""Lists over a whole region run the same number of queries for 10 and for 150 people who hold assessed levels: the
issuer's queue with its role-certificate section, the coordinator's team matrix with its summary row, and the
coordinator's dashboard. A query per row (or a loader chunked by rows) makes the larger count differ."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from elearn.accounts.models import User, UserRole
from elearn.certificates import roles
from elearn.competencies.models import CompetenceLevel
from elearn.competencies.services.framework import MODEL_DIR, current_framework, framework_facts, load_framework
from elearn.core.timeutil import utcnow
from elearn.extensions import db
from tests.querycount import counted_queries


@pytest.fixture
def profile(app) -> tuple[str, str, dict[str, int]]:
    if current_framework(db.session) is None:
        load_framework(db.session, MODEL_DIR)
        db.session.commit()
    role = framework_facts(db.session).profiled_roles[0]
    return role.code, role.name, dict(role.profile)


def _assessed(count: int, prefix: str, place: int, levels: dict[str, int]) -> list[int]:
    """Learners of one institution whose stored levels meet `levels` (bulk rows, as a region's import would)."""
    db.session.execute(
        insert(User),
        [
            {
                "email": f"{prefix}{i}@example.org",
                "full_name": f"Osoba {prefix} {i:03d}",
                "password_hash": "!",
                "institution_id": place,
            }
            for i in range(count)
        ],
    )
    ids = list(db.session.scalars(select(User.id).where(User.email.like(f"{prefix}%@example.org"))))
    db.session.execute(insert(UserRole), [{"user_id": i, "role": "learner"} for i in ids])
    now = utcnow()
    rows = [{"user_id": i, "code": code, "level": level, "updated_at": now} for i in ids for code, level in levels.items()]
    db.session.execute(insert(CompetenceLevel), rows)
    db.session.commit()
    return ids


WIDEST = 120  # bound values in one statement: a page's ids fit, a whole team's (an IN of every worker) does not


def _queries(app, client, url: str) -> tuple[int, str]:
    client.get(url)
    with app.app_context(), counted_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    widest = max(s.count("?") + s.count("%(") for s in statements)
    assert widest <= WIDEST, f"{url}: a statement binds {widest} values (every row's ids fetched to Python)"
    return len(statements), response.get_data(as_text=True)


def test_role_queue_section_is_counted_limited_and_flat(app, client, login_as, institution, profile):
    code, _name, levels = profile
    login_as("issuer")
    _assessed(10, "mala", institution.id, levels)
    few, html = _queries(app, client, "/certificates/queue")
    assert "Osoba mala 009" in html
    _assessed(140, "duza", institution.id, levels)
    many, html = _queries(app, client, "/certificates/queue")
    assert many == few
    assert "(150)" in html  # every eligible person is counted, not only the rows shown
    assert html.count('name="selected_role"') == 2 * roles.ROLE_QUEUE_ROWS  # a checkbox and a button per row
    assert "Osoba duza 000" in html and "Osoba mala 009" not in html  # the first by name
    assert f"pierwsze {roles.ROLE_QUEUE_ROWS} według nazwiska" in html
    # "issue all eligible for a role" still takes every one
    assert len(roles.eligible_role_user_ids(db.session, code)) == 150


def test_role_queue_leaves_out_who_misses_one_requirement(app, institution, profile):
    code, _name, levels = profile
    first = sorted(levels)[0]
    short = {**levels, first: levels[first] - 1} if levels[first] > 1 else {c: v for c, v in levels.items() if c != first}
    meets = _assessed(3, "spelnia", institution.id, levels)
    _assessed(3, "brakuje", institution.id, short)
    assert sorted(roles.eligible_role_user_ids(db.session, code)) == sorted(meets)
    assert roles.role_queue_count(db.session) == 3 * sum(
        1 for _c, _n, p in roles.certifiable_roles(db.session) if all(levels.get(k, 0) >= v for k, v in p.items())
    )


def test_team_matrix_and_its_summary_are_flat(app, client, make_user, login, institution, profile):
    code, _name, levels = profile
    login(make_user("coordinator"))
    _assessed(10, "zesp", institution.id, levels)
    few, _html = _queries(app, client, f"/competencies/team?role={code}")
    _assessed(140, "duzy", institution.id, levels)
    many, html = _queries(app, client, f"/competencies/team?role={code}")
    assert many == few
    assert 'rel="next"' in html


def test_coordinator_dashboard_is_flat(app, client, make_user, login, institution, profile):
    _code, _name, levels = profile
    login(make_user("coordinator"))
    _assessed(10, "pulpit", institution.id, levels)
    few, _html = _queries(app, client, "/dashboard")
    _assessed(140, "region", institution.id, levels)
    many, html = _queries(app, client, "/dashboard")
    assert many == few
    assert "150" in html
