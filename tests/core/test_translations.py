"""The Polish catalogue is complete: every message id in the code has a Polish translation, the same everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tools.translations import ROOT, domains, sources

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
METHOD_MAP = [("**.py", "python"), ("**.html", "jinja2"), ("**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "_t": None}


def _catalogue(domain: Path):
    path = domain / "translations" / "pl" / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as handle:
        return read_po(handle)


def _message_ids(domain: Path) -> set[str]:
    ids: set[str] = set()
    for source in sources(domain):
        path = Path(source)
        if path.is_file():
            from babel.messages.extract import extract_from_file

            found = ((str(path), *rest) for rest in extract_from_file("python", str(path), keywords=KEYWORDS))
        else:
            found = extract_from_dir(str(path), method_map=METHOD_MAP, keywords=KEYWORDS)
        for _filename, _lineno, message, _comments, _context in found:
            ids.add(message if isinstance(message, str) else message[0])
    return ids


@pytest.mark.parametrize("domain", domains(), ids=lambda d: d.name)
def test_every_message_has_a_polish_translation(domain):
    catalogue = _catalogue(domain)
    missing = []
    for msgid in sorted(_message_ids(domain)):
        message = catalogue.get(msgid)
        if message is None or not message.string or message.fuzzy:
            missing.append(msgid)
    assert not missing, f"{domain.name}: untranslated messages (run tools/translations.py update and translate): {missing}"


@pytest.mark.parametrize("domain", domains(), ids=lambda d: d.name)
def test_placeholders_survive_translation(domain):
    for message in _catalogue(domain):
        if message.id and message.string and isinstance(message.id, str):
            assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string)), message.id


def test_same_message_id_means_the_same_everywhere():
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for domain in domains():
        for message in _catalogue(domain):
            if not message.id or not isinstance(message.id, str) or not message.string:
                continue
            if message.id in seen and seen[message.id][1] != message.string:
                clashes.append((message.id, seen[message.id], (domain.name, message.string)))
            seen.setdefault(message.id, (domain.name, message.string))
    assert not clashes, f"catalogues are merged at run time, so these would show the wrong text somewhere: {clashes}"


def test_root_is_the_repository():
    assert (ROOT / "elearn" / "__init__.py").exists()
