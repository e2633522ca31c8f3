"""Fill msgstr values in a domain's Polish catalogue from a JSON mapping: python tools/fill_po.py DOMAIN FILE.json"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def fill(domain: str, mapping: dict[str, str]) -> list[str]:
    path = ROOT / "elearn" / domain / "translations" / "pl" / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as handle:
        catalogue = read_po(handle)
    for msgid, msgstr in mapping.items():
        message = catalogue.get(msgid)
        if message is not None:
            message.string = msgstr
            message.flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, catalogue, width=120, no_location=True, sort_output=True)
    return [m.id for m in catalogue if m.id and not m.string]


if __name__ == "__main__":
    left = fill(sys.argv[1], json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    print("untranslated:", left)
