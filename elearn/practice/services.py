"""Practical assignments: finding them in published courses, learners' drafts and submissions, trainers' reviews.

Who may review: a trainer reviews submissions in the courses they look after — the browser courses they created
and the shared courses synced from files (no owner) — and never their own submission (checked here, not only on
URLs). A positive review ("zaliczone") records `assignment` evidence through the competencies service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..accounts.models import User, UserRole
from ..competencies.models import ASSIGNMENT, Competence
from ..competencies.services import current_framework, record_evidence
from ..competencies.services.next_steps import ASSIGNMENT as STEP_ASSIGNMENT
from ..competencies.services.next_steps import NextStep
from ..core.audit import audit
from ..core.errors import DomainError
from ..core.files import check_upload, store_upload
from ..core.formatting import date_param
from ..core.notifications import Reminder, notify, path_for
from ..core.roles import TRAINER
from ..core.timeutil import to_local, utcnow
from ..courses.models import Course, CourseVersion, Enrolment, Module
from ..courses.services.learning import get_enrolment, published_course, published_module_facts, published_modules
from . import notifications as kinds
from .models import DRAFT, FAILED, PASSED, REVISE, STATUS_LABELS, SUBMITTED, Submission, SubmissionFile, SubmissionVersion

DUE_WARNING = timedelta(days=3)
PAGE_SIZE = 20


class PracticeError(DomainError):
    """The action on an assignment, submission or review is not allowed."""


@dataclass
class AssignmentRef:
    """An assignment as the latest published version of its course defines it."""

    course: Course
    version: CourseVersion
    module: Module
    data: dict  # the stored assignment (courses.models.Module.assignments item)

    @property
    def key(self) -> str:
        return self.data["key"]

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def form(self) -> list[str]:
        return list(self.data.get("form") or ["text"])


@dataclass
class Criterion:
    text: str
    code: str | None = None  # the competence whose level indicator this is; None for the assignment's own criteria


def upload_dir(instance_path: str) -> Path:
    return Path(instance_path) / "uploads" / "practice"


# --- finding assignments ---------------------------------------------------------------------------------------


def find_assignment(session: Session, slug: str, module_key: str, key: str) -> AssignmentRef | None:
    found = published_course(session, slug)
    if found is None:
        return None
    course, version = found
    module = session.scalar(select(Module).where(Module.version_id == version.id, Module.key == module_key))
    data = next((a for a in (module.assignments or []) if a["key"] == key), None) if module else None
    return AssignmentRef(course, version, module, data) if data else None


def assignment_of(session: Session, submission: Submission) -> AssignmentRef | None:
    return find_assignment(session, submission.course.slug, submission.module_key, submission.assignment_key)


def rubric(session: Session, ref: AssignmentRef) -> list[Criterion]:
    """The competences' own indicators at the assessed level (current framework), then the assignment's criteria."""
    framework = current_framework(session)
    competences = ref.data.get("competences") or {}
    by_code = {}
    if framework is not None:
        rows = session.scalars(select(Competence).where(Competence.framework_id == framework.id, Competence.code.in_(list(competences))))
        by_code = {c.code: c for c in rows}
    criteria = []
    for code, level in competences.items():
        competence = by_code.get(code)
        for indicator in (competence.indicators or {}).get(str(level), []) if competence else []:
            criteria.append(Criterion(indicator, code))
    criteria += [Criterion(text) for text in ref.data.get("criteria") or []]
    return criteria


def due_date(enrolment: Enrolment | None, ref: AssignmentRef) -> datetime | None:
    days = ref.data.get("due_days")
    return enrolment.enrolled_at + timedelta(days=days) if enrolment and days else None


# --- learners --------------------------------------------------------------------------------------------------


def submission_for(session: Session, user_id: int, ref: AssignmentRef) -> Submission | None:
    return session.scalar(
        select(Submission)
        .where(
            Submission.user_id == user_id,
            Submission.course_id == ref.course.id,
            Submission.module_key == ref.module.key,
            Submission.assignment_key == ref.key,
        )
        .options(selectinload(Submission.versions).selectinload(SubmissionVersion.files))
    )


def _checked_files(files: list[tuple[str, bytes]]):
    """Every file checked before anything is written: a rejected file leaves no row and no file behind."""
    return [
        (name, data, check_upload(data, types_key="PRACTICE_FILE_TYPES", limit_key="PRACTICE_FILE_MAX_BYTES", filename=name))
        for name, data in files
    ]


def save_work(
    session: Session,
    *,
    user: User,
    ref: AssignmentRef,
    text: str,
    files: list[tuple[str, bytes]],
    instance_path: str,
    submit: bool,
) -> Submission:
    """Save the learner's current attempt as a draft, or submit it; a new attempt starts after "do poprawy".

    Raises UploadRejected for a bad file and PracticeError when the work cannot be saved or is incomplete.
    """
    if get_enrolment(session, user.id, ref.course.id) is None:
        raise PracticeError(_l("Enrol in the course to hand in its assignments."))
    checked = _checked_files(files)
    submission = submission_for(session, user.id, ref)
    if submission is not None and submission.status not in (DRAFT, REVISE):
        raise PracticeError(_l("This assignment has already been submitted; wait for the trainer's review."))
    if submission is None:
        submission = Submission(
            user_id=user.id, course_id=ref.course.id, module_key=ref.module.key, assignment_key=ref.key, title=ref.title, status=DRAFT
        )
        session.add(submission)
        session.flush()
    version = submission.latest
    if version is None or version.submitted_at is not None:
        previous = version
        number = previous.number + 1 if previous else 1
        version = SubmissionVersion(submission=submission, number=number, course_version=ref.version.number)
        if previous is not None:  # a new attempt keeps the earlier attachments until the learner replaces the work
            version.files = [SubmissionFile(path=f.path, name=f.name, mimetype=f.mimetype, size=f.size) for f in previous.files]
        session.add(version)
    version.text = text.strip()
    version.course_version = ref.version.number
    submission.title, submission.status = ref.title, DRAFT
    if checked:
        folder = upload_dir(instance_path)
        for name, data, upload in checked:
            stored = store_upload(folder, data, upload.kind)
            version.files.append(SubmissionFile(path=stored, name=Path(name).name[:255], mimetype=upload.mimetype, size=len(data)))
    if submit:
        missing = []
        if "text" in ref.form and not version.text:
            missing.append(_l("Write your answer before submitting."))
        if "files" in ref.form and not version.files:
            missing.append(_l("Attach at least one file before submitting."))
        if missing:
            raise PracticeError(*missing)
        version.submitted_at = submission.submitted_at = utcnow()
        submission.status = SUBMITTED
    session.flush()
    if submit:
        _tell_trainers(session, submission, ref, user)
        audit(session, "practice.submit", actor_id=user.id, target=submission, attempt=version.number)
    return submission


def _tell_trainers(session: Session, submission: Submission, ref: AssignmentRef, learner: User) -> None:
    for trainer_id in reviewer_ids(session, ref.course):
        if trainer_id != learner.id:
            notify(
                session,
                trainer_id,
                kinds.NEW_SUBMISSION,
                {"learner": learner.full_name, "title": ref.title, "course": ref.version.title},
                url=path_for("practice.review", submission_id=submission.id),
            )


def my_assignments(session: Session, user_id: int) -> list[tuple[AssignmentRef, Submission | None, datetime | None]]:
    """Every assignment of the courses the learner is enrolled in, with their submission and due date."""
    enrolments = {e.course_id: e for e in session.scalars(select(Enrolment).where(Enrolment.user_id == user_id))}
    if not enrolments:
        return []
    submissions = {
        (s.course_id, s.module_key, s.assignment_key): s for s in session.scalars(select(Submission).where(Submission.user_id == user_id))
    }
    rows = []
    for course, version, module in published_modules(session, list(enrolments)):
        for data in module.assignments or []:
            ref = AssignmentRef(course, version, module, data)
            rows.append((ref, submissions.get((course.id, module.key, ref.key)), due_date(enrolments[course.id], ref)))
    return rows


def learner_submission(session: Session, user_id: int, submission_id: int) -> Submission | None:
    submission = session.get(Submission, submission_id)
    return submission if submission is not None and submission.user_id == user_id else None


# --- trainers --------------------------------------------------------------------------------------------------


def _looked_after(trainer_id: int):
    return or_(Course.created_by_id == trainer_id, Course.created_by_id.is_(None))


def reviewable_courses(session: Session, trainer_id: int) -> list[Course]:
    """Courses whose submissions the trainer reviews: their own browser courses and the shared file courses."""
    return list(session.scalars(select(Course).where(Course.published_number > 0, _looked_after(trainer_id)).order_by(Course.title)))


def reviewer_ids(session: Session, course: Course) -> list[int]:
    """Who is told about a new submission: the course's author, or every active trainer for a shared course."""
    if course.created_by_id is not None:
        return [course.created_by_id]
    stmt = select(User.id).join(UserRole).where(UserRole.role == TRAINER, User.active.is_(True), User.erased_at.is_(None))
    return list(session.scalars(stmt.order_by(User.id)))


