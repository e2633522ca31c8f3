"""What a parsed course is: plain dataclasses, the format's constants and its error type."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import has_request_context
from flask_babel import gettext

from ....core.errors import DomainError
from .schema import COURSE_SCHEMA, MODULE_SCHEMA

ROLES: tuple[str, ...] = tuple(COURSE_SCHEMA["properties"]["role"]["enum"])
OUTCOME_KINDS: tuple[str, ...] = tuple(COURSE_SCHEMA["$defs"]["outcomes"]["properties"])
SLUG_RE = re.compile(COURSE_SCHEMA["properties"]["slug"]["pattern"])
COMPETENCE_RE = re.compile(MODULE_SCHEMA["properties"]["competences"]["propertyNames"]["pattern"])
MEDIA_DIR = "media"  # a course folder's images and handouts, referenced as media/<name> in its Markdown
MEDIA_NAME_RE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*\.[a-z0-9]+$")
MODULE_FILE_RE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
QUIZ_HEADING = "## Quiz"
ASSIGNMENT_PREFIX = "Zadanie:"  # "## Zadanie: <title>" starts a practical assignment
ASSIGNMENT_FORMS = ("text", "files")
TRUE_FALSE = ("Prawda", "Fałsz")
DEFAULT_QUIZ_PASS = 70


@dataclass
class Option:
    text: str
    correct: bool


@dataclass
class Question:
    text: str
    kind: str  # single | multiple | truefalse
    options: list[Option] = field(default_factory=list)
    feedback: str = ""
    line: int = field(default=0, compare=False, repr=False)


@dataclass
class Lesson:
    title: str
    source: str
    line: int = field(default=0, compare=False, repr=False)


@dataclass
class Assignment:
    """A practical assignment: a trainer assesses the learner's work against the rubric (courses/README.md)."""

    key: str
    title: str
    instructions: str
    competences: dict[str, int] = field(default_factory=dict)
    criteria: list[str] = field(default_factory=list)
    form: list[str] = field(default_factory=lambda: ["text"])
    due_days: int | None = None
    line: int = field(default=0, compare=False, repr=False)
    competence_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Module:
    key: str
    title: str
    hours: int
    outcomes: dict[str, list[str]] = field(default_factory=dict)
    competences: dict[str, int] = field(default_factory=dict)
    quiz_pass: int = DEFAULT_QUIZ_PASS
    intro: str = ""
    lessons: list[Lesson] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    path: str = field(default="", compare=False, repr=False)
    competence_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class MediaFile:
    """A file in the course's media/ folder: its name and the SHA-256 of its bytes (path: where to read them)."""

    name: str
    sha256: str
    path: str = field(default="", compare=False, repr=False)
    shown: str = field(default="", compare=False, repr=False)  # the path as messages show it


@dataclass
class Course:
    slug: str
    title: str
    summary: str
    role: str
    hours: int
    version: int = 1
    authors: list[str] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
    outcomes: dict[str, list[str]] = field(default_factory=dict)
    # Quiz rules for every module (None: no limit / no wait); left out of the content hash while unset, so
    # courses written before these keys existed keep their published versions.
    quiz_attempts: int | None = field(default=None, metadata={"omit_unset": True})
    quiz_wait_minutes: int | None = field(default=None, metadata={"omit_unset": True})
    modules: list[Module] = field(default_factory=list)
    media: list[MediaFile] = field(default_factory=list)  # sorted by name
    path: str = field(default="", compare=False, repr=False)
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


def translated(message: str, **params) -> str:
    """Quiz messages: translated for a trainer in the browser editor, English for the sync CLI and its logs."""
    return gettext(message, **params) if has_request_context() else message % params


class FormatError(DomainError):
    """One or more `path:line: message` problems (plain text quoted from the files; .errors lists them)."""

    def __init__(self, errors: list[str]):
        super().__init__(*errors)


class Errors(list):
    """All problems of one run, collected so an author fixes a folder in one go."""

    def add(self, path: str, line: int, message: str) -> None:
        self.append(f"{path}:{line}: {message}")
