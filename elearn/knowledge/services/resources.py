"""Resources of the knowledge base: publishing, proposing and reviewing, document versions, who may see what,
and the lists the pages show.

Trainers and ROPS staff (the issuer role) publish; anyone else who adds a resource proposes it, and it stays
visible only to its proposer and to staff until a member of staff accepts it (or rejects it with a reason).
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, exists, func, select
from sqlalchemy.orm import Session, selectinload

from ...core import search
from ...core.audit import audit
from ...core.errors import DomainError
from ...core.files import check_upload
from ...core.notifications import notify, path_for
from ...core.pagination import PageNumbers
from ...core.roles import ISSUER, TRAINER
from ...core.timeutil import utcnow
from ..models import (
    ARTICLE,
    COMPETENCE,
    DOCUMENT,
    LINK,
    PENDING,
    PROPOSED,
    PUBLISHED,
    REJECTED,
    ROLE,
    TOPIC,
    Resource,
    Tag,
    Version,
)
from ..notifications import ACCEPTED, REJECTED_KIND
from .extraction import queue_after_commit, upload_dir
from .search_documents import KIND, index_resource

STAFF = (TRAINER, ISSUER)
FILE_TYPES_KEY, FILE_LIMIT_KEY = "KNOWLEDGE_FILE_TYPES", "KNOWLEDGE_FILE_MAX_BYTES"
PAGE_SIZE = 20


class KnowledgeError(DomainError):
    """A knowledge-base rule refused the action."""


@dataclass
class ResourceData:
    """What a form gives the services (the same for publishing, proposing and editing)."""

    format: str
    type: str
    title: str
    summary: str = ""
    body: str = ""
    url: str = ""
    source: str = ""
    licence: str = ""
    published_on: date | None = None
    valid_until: date | None = None
    unit_id: int | None = None
    topics: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    competences: list[str] = field(default_factory=list)


# --- who may do what -------------------------------------------------------------------------------------------


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*STAFF)


def may_view(user, resource: Resource) -> bool:
    """Published resources are for everyone logged in; a proposal only for its proposer and for staff."""
    return resource.status == PUBLISHED or is_staff(user) or (resource.user_id is not None and resource.user_id == user.id)


def viewable(session: Session, user, resource_id: int) -> Resource | None:
    resource = session.get(Resource, resource_id)
    return resource if resource is not None and may_view(user, resource) else None


def _require_staff(user) -> None:
    if not is_staff(user):
        raise KnowledgeError(_l("Only trainers and ROPS staff can do this."))


# --- publishing, proposing, editing ----------------------------------------------------------------------------


def _check(session: Session, data: ResourceData, *, has_file: bool) -> None:
    from ...competencies.services.framework import unknown_codes

    errors = []
    if data.format == LINK and not data.url:
        errors.append(_l("A link needs its address."))
    if data.url and urlsplit(data.url).scheme.lower() not in ("http", "https"):  # never javascript: and the like
        errors.append(_l("Give a full address starting with https://."))
    if data.format == ARTICLE and not data.body.strip():
        errors.append(_l("An article needs its text."))
    if data.format == DOCUMENT and not has_file:
        errors.append(_l("A document needs a file."))
    if data.valid_until and data.published_on and data.valid_until < data.published_on:
        errors.append(_l("“Valid until” cannot be earlier than the publication date."))
    unknown = unknown_codes(session, data.competences)
    if unknown:
        errors.append(_l("Unknown competence codes: %(codes)s.", codes=", ".join(unknown)))
    if errors:
        raise KnowledgeError(*errors)


def _apply(resource: Resource, data: ResourceData) -> None:
    for name in ("format", "type", "title", "summary", "body", "url", "source", "licence", "published_on", "valid_until", "unit_id"):
        setattr(resource, name, getattr(data, name))
    if data.format != ARTICLE:
        resource.body = ""
    wanted = {(TOPIC, v) for v in data.topics} | {(ROLE, v) for v in data.roles} | {(COMPETENCE, v) for v in data.competences}
    resource.tags = [t for t in resource.tags if (t.kind, t.value) in wanted]
    present = {(t.kind, t.value) for t in resource.tags}
    resource.tags.extend(Tag(kind=kind, value=value) for kind, value in sorted(wanted - present))


def _add_version(session: Session, resource: Resource, *, filename: str, data: bytes, user_id: int, change_summary: str,
                 instance_path: str) -> Version:  # fmt: skip
    upload = check_upload(data, types_key=FILE_TYPES_KEY, limit_key=FILE_LIMIT_KEY, filename=filename)
    folder = upload_dir(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{upload.kind}"
    (folder / stored).write_bytes(data)
    number = max((v.number for v in resource.versions), default=0) + 1
    version = Version(
        number=number, filename=filename.replace("/", "_").replace("\\", "_")[-255:], stored_name=stored, file_type=upload.kind,
        size=len(data), change_summary=change_summary.strip()[:300], extraction=PENDING, uploaded_by_id=user_id,
    )  # fmt: skip
    resource.versions.append(version)
    session.flush()
    queue_after_commit(session, version.id)
    return version


def create_resource(session: Session, *, user, data: ResourceData, file: tuple[str, bytes] | None = None, proposal_note: str = "",
                    instance_path: str) -> Resource:  # fmt: skip
    """Staff publish at once; anyone else proposes (waiting for review). The file, if any, becomes version 1."""
    _check(session, data, has_file=file is not None)
    staff = is_staff(user)
    resource = Resource(
        status=PUBLISHED if staff else PROPOSED, user_id=user.id, proposal_note=None if staff else (proposal_note.strip() or None)
    )
    if staff:
        resource.published_at = utcnow()
    _apply(resource, data)
    session.add(resource)
    session.flush()
    if file is not None and data.format == DOCUMENT:
        _add_version(session, resource, filename=file[0], data=file[1], user_id=user.id, change_summary="", instance_path=instance_path)
    index_resource(session, resource)
    if staff:
        audit(session, "knowledge.publish", actor_id=user.id, target=resource, title=resource.title)
    return resource


def update_resource(session: Session, resource: Resource, *, user, data: ResourceData) -> Resource:
    """Staff correct a resource's description; a proposal may be corrected before it is accepted."""
    _require_staff(user)
    _check(session, data, has_file=bool(resource.versions))
    _apply(resource, data)
    session.flush()
    index_resource(session, resource)
    audit(session, "knowledge.edit", actor_id=user.id, target=resource, title=resource.title)
    return resource


