"""The self-assessment asks one area per page, keeps each area's answers, resumes where the person stopped, and lists
each level's indicators as a list (issue 13)."""

from __future__ import annotations

import re

from sqlalchemy import select

from elearn.competencies.models import SelfAssessment, SelfAssessmentDraft
from elearn.competencies.services.framework import required_profile
from elearn.extensions import db

URL = "/competencies/self-assessment"


def _all_answers(role: str = "mediator", level: str = "1") -> dict[str, str]:
    return {f"c_{code.replace('.', '_')}": level for code in required_profile(db.session, role)}


def test_one_area_per_page_saved_and_resumed(client, login_as):
    user = login_as("learner")
    first = client.get(URL, query_string={"role": "mediator"}).get_data(as_text=True)
    count = int(re.search(r"Obszar 1 z (\d+)", first).group(1))
    assert count >= 3
    assert "Zapisz i przejdź dalej" in first
    assert first.count("<fieldset") < len(required_profile(db.session, "mediator"))  # not every competence at once
    # Indicators are a list under each level, not one sentence glued with ";".
    assert re.search(r'<ul class="indicators" id="c_[A-Z]+_\d+_\d+-\d-indicators"><li>', first)
    assert ".;" not in first

    response = client.post(f"{URL}?role=mediator&area=1", data=_all_answers())
    assert response.status_code == 302 and response.headers["Location"].endswith("area=2")
    draft = db.session.scalar(select(SelfAssessmentDraft).where(SelfAssessmentDraft.user_id == user.id))
    assert draft is not None and all(v == 1 for v in draft.answers.values())
    assert db.session.scalar(select(SelfAssessment).where(SelfAssessment.user_id == user.id)) is None

    # Coming back later without an area opens the first area not yet answered, with "Obszar 2 z N".
    resumed = client.get(URL, query_string={"role": "mediator"}).get_data(as_text=True)
    assert f"Obszar 2 z {count}" in resumed and "Wróć do poprzedniego obszaru" in resumed
    # Going back shows the saved answers checked.
    back = client.get(URL, query_string={"role": "mediator", "area": "1"}).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="1"', back) or re.search(r'<input[^>]*checked[^>]*value="1"', back)

    for area in range(2, count + 1):
        response = client.post(f"{URL}?role=mediator&area={area}", data=_all_answers())
    assert "/self-assessment/" in response.headers["Location"] and "area=" not in response.headers["Location"]
    record = db.session.scalar(select(SelfAssessment).where(SelfAssessment.user_id == user.id))
    assert set(record.answers) == set(required_profile(db.session, "mediator"))
    assert db.session.scalar(select(SelfAssessmentDraft).where(SelfAssessmentDraft.user_id == user.id)) is None


def test_error_summary_links_to_fields_that_exist(client, login_as):
    login_as("learner")
    page = client.post(f"{URL}?role=mediator&area=1", data={}).get_data(as_text=True)
    targets = re.findall(r'<a href="#(c_[A-Z_0-9]+-0)"', page)  # the first option of each group that failed
    assert targets
    for target in targets:
        assert re.search(rf'<input aria-describedby="{target}-indicators" aria-invalid="true" id="{target}"', page)


def test_saving_the_last_area_with_a_gap_returns_to_it(client, login_as):
    user = login_as("learner")
    page = client.get(URL, query_string={"role": "mediator"}).get_data(as_text=True)
    count = int(re.search(r"Obszar 1 z (\d+)", page).group(1))
    response = client.post(f"{URL}?role=mediator&area={count}", data=_all_answers())
    assert response.headers["Location"].endswith("area=1")
    assert db.session.scalar(select(SelfAssessment).where(SelfAssessment.user_id == user.id)) is None
