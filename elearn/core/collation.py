"""Polish alphabetical order for every list shown to people (institutions, users, powiaty, gminy).

Python's `sorted` compares code points, so "Bądkowo" lands after "Bytoń" and "Łódź" after "Żnin". pyuca implements
the Unicode Collation Algorithm (DUCET) in pure Python; on top of its collation elements we apply the CLDR Polish
tailoring `&A<ą &C<ć &E<ę &L<ł &N<ń &O<ó &S<ś &Z<ź<ż`: each tailored letter gets a primary weight just after its
base letter, so "ą" is a letter of its own between "a" and "b", not an "a" with an accent.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

import pyuca

T = TypeVar("T")

# Base letter → the letters that follow it, in order (CLDR pl: &A<ą &C<ć &E<ę &L<ł &N<ń &O<ó &S<ś &Z<ź<ż).
POLISH_TAILORING = {"a": "ą", "c": "ć", "e": "ę", "l": "ł", "n": "ń", "o": "ó", "s": "ś", "z": "źż"}
_SPREAD = 4  # room for up to three tailored letters after each primary weight


@cache
def _collator() -> pyuca.Collator:
    """The DUCET table with the Polish letters added as contractions carrying a fourth 'bump' weight."""
    collator = pyuca.Collator()
    for base, letters in POLISH_TAILORING.items():
        for bump, letter in enumerate(letters, start=1):
            for base_case, letter_case in ((base, letter), (base.upper(), letter.upper())):
                (primary, secondary, tertiary), *_rest = collator.collation_elements(base_case)
                key = [ord(ch) for ch in unicodedata.normalize("NFD", letter_case)]
                collator.table.add(key, [[primary, secondary, tertiary, bump]])
    return collator


def polish_sort_key(text: str | None) -> tuple[int, ...]:
    """A sort key ordering strings as a Polish dictionary does (case and accents decide only ties)."""
    collator = _collator()
    elements = collator.collation_elements(unicodedata.normalize("NFD", text or ""))
    key: list[int] = []
    for level in range(3):
        if level:
            key.append(0)
        for element in elements:
            weight = element[level]
            if not weight:
                continue
            if level == 0:
                weight = weight * _SPREAD + (element[3] if len(element) > 3 else 0)
            key.append(weight)
    return tuple(key)


def sorted_pl(items: Iterable[T], key: Callable[[T], str] | None = None, *, reverse: bool = False) -> list[T]:
    """`sorted` in Polish alphabetical order; `key` picks the text of each item (default: the item itself)."""
    text_of = key or (lambda item: item)  # type: ignore[assignment,return-value]
    return sorted(items, key=lambda item: polish_sort_key(text_of(item)), reverse=reverse)
