"""The regional needs analysis counts accepted members behind the required level, by powiat and institution type,
with small cells and their complements suppressed — numbers checked against the hand-counted region in helpers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.analytics.services import needs
from elearn.analytics.services.suppression import SUPPRESSED
from elearn.competencies.services import levels
from elearn.extensions import db

from .helpers import C1, C2, build_region, unit


@pytest.fixture
def region(make_user):
    return build_region(make_user)


def _table(competence: str):
    analysis = needs.analyse(db.session, needs.Scope(role="animator", competence=competence))
    return needs.heat_table(analysis)


def test_counts_by_powiat_and_type_match_the_hand_counted_region(region):
    table = _table(C1)
    torun, bydgoszcz = unit("0415").id, unit("0461").id
    assert table.rows == [torun, bydgoszcz] and table.cols == ["OPS", "DPS"]
    assert [[table.cell(r, c) for c in table.cols] for r in table.rows] == [[5, 0], [6, 5]]
    assert [table.row_cell(r) for r in table.rows] == [5, 11]
    assert table.grand_cell() == 16


def test_a_small_cell_and_its_complements_show_as_under_five(region):
    # C2: [[5, 2], [6, 5]] — the 2 is hidden, then 5 (row), 5 (column) and 6 (column OPS) as complements
    table = _table(C2)
    assert all(table.cell(r, c) == SUPPRESSED for r in table.rows for c in table.cols)
    assert [table.row_cell(r) for r in table.rows] == [7, 11] and table.grand_cell() == 18


def test_pending_or_inactive_members_and_other_roles_do_not_count(region, make_user):
    outsider = make_user("learner")
    outsider.institution_id = None  # no accepted institution (a pending request leaves it empty)
    make_user("coordinator", institution_id=region[("0415", "OPS")].id)  # not a learner
    gone = make_user("learner", institution_id=region[("0415", "OPS")].id)
    gone.active = False
    db.session.commit()
    assert _table(C1).cell(unit("0415").id, "OPS") == 5


def test_self_assessment_is_counted_apart_and_does_not_close_a_gap(region):
    analysis = needs.analyse(db.session, needs.Scope(role="animator", competence=C1))
    behind = [w for w in analysis.workers if C1 in analysis.behind[w.id]]
    for worker in behind:
        levels.record_evidence(db.session, user_id=worker.id, code=C1, level=3, source="self_assessment")
    db.session.flush()
    analysis = needs.analyse(db.session, needs.Scope(role="animator", competence=C1))
    assert needs.heat_table(analysis).grand_cell() == 16
    assert needs.heat_table(analysis, self_assessed=True).grand_cell() == 0
    for worker in behind[:6]:
        levels.record_evidence(db.session, user_id=worker.id, code=C1, level=1, source="self_assessment")
    db.session.flush()
    analysis = needs.analyse(db.session, needs.Scope(role="animator", competence=C1))
    assert needs.heat_table(analysis, self_assessed=True).grand_cell() == 6  # 5 in toruński OPS, 1 in Bydgoszcz OPS


def test_ranked_gaps_name_the_competence_count_and_largest_powiats(region):
    analysis = needs.analyse(db.session, needs.Scope(role="animator", area="ANI.1"))
    ranked = {g.code: g for g in needs.ranked_gaps(db.session, analysis)}
    assert ranked[C1].behind == 16 and ranked[C2].behind == 18
    assert [n for _name, n in ranked[C2].top_powiats] == [11, 7]
    assert ranked[C2].top_powiats[0][0] == "Bydgoszcz"


def test_drill_down_into_a_powiat_lists_competences_by_type(region):
    analysis = needs.analyse(db.session, needs.Scope(role="animator", powiat_id=unit("0415").id))
    table = needs.competence_table(analysis)
    assert table.cell(C1, "OPS") == 5 and table.cell(C1, "DPS") == 0 and table.row_cell(C1) == 5


def test_page_shows_heatmap_table_and_ranking_to_rops_staff_only(region, client, login_as):
    login_as("issuer")
    page = client.get(f"/analytics/needs?role=animator&competence={C1}").get_data(as_text=True)
    assert 'role="img"' in page and '<title id="heatmap-title">' in page
    assert "<td>11</td>" in page and "Bydgoszcz" in page
    client.get("/logout")
    login_as("coordinator")
    assert client.get("/analytics/needs").status_code == 403


def test_a_gap_opens_the_new_event_form_prefilled_and_the_link_writes_nothing(region, client, login_as):
    """Plan a training from the ranked list: the event form arrives with the competence, level, institution types,
    role and the target powiats; no event exists until the organiser saves it."""
    from html import unescape

    from elearn.events.models import Event

    login_as("issuer")
    page = client.get(f"/analytics/needs?role=animator&competence={C2}").get_data(as_text=True)
    href = unescape(page.split('id="ranked-caption"')[1].split("/events/new?")[1].split('"')[0])
    form = client.get("/events/new?" + href).get_data(as_text=True)
    assert f'value="{C2}"' in form
    assert 'value="OPS" selected' in form or 'selected value="OPS"' in form
    assert "Bydgoszcz, powiat toruński" in form  # the target powiats, largest gap first, in the description
    assert 'value="animator" selected' in form or 'selected value="animator"' in form
    assert '<option selected value="2">' in form or '<option value="2" selected>' in form
    assert db.session.scalar(select(func.count(Event.id))) == 0