def add_version(session: Session, resource: Resource, *, user, filename: str, data: bytes, change_summary: str,
                instance_path: str) -> Version:  # fmt: skip
    """A new file of a document: it becomes current and the previous one is kept, marked as superseded."""
    _require_staff(user)
    if resource.format != DOCUMENT:
        raise KnowledgeError(_l("Only documents have file versions."))
    version = _add_version(session, resource, filename=filename, data=data, user_id=user.id, change_summary=change_summary,
                           instance_path=instance_path)  # fmt: skip
    index_resource(session, resource)
    audit(session, "knowledge.new_version", actor_id=user.id, target=resource, number=version.number)
    return version


def review(session: Session, resource: Resource, *, reviewer, accept: bool, reason: str = "") -> Resource:
    """Accept a proposal (it is published) or reject it with a reason; the proposer is told either way."""
    _require_staff(reviewer)
    if resource.status != PROPOSED:
        raise KnowledgeError(_l("This resource is not waiting for a review."))
    if resource.user_id == reviewer.id:
        raise KnowledgeError(_l("You cannot review your own proposal."))
    reason = reason.strip()
    if not accept and not reason:
        raise KnowledgeError(_l("Give the reason for rejecting the proposal."))
    now = utcnow()
    resource.status = PUBLISHED if accept else REJECTED
    resource.review_reason = None if accept else reason
    resource.reviewed_by_id, resource.reviewed_at = reviewer.id, now
    if accept:
        resource.published_at = now
    session.flush()
    index_resource(session, resource)
    if resource.user_id is not None:
        kind = ACCEPTED if accept else REJECTED_KIND
        params = {"title": resource.title, "reason": reason}
        notify(session, resource.user_id, kind, params, url=path_for("knowledge.resource", resource_id=resource.id))
    audit(session, "knowledge.review", actor_id=reviewer.id, target=resource, decision="accepted" if accept else "rejected")
    return resource


