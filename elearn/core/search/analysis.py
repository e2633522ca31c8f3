"""Polish text analysis for search: words → lemmas (Morfeusz 2) plus an unaccented form of each.

The index holds one canonical lemma per word, so phrases stay contiguous; a query word matches any of its possible
lemmas ("rady" → rada or rad), so an ambiguous word in the query still finds every form of the lexeme it may mean.
A query word typed without Polish letters ("soleckiego") is also looked up with its letters restored
("sołeckiego") and matched against the unaccented column, because people type without diacritics on phones.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
# ł/Ł are letters of their own, not l with a combining accent, so NFKD leaves them alone: map them explicitly.
_EXTRA_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D"})
# Which Polish letters an ASCII letter may stand for when typed without diacritics.
_RESTORE = {"a": "ą", "c": "ć", "e": "ę", "l": "ł", "n": "ń", "o": "ó", "s": "ś", "z": "żź"}
_MAX_RESTORED = 3  # letters restored per word: Polish words rarely carry more, and it bounds the work per query
# Words the dictionary lacks are mostly recent loanwords of a few productive patterns ("deinstytucjonalizacja",
# "facylitacji", "sieciowania"); their case endings are stripped by these rules (longest first), so every form of
# such a word still meets the others. Applied to unknown words only, at indexing and at query time alike.
_UNKNOWN_ENDINGS = sorted(
    [(f"{c}j{e}", f"{c}ja") for c in "csz" for e in ("ami", "ach", "om", "i", "ą", "ę", "e")]
    + [(f"ator{e}", "ator") for e in ("ami", "ach", "om", "ów", "owi", "em", "ze", "zy", "a", "y")]
    + [(f"owani{e}", "owanie") for e in ("a", "u", "em", "ach", "ami", "om")]
    + [("owań", "owanie")],
    key=lambda rule: -len(rule[0]),
)
# Tag classes preferred as the canonical lemma: a noun over an adjective over a gerund's verb, and so on.
_TAG_RANK = {"subst": 0, "adj": 1, "ger": 2, "adv": 3, "ign": 9}


def unaccent(text: str) -> str:
    """'Sołecki fundusz' -> 'Solecki fundusz' (combining accents dropped, ł mapped)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_ASCII))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def unaccent_term(term: str) -> str:
    """unaccent() of one term, remembered: ranking and highlighting ask for the same terms again and again."""
    return unaccent(term)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text or "")


def word_spans(text: str) -> Iterator[re.Match]:
    return WORD_RE.finditer(text or "")


@dataclass(frozen=True)
class WordAnalysis:
    canonical: str  # the lemma the index stores for this word
    lemmas: frozenset[str]  # every lemma the word may have (the canonical one included)


# --- analysers: a word (any case) → WordAnalysis ------------------------------------------------------------


def _morfeusz() -> Callable[[str], WordAnalysis]:
    import morfeusz2

    engine = morfeusz2.Morfeusz(generate=False, expand_tags=False)

    def analyse(word: str) -> WordAnalysis:
        # Lower case first, so a word means the same at the start of a sentence ("Źródła" is also a village);
        # the word as written only when lower case is unknown (proper names).
        lower = word.lower()
        found = engine.analyse(lower)
        if word != lower and all(tag == "ign" for _s, _e, (_o, _l, tag, *_r) in found):
            found = engine.analyse(word)
        candidates: list[tuple[tuple, str]] = []
        for start, _end, (_orth, lemma, tag, *_rest) in found:
            if start != 0:
                continue  # agglutinated endings ("-by", "-m") are not what the word is about
            base = lemma.split(":", 1)[0].lower() if tag != "ign" else lower
            prefix = len(_common_prefix(base, lower))
            candidates.append(((_TAG_RANK.get(tag.split(":", 1)[0], 5), -prefix, -len(base), base), base))
        if not candidates or all(base == lower and key[0] == _TAG_RANK["ign"] for key, base in candidates):
            guessed = _guess_unknown(lower)
            return WordAnalysis(guessed, frozenset({guessed}))
        candidates.sort()
        return WordAnalysis(candidates[0][1], frozenset(base for _key, base in candidates))

    return analyse


def _guess_unknown(word: str) -> str:
    for ending, lemma_ending in _UNKNOWN_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + lemma_ending
    return word


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def _identity() -> Callable[[str], WordAnalysis]:
    """Word forms as typed (lower-cased): the baseline the analysers are measured against."""
    return lambda word: WordAnalysis(word.lower(), frozenset({word.lower()}))


