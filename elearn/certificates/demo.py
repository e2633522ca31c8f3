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


ROLE_HOLDER_EMAIL, ROLE_HOLDER_NAME = "animatorka@example.org", "Anna Animatorka"
ROLE_CANDIDATE_EMAIL, ROLE_CANDIDATE_NAME = "kandydatka@example.org", "Ewa Kandydatka"
ROLE_CANDIDATE_MISSING = ("ANI.4.2", "ANI.4.3")  # the two competences the candidate still lacks
PRIOR_LEARNING_CODES = ("WSP.4.1", "WSP.4.2")  # confirmed by recognised prior learning rather than an assessment
DEMO_TRAINER_EMAIL, DEMO_ISSUER_EMAIL = "trener@example.org", "rops@example.org"


def _assessed_learner(session: Session, email: str, name: str, *, password: str, institution_id: int | None, skip=()) -> User:
    """A learner whose animator profile is confirmed by the demo trainer's assessments and accepted prior learning,
    except the codes in skip; evidence is only added where the level is still missing (idempotent)."""
    from ..competencies.models import PRIOR_LEARNING, TRAINER_ASSESSMENT
    from ..competencies.services import counting_evidence, required_profile
    from ..competencies.services.levels import assess_learner, record_evidence, review_prior_learning

    user = accounts.find_user_by_email(session, email)
    if user is None:
        user = accounts.create_user(
            session, email=email, full_name=name, password=password, roles=(LEARNER,), institution_id=institution_id,
            job_title="pracownik socjalny",
        )  # fmt: skip
    trainer = accounts.find_user_by_email(session, DEMO_TRAINER_EMAIL)
    for slug in GRADUATE_COURSES:
        complete_course(session, user.id, slug)
    profile = required_profile(session, "animator")
    assessed = counting_evidence(session, user.id, profile)
    for code, required in profile.items():
        pieces = assessed.get(code, [])
        if code in skip or any(e.level >= required and e.source in (TRAINER_ASSESSMENT, PRIOR_LEARNING) for e in pieces):
            continue
        if code in PRIOR_LEARNING_CODES and trainer is not None:
            claim = record_evidence(
                session, user_id=user.id, code=code, level=required, source=PRIOR_LEARNING, recorded_by=user.id,
                note="Zaświadczenie o ukończeniu szkolenia z superwizji (2023).", source_type="upload",
            )  # fmt: skip
            review_prior_learning(session, claim, accept=True, reviewer_id=trainer.id)
        elif trainer is not None:
            note = "Ocena na podstawie obserwacji pracy w społeczności i portfolio działań."
            assess_learner(session, trainer_id=trainer.id, user_id=user.id, code=code, level=required, note=note)
    session.flush()
    return user


def create_role_learners(session: Session, *, password: str, institution_id: int | None) -> tuple[User, User]:
    """animatorka@ meets the animator profile and holds its role certificate; kandydatka@ is two competences short."""
    from . import roles

    holder = _assessed_learner(session, ROLE_HOLDER_EMAIL, ROLE_HOLDER_NAME, password=password, institution_id=institution_id)
    if roles.valid_role_certificate(session, holder.id, "animator") is None:
        issuer = accounts.find_user_by_email(session, DEMO_ISSUER_EMAIL)
        roles.issue_role_certificate(session, holder, "animator", issued_by_id=issuer.id if issuer else None, email_holder=False)
    candidate = _assessed_learner(
        session, ROLE_CANDIDATE_EMAIL, ROLE_CANDIDATE_NAME, password=password, institution_id=institution_id, skip=ROLE_CANDIDATE_MISSING
    )
    return holder, candidate
