"""RODO: what the course domain holds about a person, for the data export.

Erasure needs no receiver here: enrolments, progress, attempts and completions hold no personal text (only ids,
keys, scores and dates), so they stay for statistics and EFS+ reporting, linked to the anonymised account.
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import Attachment, Course, Enrolment, LessonProgress, ModuleCompletion, QuizAttempt


def collect(user, **_kwargs) -> dict:
    session = db.session
    slugs = dict(session.execute(select(Course.id, Course.slug)).all())

    def when(value):
        return value.isoformat() if value else None

    enrolments = session.scalars(select(Enrolment).where(Enrolment.user_id == user.id).order_by(Enrolment.enrolled_at)).all()
    progress = session.scalars(select(LessonProgress).where(LessonProgress.user_id == user.id).order_by(LessonProgress.done_at)).all()
    attempts = session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id).order_by(QuizAttempt.at)).all()
    completions = session.scalars(select(ModuleCompletion).where(ModuleCompletion.user_id == user.id)).all()
    uploads = session.scalars(select(Attachment).where(Attachment.uploaded_by_id == user.id)).all()
    return {
        "courses": {
            "enrolments": [
                {"course": slugs.get(e.course_id), "enrolled_at": when(e.enrolled_at), "completed_at": when(e.completed_at)}
                for e in enrolments
            ],
            "lessons_done": [{"course": slugs.get(p.course_id), "lesson": p.lesson_key, "done_at": when(p.done_at)} for p in progress],
            "quiz_attempts": [
                {
                    "course": slugs.get(a.course_id),
                    "module": a.module_key,
                    "score": a.score,
                    "passed": a.passed,
                    "at": when(a.at),
                    "answers": a.answers,
                }
                for a in attempts
            ],
            "modules_completed": [
                {"course": slugs.get(c.course_id), "module": c.module_key, "completed_at": when(c.completed_at), "quiz_score": c.quiz_score}
                for c in completions
            ],
            "uploaded_files": [{"filename": u.filename, "uploaded_at": when(u.uploaded_at), "size": u.size} for u in uploads],
        }
    }
