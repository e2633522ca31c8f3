"""The project glossary (courses/glossary.yml): preferred terms with forbidden variants, and fictional names.

Validated against courses/glossary.schema.json like the competency model's files; the content checks use it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

COURSES_DIR = Path(__file__).resolve().parents[3] / "courses"
GLOSSARY_FILE = "glossary.yml"
GLOSSARY_SCHEMA = "glossary.schema.json"


@dataclass
class Term:
    preferred: str
    patterns: list[re.Pattern]
    exact: bool = False
    level: str = "error"  # or "warning" while the courses are being corrected
    note: str = ""


@dataclass
class Name:
    name: str
    patterns: list[re.Pattern]


@dataclass
class Glossary:
    terms: list[Term] = field(default_factory=list)
    names: list[Name] = field(default_factory=list)


class GlossaryError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def stem_pattern(variant: str, *, ignore_case: bool = True) -> re.Pattern:
    """A variant is a regular expression for the start of a word: Polish endings follow, so 'intervizj' finds
    'intervizja' and 'intervizji'; a space matches any run of whitespace (a term broken across lines).
    Names are proper nouns and keep their case, so 'Słoneczn' does not find the adjective 'słoneczny'."""
    body = re.sub(r"(?:\\ | )+", r"\\s+", variant.strip())
    return re.compile(rf"(?<!\w){body}\w*", re.IGNORECASE if ignore_case else 0)


def _schema_path(glossary_path: Path) -> Path:
    local = glossary_path.parent / GLOSSARY_SCHEMA
    return local if local.is_file() else COURSES_DIR / GLOSSARY_SCHEMA


def load_glossary(path: Path) -> Glossary:
    """Read and validate glossary.yml against glossary.schema.json; GlossaryError lists every problem."""
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError([f"{name}: cannot read the file ({exc})"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise GlossaryError([f"{name}:{mark.line + 1 if mark else 1}: invalid YAML: {getattr(exc, 'problem', exc)}"]) from None
    validator = Draft202012Validator(json.loads(_schema_path(path).read_text(encoding="utf-8")))
    problems = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    errors = [f"{name}: {'.'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in problems]
    if errors:
        raise GlossaryError(errors)
    glossary = Glossary()

    def compiled(where: str, variants: list[str], ignore_case: bool = True) -> list[re.Pattern]:
        out = []
        for variant in variants:
            try:
                out.append(stem_pattern(variant, ignore_case=ignore_case))
            except re.error as exc:
                errors.append(f"{name}: {where}: {variant!r} is not a valid pattern ({exc})")
        return out

    for i, item in enumerate(data.get("terms") or []):
        patterns = compiled(f"terms.{i}.forbidden", item["forbidden"])
        glossary.terms.append(Term(item["preferred"], patterns, bool(item.get("exact")), item.get("level", "error"), item.get("note", "")))
    for i, item in enumerate(data.get("names") or []):
        glossary.names.append(Name(item["name"], compiled(f"names.{i}.match", item["match"], ignore_case=False)))
    if errors:
        raise GlossaryError(errors)
    return glossary


def default_glossary() -> Glossary | None:
    """The project glossary for the browser checks; a broken file shows no term findings rather than a 500 page."""
    path = COURSES_DIR / GLOSSARY_FILE
    if not path.is_file():
        return None
    try:
        return load_glossary(path)
    except GlossaryError:
        return None
