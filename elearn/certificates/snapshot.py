"""The frozen content of a certificate: taken once at issuance, stored as JSON, the only input of the PDF.

Later edits to a course, the competency model, the issuer's branding or the person's account never change
an issued document, because everything printed comes from here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

SNAPSHOT_VERSION = 1
COURSE, EVENT = "course", "event"  # what the certificate is for: a completed course, or a training event attended


@dataclass(frozen=True)
class Topic:
    title: str
    hours: float


@dataclass(frozen=True)
class AttainedCompetence:
    code: str
    name: str
    level: int
    level_name: str


@dataclass(frozen=True)
class CertificateSnapshot:
    holder_name: str
    course_title: str
    course_version: int | str
    course_slug: str
    hours: float
    period_from: date
    period_to: date
    organiser: str
    issuer_name: str
    issuer_address: tuple[str, ...]
    signatory_name: str
    signatory_function: str
    place_of_issue: str
    issue_date: date
    number: str = ""
    verification_url: str = ""
    birth_date: date | None = None
    birth_place: str | None = None
    logo_file: str | None = None
    topics: tuple[Topic, ...] = field(default_factory=tuple)
    competences: tuple[AttainedCompetence, ...] = field(default_factory=tuple)
    # Training events (kind EVENT): the event's type, place, sessions attended, and clock hours beside the
    # teaching hours in `hours`. Course snapshots leave them empty; older JSON without them reads as a course.
    kind: str = COURSE
    event_type: str = ""
    place: str = ""
    sessions: tuple[str, ...] = field(default_factory=tuple)
    clock_hours: float | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("period_from", "period_to", "issue_date", "birth_date"):
            data[key] = data[key].isoformat() if data[key] else None
        data["issuer_address"] = list(self.issuer_address)
        data["topics"] = [asdict(t) for t in self.topics]
        data["competences"] = [asdict(c) for c in self.competences]
        data["sessions"] = list(self.sessions)
        data["snapshot_version"] = SNAPSHOT_VERSION
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CertificateSnapshot:
        values = {k: v for k, v in data.items() if k != "snapshot_version"}
        for key in ("period_from", "period_to", "issue_date", "birth_date"):
            values[key] = date.fromisoformat(values[key]) if values.get(key) else None
        values["issuer_address"] = tuple(values.get("issuer_address") or ())
        values["topics"] = tuple(Topic(**t) for t in values.get("topics") or ())
        values["competences"] = tuple(AttainedCompetence(**c) for c in values.get("competences") or ())
        values["sessions"] = tuple(values.get("sessions") or ())
        return cls(**values)

    @property
    def holder_surname(self) -> str:
        parts = self.holder_name.split()
        return parts[-1] if parts else ""
