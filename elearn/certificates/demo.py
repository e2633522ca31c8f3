"""Development demo data: a learner who completed the animator course through the course domain's real services.

Completion goes through enrol → lessons done → quizzes passed with the correct answers, so the course domain's
signals fire and the competency domain records evidence, exactly as when a person studies in the browser.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..accounts import services as accounts
from ..accounts.models import User
from ..core.roles import LEARNER
from ..courses.services import learning

GRADUATE_EMAIL = "absolwent@example.org"
GRADUATE_NAME = "Zofia Absolwentka"
GRADUATE_COURSES = ("wprowadzenie-do-osl", "animator-spolecznosci-lokalnej")  # prerequisite first


def complete_course(session: Session, user_id: int, slug: str) -> bool:
    """Study a published course to completion; False if the course is not published."""
    found = learning.published_course(session, slug)
    if found is None:
        return False
    course, version = found
    learning.enrol(session, user_id, course, version)
    for module in learning.version_modules(session, version, with_quiz=True):
        for lesson in module.lessons:
            learning.mark_lesson_done(session, user_id, course, version, lesson.key)
        if module.questions:
            answers = {q.position: [o.position for o in q.options if o.correct] for q in module.questions}
            learning.submit_quiz(session, user_id, course, version, module, answers)
    return learning.get_enrolment(session, user_id, course.id).completed_at is not None


def create_graduate(session: Session, *, password: str, institution_id: int | None) -> User | None:
    """absolwent@example.org, eligible for the animator certificate; idempotent."""
    user = accounts.find_user_by_email(session, GRADUATE_EMAIL)
    if user is None:
        user = accounts.create_user(
            session, email=GRADUATE_EMAIL, full_name=GRADUATE_NAME, password=password, roles=(LEARNER,),
            institution_id=institution_id, job_title="pracownik socjalny",
        )  # fmt: skip
    for slug in GRADUATE_COURSES:
        complete_course(session, user.id, slug)
    session.flush()
    return user
