"""Indexing and searching: documents of every registered kind in one index, queried by lemma.

A query is parsed into words and "quoted phrases"; every part must match (several words mean all of them). The
database finds the candidates (FTS5 / tsvector), then results are ranked here: all words in the title first, then
the words as an exact phrase, then the database's own score; the viewer's permissions are applied per kind.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import and_, delete, func, literal_column, select, true
from sqlalchemy.orm import Session, load_only

from ..db import TermGroup, search_index_delete, search_index_match, search_index_put
from ..pagination import PageNumbers
from .analysis import QueryWord, analyse_query_word, analyse_word, index_terms, unaccent_term, word_spans, words
from .models import SearchEntry
from .registry import Document, Hit, kinds

MAX_QUERY_WORDS = 12
MAX_CANDIDATES = 1000
FRAGMENT_WORDS = 30
_PHRASE_RE = re.compile(r'"([^"]*)"')
_QUOTES = str.maketrans({"„": '"', "”": '"', "“": '"', "«": '"', "»": '"'})  # phones type Polish quotation marks


# --- indexing ------------------------------------------------------------------------------------------------


def index_document(session: Session, document: Document) -> SearchEntry:
    """Put one document into the index, replacing the earlier one of the same (kind, key)."""
    entry = session.scalar(select(SearchEntry).where(SearchEntry.kind == document.kind, SearchEntry.key == document.key))
    if entry is None:
        entry = SearchEntry(kind=document.kind, key=document.key)
        session.add(entry)
    title_terms, title_plain = index_terms(document.title)
    body_terms, body_plain = index_terms(document.body)
    entry.title, entry.body, entry.url, entry.context = document.title[:300], document.body, document.url, document.context[:300]
    entry.course_id, entry.role, entry.institution_id = document.course_id, document.role, document.institution_id
    entry.attrs = dict(document.attrs)
    entry.title_terms, entry.body_terms = title_terms, body_terms
    session.flush()
    search_index_put(session, entry.id, title_terms, body_terms, title_plain, body_plain)
    return entry


def remove_document(session: Session, kind: str, key: str) -> None:
    remove_documents(session, kind, keys=[key])


def remove_documents(session: Session, kind: str, *, keys: Iterable[str] | None = None, course_id: int | None = None) -> int:
    """Remove a kind's documents: the given keys, those of one course, or (neither given) all of them."""
    condition = SearchEntry.kind == kind
    if keys is not None:
        condition = and_(condition, SearchEntry.key.in_(list(keys)))
    if course_id is not None:
        condition = and_(condition, SearchEntry.course_id == course_id)
    ids = list(session.scalars(select(SearchEntry.id).where(condition)))
    if ids:
        search_index_delete(session, ids)
        session.execute(delete(SearchEntry).where(SearchEntry.id.in_(ids)).execution_options(synchronize_session=False))
    return len(ids)


def replace_documents(session: Session, kind: str, documents: Iterable[Document], *, course_id: int | None = None) -> int:
    """Make the index hold exactly these documents of a kind (of one course, when given): the incremental step
    a domain calls after publishing or loading content."""
    documents = list(documents)
    keep = {d.key for d in documents}
    condition = SearchEntry.kind == kind
    if course_id is not None:
        condition = and_(condition, SearchEntry.course_id == course_id)
    stale = [key for key in session.scalars(select(SearchEntry.key).where(condition)) if key not in keep]
    if stale:
        remove_documents(session, kind, keys=stale)
    for document in documents:
        index_document(session, document)
    return len(documents)


