"""What the knowledge base puts into the platform's one search: published resources, with the text of their
current document version, so a phrase that appears only inside an uploaded PDF finds the resource."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...core import search
from ...courses.services.search_documents import plain_text
from ..models import ARTICLE, PUBLISHED, TYPE_LABELS, Resource

KIND = "knowledge"


def resource_document(resource: Resource) -> search.Document:
    current = resource.current
    parts = [resource.summary or ""]
    if resource.format == ARTICLE:
        parts.append(plain_text(resource.body))
    if current is not None and current.text:
        parts.append(current.text)
    roles = resource.roles
    context = " · ".join(p for p in (str(TYPE_LABELS[resource.type]), resource.source) if p)
    return search.Document(
        kind=KIND, key=str(resource.id), title=resource.title, body=" ".join(p for p in parts if p), context=context,
        role=roles[0] if len(roles) == 1 else None, url=search.path_for("knowledge.resource", resource_id=resource.id),
        attrs={"type": resource.type, "topics": resource.topics},
    )  # fmt: skip


def index_resource(session: Session, resource: Resource) -> None:
    """Keep the index in step with one resource: published ones are in it, anything else is not."""
    if resource.status == PUBLISHED:
        search.index_document(session, resource_document(resource))
    else:
        search.remove_document(session, KIND, str(resource.id))


def all_documents(session: Session) -> Iterator[search.Document]:
    stmt = (
        select(Resource)
        .where(Resource.status == PUBLISHED)
        .options(selectinload(Resource.versions), selectinload(Resource.tags))
        .order_by(Resource.id)
    )
    for resource in session.scalars(stmt):
        yield resource_document(resource)
