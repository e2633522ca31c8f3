"""Writing small course folders for tests (the fixtures that publish them are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

import yaml

MODULE_ONE = """---
title: Pierwszy moduł
hours: 2
outcomes:
  wiedza:
    - zna i rozumie podstawy
competences:
  WSP.1.1: 1
quiz_pass: 50
---

Wprowadzenie do modułu.

## Pierwsza lekcja

Tekst pierwszej lekcji o **sąsiedztwie**.

### Podrozdział

Więcej tekstu.

## Druga lekcja

Tekst drugiej lekcji.

## Quiz

### Pytanie jednokrotnego wyboru
- ( ) zła
- (x) dobra
- ( ) zła też
> Bo tak.

### Pytanie wielokrotnego wyboru
- [x] tak
- [ ] nie
- [x] też tak
> Dwie dobre.

### To jest prawda.
- (x) Prawda
- ( ) Fałsz
"""

MODULE_TWO = """---
title: Drugi moduł
hours: 1
quiz_pass: 70
---

## Jedyna lekcja

Tekst jedynej lekcji.
"""


def course_yml(slug: str, **overrides) -> str:
    data = {
        "slug": slug,
        "title": overrides.pop("title", f"Kurs {slug}"),
        "summary": "Krótki opis kursu testowego.",
        "role": "wspolne",
        "hours": 3,
        "version": 1,
        "authors": ["Zespół testowy"],
        "prerequisites": [],
        "outcomes": {"wiedza": ["zna i rozumie"]},
    }
    data.update(overrides)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def write_course(root: Path, slug: str, modules: dict[str, str] | None = None, **overrides) -> Path:
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.yml").write_text(course_yml(slug, **overrides), encoding="utf-8")
    for name, text in (modules if modules is not None else {"01-pierwszy.md": MODULE_ONE, "02-drugi.md": MODULE_TWO}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # passes the upload content check (magic bytes) of a PNG
