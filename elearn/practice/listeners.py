"""RODO for practical assignments: a person's submissions are exported with their data and erased with them."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Submission, SubmissionVersion
from .services import upload_dir


def _submissions(session, user_id: int) -> list[Submission]:
    return list(
        session.scalars(
            select(Submission)
            .where(Submission.user_id == user_id)
            .options(selectinload(Submission.versions).selectinload(SubmissionVersion.files))
            .order_by(Submission.id)
        )
    )


def collect(user, **_kwargs) -> dict:
    return {
        "practical_assignments": [
            {
                "assignment": f"{s.course.slug}/{s.module_key}/{s.assignment_key}",
                "title": s.title,
                "status": s.status,
                "attempts": [
                    {
                        "number": v.number,
                        "text": v.text,
                        "files": [f.name for f in v.files],
                        "submitted_at": v.submitted_at.isoformat() + "Z" if v.submitted_at else None,
                        "decision": v.decision,
                        "criteria": v.criteria,
                        "feedback": v.feedback,
                    }
                    for v in s.versions
                ],
            }
            for s in _submissions(db.session, user.id)
        ]
    }


def erase(user, *, session, **_kwargs) -> None:
    """Delete the person's submissions, attempts and files; evidence they earned stays (without notes, see competencies)."""
    root = upload_dir(current_app.instance_path).resolve()
    for submission in _submissions(session, user.id):
        for version in submission.versions:
            for row in version.files:
                path = (root / row.path).resolve()
                if path.is_relative_to(root) and path.exists():
                    path.unlink()
        session.delete(submission)
    session.flush()