# --- lists -----------------------------------------------------------------------------------------------------


def _tagged(kind: str, values):
    return exists().where(Tag.resource_id == Resource.id, Tag.kind == kind, Tag.value.in_(list(values)))


def _with_details(stmt):
    return stmt.options(selectinload(Resource.tags), selectinload(Resource.versions), selectinload(Resource.unit))


@dataclass
class LibraryPage(PageNumbers):
    """One page of the library, in the shape the pagination macro reads."""

    items: list[Resource]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def library(session: Session, *, query: str = "", type_: str | None = None, role: str | None = None, topic: str | None = None,
            page: int = 1, per_page: int = PAGE_SIZE) -> LibraryPage:  # fmt: skip
    """Published resources matching the filters; with words, found by the platform's search and in its order."""
    conditions = [Resource.status == PUBLISHED]
    if type_:
        conditions.append(Resource.type == type_)
    if role:
        conditions.append(_tagged(ROLE, [role]))
    if topic:
        conditions.append(_tagged(TOPIC, [topic]))
    stmt = select(Resource.id).where(and_(*conditions))
    if query:
        ranked = [int(key) for _kind, key, _course in search.search_ids(session, query, kinds_=[KIND])]
        allowed = set(session.scalars(stmt.where(Resource.id.in_(ranked))))
        ids = [i for i in ranked if i in allowed]
    else:
        ids = list(session.scalars(stmt.order_by(Resource.published_on.desc().nulls_last(), Resource.title)))
    pages = max(1, -(-len(ids) // per_page))
    page = min(max(page, 1), pages)
    chosen = ids[(page - 1) * per_page : page * per_page]
    loaded = {r.id: r for r in session.scalars(_with_details(select(Resource).where(Resource.id.in_(chosen))))}
    return LibraryPage([loaded[i] for i in chosen if i in loaded], len(ids), page, per_page)


def topic_choices(session: Session) -> list[str]:
    """Topics of published resources, for the filter."""
    stmt = select(Tag.value).join(Resource).where(Tag.kind == TOPIC, Resource.status == PUBLISHED).group_by(Tag.value).order_by(Tag.value)
    return list(session.scalars(stmt))


@functools.cache
def _for_competences_statement():
    """Built once per process (the lesson page asks on every GET; building the statement with its loader options
    cost four times running it); the codes and the limit are bound at execution."""
    tagged = exists().where(Tag.resource_id == Resource.id, Tag.kind == COMPETENCE, Tag.value.in_(bindparam("codes", expanding=True)))
    stmt = select(Resource).where(Resource.status == PUBLISHED, tagged).order_by(Resource.type, Resource.title)
    return _with_details(stmt).limit(bindparam("limit"))


def for_competences(session: Session, codes, *, limit: int = 8) -> list[Resource]:
    """Published resources tagged with any of these competence codes ("Czytaj więcej"), legal acts first."""
    codes = sorted(set(codes))
    if not codes:
        return []
    return list(session.scalars(_for_competences_statement(), {"codes": codes, "limit": limit}))


def proposals_queue(session: Session) -> list[Resource]:
    stmt = select(Resource).where(Resource.status == PROPOSED).order_by(Resource.created_at, Resource.id)
    return list(session.scalars(_with_details(stmt).options(selectinload(Resource.author))))


def waiting_count(session: Session) -> int:
    return session.scalar(select(func.count(Resource.id)).where(Resource.status == PROPOSED)) or 0


def my_resources(session: Session, user_id: int) -> list[Resource]:
    """What a person added: their proposals in any state and what they published."""
    stmt = select(Resource).where(Resource.user_id == user_id).order_by(Resource.created_at.desc(), Resource.id.desc())
    return list(session.scalars(_with_details(stmt)))


def visible_version(session: Session, user, version_id: int) -> Version | None:
    version = session.get(Version, version_id)
    return version if version is not None and may_view(user, version.resource) else None