def may_review(trainer: User, submission: Submission) -> bool:
    """The object-level check: the trainer looks after the submission's course and it is not their own."""
    if submission.user_id == trainer.id or not trainer.has_role(TRAINER):
        return False
    course = submission.course
    return course.created_by_id in (None, trainer.id)


def review_queue(trainer: User, *, course_id: int | None = None, status: str | None = SUBMITTED) -> Select:
    """Submissions in the trainer's courses (never their own), oldest submission first; the view paginates it."""
    stmt = (
        select(Submission)
        .join(Course, Course.id == Submission.course_id)
        .where(_looked_after(trainer.id), Submission.user_id != trainer.id, Submission.status != DRAFT)
        .options(selectinload(Submission.user), selectinload(Submission.course))
        .order_by(Submission.submitted_at, Submission.id)
    )
    if status:
        stmt = stmt.where(Submission.status == status)
    if course_id:
        stmt = stmt.where(Submission.course_id == course_id)
    return stmt


def waiting_count(session: Session, trainer: User) -> int:
    """How many submissions wait for this trainer's review (the dashboard panel)."""
    stmt = review_queue(trainer).order_by(None).options()
    return session.scalar(select(func.count()).select_from(stmt.with_only_columns(Submission.id).subquery())) or 0


def review(session: Session, *, trainer: User, submission: Submission, met: list[bool], decision: str, feedback: str) -> SubmissionVersion:
    """Judge the latest submitted attempt against the rubric; "zaliczone" records evidence and raises levels."""
    if not may_review(trainer, submission):
        raise PracticeError(_l("You cannot review this submission."))
    version = submission.latest
    if submission.status != SUBMITTED or version is None or version.submitted_at is None or version.decision:
        raise PracticeError(_l("This submission is not waiting for a review."))
    ref = assignment_of(session, submission)
    if ref is None:
        raise PracticeError(_l("The assignment is no longer in the published course."))
    criteria = rubric(session, ref)
    if len(met) != len(criteria):
        raise PracticeError(_l("Decide on every criterion."))
    if decision == PASSED and not all(met):
        raise PracticeError(_l("An assignment passes only when it meets every criterion."))
    if decision not in (PASSED, REVISE, FAILED):
        raise PracticeError(_l("Choose a decision."))
    now = utcnow()
    version.decision, version.feedback, version.reviewer_id, version.reviewed_at = decision, feedback.strip(), trainer.id, now
    version.criteria = [{"text": c.text, "code": c.code, "met": bool(m)} for c, m in zip(criteria, met, strict=True)]
    submission.status = decision
    session.flush()
    if decision == PASSED:
        for code, level in (ref.data.get("competences") or {}).items():
            record_evidence(
                session, user_id=submission.user_id, code=code, level=int(level), source=ASSIGNMENT, recorded_by=trainer.id,
                note=version.feedback or None, source_type="practice_submission", source_id=version.id,
                link=path_for("practice.submission", submission_id=submission.id), recorded_at=now,
            )  # fmt: skip
    notify(
        session,
        submission.user_id,
        kinds.REVIEWED,
        {"title": submission.title, "trainer": trainer.full_name, "decision": str(STATUS_LABELS[decision])},
        url=path_for("practice.submission", submission_id=submission.id),
    )
    audit(session, "practice.review", actor_id=trainer.id, target=submission, decision=decision, attempt=version.number)
    return version


