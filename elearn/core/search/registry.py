"""The registry of searchable kinds: each domain says what it puts into the one search index and who may see it.

How a domain registers a kind (at the bottom of its blueprint.py, like menu entries)::

    from elearn.core import search

    search.register_kind(search.SearchKind(
        name="events",                                # also the filter value in /search?kind=events
        label=_l("Events"),                           # heading of the result group (plural)
        documents=all_event_documents,                # (session) -> iterable of search.Document, for reindexing
        visible=events_visible_to,                    # (session, viewer, [search.Hit]) -> the hits viewer may see
        order=40,                                     # position of the group on the results page
    ))

…and keeps the index current from its services whenever content changes (same transaction, no commit)::

    search.index_document(session, search.Document(kind="events", key=str(event.id), title=..., body=..., url=...))
    search.remove_document(session, "events", str(event.id))
    search.remove_documents(session, "lesson", course_id=course.id)   # everything of a kind for one course

Index only what may be shown (published, not hidden); the permission function filters what depends on the viewer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Document:
    """What a domain hands to the index. `body` is plain text (no Markdown or HTML)."""

    kind: str
    key: str
    title: str
    url: str
    body: str = ""
    context: str = ""
    course_id: int | None = None
    role: str | None = None
    institution_id: int | None = None
    attrs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """One search result as the permission functions and templates see it."""

    id: int
    kind: str
    key: str
    title: str
    url: str
    context: str
    course_id: int | None
    role: str | None
    institution_id: int | None
    attrs: dict
    title_html: str = ""  # escaped, matches wrapped in <mark>
    fragment_html: str = ""


def everyone(session: Session, viewer: Any, hits: list[Hit]) -> list[Hit]:  # noqa: ARG001 - permission signature
    """The permission function of kinds any logged-in person may read."""
    return hits


@dataclass(frozen=True)
class SearchKind:
    name: str
    label: Any  # lazy string, plural
    documents: Callable[[Session], Iterable[Document]] = field(compare=False)
    visible: Callable[[Session, Any, list[Hit]], list[Hit]] = field(default=everyone, compare=False)
    order: int = 50


_kinds: dict[str, SearchKind] = {}


def register_kind(kind: SearchKind) -> None:
    _kinds[kind.name] = kind


def kinds() -> list[SearchKind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.name))


def get_kind(name: str) -> SearchKind | None:
    return _kinds.get(name)


def path_for(endpoint: str, **values: Any) -> str:
    """The path of a page for a document's url, also outside a request (sync and load run from the CLI)."""
    from flask import current_app, has_request_context, url_for

    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return url_for(endpoint, **values)


# Choices of the platform-wide filters ("role", "course"), contributed by the domain that owns them:
# provider(session) -> [(value, label)]; the search page offers them and filters documents by the same value.
_filter_choices: dict[str, Callable[[Session], list[tuple[str, Any]]]] = {}
FILTERS = ("role", "course")


def register_filter_choices(name: str, provider: Callable[[Session], list[tuple[str, Any]]]) -> None:
    if name not in FILTERS:
        raise ValueError(f"search filters are {FILTERS}, not {name!r}")
    _filter_choices[name] = provider


def filter_choices(session: Session, name: str) -> list[tuple[str, Any]]:
    provider = _filter_choices.get(name)
    return provider(session) if provider else []
