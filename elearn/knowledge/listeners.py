"""RODO for the knowledge base: what a person added (proposals with their notes and review reasons, resources they
published) is exported with their data; erasure deletes their proposals that were never published and unlinks them
from published resources, which stay as platform content."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import PUBLISHED, Resource, Version
from .services.extraction import upload_dir


def _added_by(session, user_id: int) -> list[Resource]:
    stmt = select(Resource).where(Resource.user_id == user_id).options(selectinload(Resource.versions)).order_by(Resource.id)
    return list(session.scalars(stmt))


def collect(user, **_kwargs) -> dict:
    return {
        "knowledge_base": [
            {
                "title": r.title,
                "status": r.status,
                "added_at": r.created_at.isoformat() + "Z",
                "proposal_note": r.proposal_note,
                "review_reason": r.review_reason,
                "files": [v.filename for v in r.versions],
            }
            for r in _added_by(db.session, user.id)
        ]
    }


def erase(user, *, session, **_kwargs) -> None:
    root = upload_dir(current_app.instance_path).resolve()
    for resource in _added_by(session, user.id):
        if resource.status == PUBLISHED:
            resource.user_id, resource.proposal_note = None, None
            continue
        for version in resource.versions:
            path = (root / version.stored_name).resolve()
            if path.is_relative_to(root) and path.exists():
                path.unlink()
        session.delete(resource)
    for model, column in ((Version, Version.uploaded_by_id), (Resource, Resource.reviewed_by_id)):
        session.execute(update(model).where(column == user.id).values({column.key: None}).execution_options(synchronize_session=False))
    session.flush()