def reindex(session: Session, names: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the index of the given kinds (all registered by default) from their domains; {kind: documents}."""
    selected = [k for k in kinds() if names is None or k.name in set(names)]
    return {kind.name: replace_documents(session, kind.name, kind.documents(session)) for kind in selected}


# --- queries -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[QueryWord, ...]
    phrases: tuple[tuple[QueryWord, ...], ...]

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases

    def groups(self) -> list[TermGroup]:
        groups = [TermGroup(tuple((lemma,) for lemma in sorted(w.lemmas)), tuple((p,) for p in sorted(w.plain))) for w in self.words]
        for phrase in self.phrases:
            lemma_phrase = tuple(w.canonical for w in phrase)
            plain = (tuple(w.plain_canonical for w in phrase),) if all(w.text.isascii() for w in phrase) else ()
            groups.append(TermGroup((lemma_phrase,), plain))
        return groups

    def all_words(self) -> list[QueryWord]:
        return [*self.words, *(w for phrase in self.phrases for w in phrase)]


def parse_query(query: str) -> ParsedQuery:
    """Quoted parts are phrases, the rest single words; punctuation is ignored and never an error."""
    query = (query or "")[:500].translate(_QUOTES)
    phrases = []
    budget = MAX_QUERY_WORDS
    for quoted in _PHRASE_RE.findall(query):
        found = words(quoted)[:budget]
        budget -= len(found)
        if len(found) == 1:
            query += " " + found[0]
        elif found:
            phrases.append(tuple(analyse_query_word(w) for w in found))
    rest = words(_PHRASE_RE.sub(" ", query).replace('"', " "))[:budget]
    seen: set[str] = set()
    unique = [w for w in rest if not (w.lower() in seen or seen.add(w.lower()))]
    return ParsedQuery(tuple(analyse_query_word(w) for w in unique), tuple(phrases))


@dataclass
class SearchResults(PageNumbers):
    query: ParsedQuery
    hits: list[Hit]  # this page, best first
    total: int  # results after the kind filter
    counts: dict[str, int]  # per kind, before the kind filter
    page: int
    pages: int
    suggestion: str | None = None
    groups: list[tuple[Any, list[Hit]]] = field(default_factory=list)  # (kind, its hits on this page)


def search(
    session: Session,
    viewer: Any,
    query: str,
    *,
    kind: str | None = None,
    role: str | None = None,
    course_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
    suggest: bool = True,
) -> SearchResults:
    """What `viewer` may see matching `query`, filtered and paginated; a spelling suggestion when nothing matches."""
    parsed = parse_query(query)
    ranked = _visible(session, viewer, parsed, role=role, course_id=course_id)
    counts = Counter(h.kind for h in ranked)
    selected = [h for h in ranked if kind is None or h.kind == kind]
    pages = max(1, -(-len(selected) // per_page))
    page = min(max(page, 1), pages)
    page_hits = _highlighted(session, selected[(page - 1) * per_page : page * per_page], parsed)
    groups = []
    for registered in kinds():
        group = [h for h in page_hits if h.kind == registered.name]
        if group:
            groups.append((registered, group))
    suggestion = None
    if suggest and not ranked and not parsed.empty:
        suggestion = suggest_query(session, viewer, query, role=role, course_id=course_id)
    return SearchResults(parsed, page_hits, len(selected), dict(counts), page, pages, suggestion, groups)


def search_ids(session: Session, query: str, *, kinds_: Iterable[str], role: str | None = None) -> list[tuple[str, str, int | None]]:
    """(kind, key, course_id) of matching documents of these kinds, best first, without permission filtering: for
    domains that filter by their own rules (the course catalogue)."""
    parsed = parse_query(query)
    return [(h.kind, h.key, h.course_id) for h in _ranked(session, parsed, role=role, course_id=None, kinds_=set(kinds_))]


def _visible(session: Session, viewer: Any, parsed: ParsedQuery, *, role, course_id) -> list[Hit]:
    ranked = _ranked(session, parsed, role=role, course_id=course_id, kinds_=None)
    allowed: dict[int, Hit] = {}  # the permission function may also adjust a hit (e.g. drop a link the viewer can't open)
    for registered in kinds():
        of_kind = [h for h in ranked if h.kind == registered.name]
        if of_kind:
            allowed.update((h.id, h) for h in registered.visible(session, viewer, of_kind))
    return [allowed[h.id] for h in ranked if h.id in allowed]


def _ranked(session: Session, parsed: ParsedQuery, *, role, course_id, kinds_: set[str] | None) -> list[Hit]:
    if parsed.empty:
        return []
    table = literal_column("search_documents.kind")
    where = true()
    if kinds_ is not None:
        where = and_(where, table.in_(sorted(kinds_)))
    if role:
        where = and_(where, literal_column("search_documents.role") == role)
    if course_id is not None:
        where = and_(where, literal_column("search_documents.course_id") == course_id)
    scored = search_index_match(session, parsed.groups(), where, limit=MAX_CANDIDATES)
    if not scored:
        return []
    columns = [SearchEntry.body_terms] if len(parsed.words) > 1 else []  # the long text only when a phrase may rank
    loaded = select(SearchEntry).options(load_only(*_HIT_COLUMNS, *columns)).where(SearchEntry.id.in_([i for i, _s in scored]))
    entries = {e.id: e for e in session.scalars(loaded)}
    keyed = []
    for position, (doc_id, _score) in enumerate(scored):
        entry = entries.get(doc_id)
        if entry is None:
            continue
        title_terms = entry.title_terms.split()
        in_title = _all_in(parsed, title_terms)
        as_phrase = len(parsed.words) > 1 and (
            _has_phrase(title_terms, parsed.words) or _has_phrase(entry.body_terms.split(), parsed.words)
        )
        keyed.append(((not in_title, not as_phrase, position), _hit(entry)))
    keyed.sort(key=lambda pair: pair[0])
    return [hit for _key, hit in keyed]


_HIT_COLUMNS = (
    SearchEntry.kind, SearchEntry.key, SearchEntry.title, SearchEntry.url, SearchEntry.context, SearchEntry.course_id,
    SearchEntry.role, SearchEntry.institution_id, SearchEntry.attrs, SearchEntry.title_terms,
)  # fmt: skip


def _all_in(parsed: ParsedQuery, terms: list[str]) -> bool:
    lemmas, plain = set(terms), {unaccent_term(t) for t in terms}
    for w in parsed.words:
        if not (w.lemmas & lemmas or w.plain & plain):
            return False
    return all(_has_phrase(terms, phrase) for phrase in parsed.phrases)


def _has_phrase(terms: list[str], phrase) -> bool:
    """The words in this order, by lemma, or (typed without Polish letters) by unaccented lemma."""
    if _contains(terms, [w.canonical for w in phrase]):
        return True
    return all(w.text.isascii() for w in phrase) and _contains([unaccent_term(t) for t in terms], [w.plain_canonical for w in phrase])


def _contains(terms: list[str], sequence: list[str]) -> bool:
    n = len(sequence)
    return n > 0 and any(terms[i : i + n] == sequence for i in range(len(terms) - n + 1))


def _hit(entry: SearchEntry) -> Hit:
    return Hit(
        id=entry.id, kind=entry.kind, key=entry.key, title=entry.title, url=entry.url, context=entry.context,
        course_id=entry.course_id, role=entry.role, institution_id=entry.institution_id, attrs=dict(entry.attrs or {}),
    )  # fmt: skip


# --- highlighting --------------------------------------------------------------------------------------------


def _term_matcher(parsed: ParsedQuery):
    """term (a canonical lemma) -> whether it answers a word of the query."""
    lemmas: set[str] = set()
    plain: set[str] = set()
    for w in parsed.all_words():
        lemmas |= w.lemmas
        plain |= w.plain

    def matches(term: str) -> bool:
        return term in lemmas or (bool(plain) and unaccent_term(term) in plain)

    return matches


def highlight(text: str, parsed: ParsedQuery, *, window: int | None = None, terms: list[str] | None = None) -> Markup:
    """The text (or its best `window` words) escaped, with the words matching the query wrapped in <mark>.
    `terms` are the text's stored lemmas, one per word, which saves analysing the text again."""
    matches = _term_matcher(parsed)
    if terms is None:
        terms = [analyse_word(w).canonical for w in words(text)]
    flags = [matches(t) for t in terms]
    first, last = 0, len(flags)
    if window is not None and len(flags) > window:
        best = count = sum(flags[:window])
        for i in range(1, len(flags) - window + 1):
            count += flags[i + window - 1] - flags[i - 1]
            if count > best:
                best, first = count, i
        if best:  # start a few words before the first match, so it is read in context
            lead = flags.index(True, first)
            first = max(0, min(lead - window // 4, len(flags) - window))
        last = first + window
    spans = list(itertools.islice(word_spans(text), last))
    if not spans:
        return escape(text)
    if len(spans) < last:  # stored terms of another text (cannot happen unless edited by hand): analyse afresh
        return highlight(text, parsed, window=window)
    out = [Markup("… ") if first > 0 else Markup("")]
    cursor = spans[first].start() if first > 0 else 0
    for span, flag in zip(spans[first:last], flags[first:last], strict=True):
        out.append(escape(text[cursor : span.start()]))
        out.append(Markup("<mark>{}</mark>").format(span.group()) if flag else escape(span.group()))
        cursor = span.end()
    more = last < len(flags)
    out.append(escape(text[cursor : spans[-1].end() if more else len(text)]))
    if more:
        out.append(Markup(" …"))
    return Markup("").join(out)


def _highlighted(session: Session, hits: list[Hit], parsed: ParsedQuery) -> list[Hit]:
    columns = (SearchEntry.id, SearchEntry.body, SearchEntry.body_terms, SearchEntry.title_terms)
    stored = {row.id: row for row in session.execute(select(*columns).where(SearchEntry.id.in_([h.id for h in hits])))}
    out = []
    for hit in hits:
        row = stored.get(hit.id)
        body, body_terms, title_terms = (row.body, row.body_terms.split(), row.title_terms.split()) if row else ("", [], [])
        title_html = highlight(hit.title, parsed, terms=title_terms)
        out.append(replace(hit, title_html=title_html, fragment_html=highlight(body, parsed, window=FRAGMENT_WORDS, terms=body_terms)))
    return out


# --- suggestions ---------------------------------------------------------------------------------------------

_vocabulary_cache: dict[tuple, list[str]] = {}


def vocabulary(session: Session) -> list[str]:
    """Distinct words (lower case, 3+ letters) of the indexed titles and texts: what a suggestion may offer."""
    stamp = tuple(session.execute(select(func.count(SearchEntry.id), func.max(SearchEntry.updated_at), func.max(SearchEntry.id))).one())
    if stamp not in _vocabulary_cache:
        found: set[str] = set()
        for title, body in session.execute(select(SearchEntry.title, SearchEntry.body)):
            found.update(w.lower() for w in words(f"{title} {body}") if len(w) >= 3 and not w.isdigit())
        _vocabulary_cache.clear()
        _vocabulary_cache[stamp] = sorted(found)
    return _vocabulary_cache[stamp]


def suggest_query(session: Session, viewer: Any, query: str, *, role=None, course_id=None) -> str | None:
    """The query with each unknown word replaced by the closest indexed word, if that finds something."""
    from rapidfuzz import fuzz, process

    vocab = vocabulary(session)
    known = set(vocab)
    changed = False
    out = []
    for word in words(query)[:MAX_QUERY_WORDS]:
        lower = word.lower()
        if lower in known or len(lower) < 3:
            out.append(lower)
            continue
        best = process.extractOne(lower, vocab, scorer=fuzz.ratio, score_cutoff=75)
        if best and best[0] != lower:
            out.append(best[0])
            changed = True
        else:
            out.append(lower)
    if not changed:
        return None
    suggestion = " ".join(out)
    return suggestion if _visible(session, viewer, parse_query(suggestion), role=role, course_id=course_id) else None
