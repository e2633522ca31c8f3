"""Learners are told why birth data is asked and what an Open Badge is (issue #13)."""

from __future__ import annotations

from tests.competencies.helpers import complete_module


def test_certificate_request_explains_birth_data(client, login_as):
    user = login_as("learner")
    course = "wprowadzenie-do-osl"
    from elearn.courses.services import learning
    from elearn.extensions import db

    _course, version = learning.published_course(db.session, course)
    for position in range(len(learning.version_modules(db.session, version))):
        complete_module(user.id, course, position)
    from elearn.certificates.services import issuer_profile

    profile = issuer_profile(db.session)
    profile.show_birth_date = profile.show_birth_place = True
    db.session.commit()
    html = client.get(f"/certificates/request/{course}").get_data(as_text=True)
    assert 'name="birth_date"' in html
    assert "Dlaczego prosimy o datę i miejsce urodzenia" in html
    assert "RODO" in html and "2175" in html


def test_a_course_with_a_missing_prerequisite_offers_no_enrol_button(client, login_as):
    from sqlalchemy import select

    from elearn.courses.models import Course, CourseVersion
    from elearn.extensions import db

    login_as("learner")
    candidates = [v for v in db.session.scalars(select(CourseVersion)) if v.prerequisites]
    version = candidates[0]
    course = db.session.get(Course, version.course_id)
    html = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert f'action="/courses/{course.slug}/enrol"' not in html
    assert "Zapiszesz się, gdy ukończysz" in html