# --- reminders -------------------------------------------------------------------------------------------------


def due_reminders(session: Session, now: datetime):
    """ "Due soon" once per learner and assignment, in the three days before the due date, unless already handed in."""
    courses: dict[int, list[AssignmentRef]] = {}
    for course, version, module in published_modules(session):
        for data in module.assignments or []:
            if data.get("due_days"):
                courses.setdefault(course.id, []).append(AssignmentRef(course, version, module, data))
    if not courses:
        return
    done = {
        (s.user_id, s.course_id, s.module_key, s.assignment_key)
        for s in session.scalars(select(Submission).where(Submission.course_id.in_(list(courses)), Submission.status != DRAFT))
    }
    for enrolment in session.scalars(select(Enrolment).where(Enrolment.course_id.in_(list(courses)))):
        for ref in courses[enrolment.course_id]:
            due = due_date(enrolment, ref)
            if not (due - DUE_WARNING <= now < due) or (enrolment.user_id, ref.course.id, ref.module.key, ref.key) in done:
                continue
            yield Reminder(
                enrolment.user_id,
                kinds.DUE_SOON,
                {"title": ref.title, "course": ref.version.title, "due": date_param(to_local(due).date())},
                url=path_for("practice.assignment", slug=ref.course.slug, module_key=ref.module.key, key=ref.key),
                dedupe_key=f"practice.due:{ref.course.id}:{ref.module.key}:{ref.key}",
            )


def assignment_steps(session: Session, user_id: int, codes: dict[str, int]) -> dict:
    """What comes next (competencies' next-step providers): for each competence below level 2, the published
    assignments whose positive assessment evidences it, except those the person has already passed."""
    wanted = {code for code, level in codes.items() if level < 2}
    if not wanted:
        return {}
    passed = set(
        session.execute(
            select(Submission.course_id, Submission.module_key, Submission.assignment_key).where(
                Submission.user_id == user_id, Submission.status == PASSED
            )
        ).tuples()
    )
    steps: dict[str, list] = {}
    for module in published_module_facts(session):
        for data in module.assignments:
            if (module.course_id, module.key, data["key"]) in passed:
                continue
            url = path_for("practice.assignment", slug=module.course_slug, module_key=module.key, key=data["key"])
            for code, level in (data.get("competences") or {}).items():
                if code in wanted:
                    steps.setdefault(code, []).append(NextStep(STEP_ASSIGNMENT, data["title"], url, min(int(level), 2)))
    return steps


def may_open_submission(session: Session, viewer: User, values: dict) -> bool:
    """The link guard of the submission page (core.registry.link_guards): its author or a trainer who may review it."""
    submission = session.get(Submission, values.get("submission_id"))
    return submission is not None and (submission.user_id == viewer.id or may_review(viewer, submission))