def _stempel() -> Callable[[str], WordAnalysis]:
    from pystempel import Stemmer

    stemmer = Stemmer.polimorf()

    def analyse(word: str) -> WordAnalysis:
        stem = (stemmer(word.lower()) or word).lower()
        return WordAnalysis(stem, frozenset({stem}))

    return analyse


def _simplemma() -> Callable[[str], WordAnalysis]:
    import simplemma

    def analyse(word: str) -> WordAnalysis:
        lemma = simplemma.lemmatize(word.lower(), lang="pl").lower()
        return WordAnalysis(lemma, frozenset({lemma}))

    return analyse


ANALYSERS: dict[str, Callable[[], Callable[[str], WordAnalysis]]] = {
    "morfeusz2": _morfeusz,
    "pystempel": _stempel,
    "simplemma": _simplemma,
    "none": _identity,
}
DEFAULT_ANALYSER = "morfeusz2"
_state: dict[str, object] = {"name": DEFAULT_ANALYSER, "fn": None}


def use_analyser(name: str) -> None:
    """Switch the analyser (the comparison in bench/ does; the application always uses the default)."""
    if name not in ANALYSERS:
        raise ValueError(f"unknown analyser {name!r}")
    _state.update(name=name, fn=None)
    analyse_word.cache_clear()
    known_word.cache_clear()


def analyser_name() -> str:
    return str(_state["name"])


@lru_cache(maxsize=200_000)
def analyse_word(word: str) -> WordAnalysis:
    if _state["fn"] is None:
        _state["fn"] = ANALYSERS[analyser_name()]()
    return _state["fn"](word)  # type: ignore[operator]


@lru_cache(maxsize=50_000)
def known_word(word: str) -> bool:
    """Whether the analyser recognises the word (used to restore diacritics); only Morfeusz can tell."""
    if analyser_name() != "morfeusz2":
        return False
    return any(tag != "ign" for _s, _e, (_o, _l, tag, *_r) in _known_engine().analyse(word))


@lru_cache(maxsize=1)
def _known_engine():
    import morfeusz2

    return morfeusz2.Morfeusz(generate=False, expand_tags=False)


# --- documents and queries -----------------------------------------------------------------------------------


def index_terms(text: str) -> tuple[str, str]:
    """(lemmas, unaccented lemmas) of a text, one term per word, in order, space-separated."""
    lemmas = [analyse_word(w).canonical for w in words(text)]
    return " ".join(lemmas), unaccent(" ".join(lemmas))


def restored_forms(word: str) -> list[str]:
    """Spellings with Polish letters that the analyser knows, for a word typed in plain ASCII ('solecki' →
    ['sołecki']); [] for a word that already has Polish letters."""
    lower = word.lower()
    if not lower.isascii():
        return []
    positions = [i for i, ch in enumerate(lower) if ch in _RESTORE]
    found = []
    for count in range(1, min(_MAX_RESTORED, len(positions)) + 1):
        for chosen in itertools.combinations(positions, count):
            for letters in itertools.product(*(_RESTORE[lower[i]] for i in chosen)):
                chars = list(lower)
                for i, letter in zip(chosen, letters, strict=True):
                    chars[i] = letter
                candidate = "".join(chars)
                if known_word(candidate):
                    found.append(candidate)
    return found


@dataclass(frozen=True)
class QueryWord:
    text: str
    lemmas: frozenset[str]  # match these in the lemma columns
    plain: frozenset[str]  # match these in the unaccented columns (only for words typed without Polish letters)
    canonical: str  # the lemma the index would store for this word (for phrases)
    plain_canonical: str  # the same, unaccented, after restoring Polish letters to an unknown ASCII word


def analyse_query_word(word: str) -> QueryWord:
    analysis = analyse_word(word)
    plain: set[str] = set()
    plain_canonical = unaccent(analysis.canonical)
    if word.isascii():
        plain = {unaccent(lemma) for lemma in analysis.lemmas}
        restored = restored_forms(word)
        for form in restored:
            plain |= {unaccent(lemma) for lemma in analyse_word(form).lemmas}
        if restored and not known_word(word):
            plain_canonical = unaccent(analyse_word(restored[0]).canonical)
    return QueryWord(word, analysis.lemmas, frozenset(plain), analysis.canonical, plain_canonical)
