"""Removing personal data from advisory text before it may leave the case (knowledge-base candidates, erasure).

`anonymise(text, names)` replaces, in this order:

1. e-mail addresses → „[e-mail]”;
2. PESEL numbers (any run of exactly 11 digits, checksum or not: a mistyped PESEL is still personal) → „[PESEL]”;
3. Polish phone numbers: 9 digits, optionally after +48 / 0048, written in groups of 2–3 digits separated by spaces,
   dashes or dots, or a landline with its area code in brackets, e.g. „600 700 800”, „+48 600-700-800”,
   „(56) 611 22 33” → „[telefon]”;
4. the names of the people the caller knows to be involved (the requester, the advisors, everyone who wrote in the
   thread): each full name and each part of it of three letters or more, in any Polish inflection (the stem without
   its last letter, e.g. „Kowalska” also catches „Kowalskiej”, „Kowalską”) → „[imię i nazwisko]”;
5. a capitalised word or two after a form of address („Pan”, „Pani”, „Panem”, „Pani dyrektor” …) — names nobody
   listed, such as a client's → „[imię i nazwisko]”.

It is a safety net, not a guarantee: an advisor reads the result before it is saved (the candidate form shows it)."""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = "[e-mail]"
PESEL = "[PESEL]"
PHONE = "[telefon]"
NAME = "[imię i nazwisko]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PESEL = re.compile(r"(?<![\d-])\d{11}(?![\d-])")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)48[ -]?)?"
    r"(?:\(\d{2}\)[ -]?\d{3}[ .-]?\d{2}[ .-]?\d{2}"  # (56) 611 22 33
    r"|\d{3}[ .-]\d{3}[ .-]\d{3}"  # 600 700 800
    r"|\d{2}[ .-]\d{3}[ .-]\d{2}[ .-]\d{2}"  # 56 611 22 33
    r"|\d{9})(?!\w)"
)
_UPPER = "A-ZĄĆĘŁŃÓŚŹŻ"
_LOWER = "a-ząćęłńóśźż"
_ADDRESS = re.compile(
    rf"\b(?P<form>[Pp]an(?:i|a|u|em|ią|ie|owie)?|[Pp]aństw[ao]?)\s+"
    rf"(?P<title>(?:dyrektor\w*|kierownik\w*|radn\w*|sołty[sk]\w*|wójt\w*|burmistrz\w*|doktor\w*|dr)\s+)?"
    rf"(?P<name>[{_UPPER}][{_LOWER}]+(?:[ -][{_UPPER}][{_LOWER}]+)?)"
)


def _name_pattern(names: Iterable[str]) -> re.Pattern | None:
    stems = set()
    for full in names:
        for part in re.split(r"[\s-]+", full or ""):
            word = part.strip(".,;:()\"'")
            if len(word) >= 3 and word[0].isupper():
                stems.add(re.escape(word[:-1] if len(word) > 4 else word))
    if not stems:
        return None
    alternatives = "|".join(sorted(stems, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*(?:[ -](?:{alternatives})\w*)*", re.UNICODE)


def anonymise(text: str, names: Iterable[str] = ()) -> str:
    """The text with e-mail addresses, PESEL numbers, phone numbers and people's names replaced (see module doc)."""
    out = _EMAIL.sub(EMAIL, text or "")
    out = _PESEL.sub(PESEL, out)
    out = _PHONE.sub(PHONE, out)
    pattern = _name_pattern(names)
    if pattern is not None:
        out = pattern.sub(NAME, out)
    return _ADDRESS.sub(lambda m: f"{m.group('form')} {m.group('title') or ''}{NAME}", out)
