"""One search for the whole platform: domains register kinds of documents and keep them indexed (registry.py)."""

from .analysis import unaccent
from .registry import (
    Document,
    Hit,
    SearchKind,
    everyone,
    filter_choices,
    get_kind,
    kinds,
    path_for,
    register_filter_choices,
    register_kind,
)
from .services import (
    SearchResults,
    highlight,
    index_document,
    parse_query,
    reindex,
    remove_document,
    remove_documents,
    replace_documents,
    search,
    search_ids,
    suggest_query,
)

__all__ = [
    "Document", "Hit", "SearchKind", "SearchResults", "everyone", "filter_choices", "get_kind", "highlight",
    "index_document", "kinds", "parse_query", "path_for", "register_filter_choices", "register_kind", "reindex",
    "remove_document", "remove_documents", "replace_documents", "search", "search_ids", "suggest_query", "unaccent",
]  # fmt: skip
