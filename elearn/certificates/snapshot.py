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
    pdf_format: int = 2  # 2: PDF/A-2b (pdfa.py); snapshots frozen before it have none and render as 1, unchanged
    # The Open Badge's holder identity, frozen at issuance: SHA-256 of the e-mail and a random salt (badges.py).
    # Never printed; cleared with the birth data when the account is erased.
    recipient_hash: str | None = None
    recipient_salt: str | None = None

    kind = "course"

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
        values.setdefault("pdf_format", 1)
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


# --- role certificates ----------------------------------------------------------------------------------------

ROLE_SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class ConfirmedCompetence:
    """One competence of the role's profile as confirmed at issuance, with the evidence the level rests on."""

    code: str
    name: str
    required_level: int
    level: int
    level_name: str
    evidence_kind: str  # the evidence source code (trainer_assessment, prior_learning, assignment, …)
    evidence_label: str  # its Polish name as printed
    evidence_date: date
    evidence_ids: tuple[int, ...] = ()  # every counting piece at or above the required level (withdrawal lookup)
    indicators: tuple[str, ...] = ()  # the behavioural indicators of the confirmed level, as worded then


@dataclass(frozen=True)
class Contribution:
    """A course (or, later, an event) that contributed to the competences, with its hours."""

    kind: str  # "course" | "event"
    title: str
    hours: float
    completed_on: date | None = None


@dataclass(frozen=True)
class RoleSnapshot:
    holder_name: str
    role_code: str
    role_name: str
    specialty: str
    framework_key: str
    framework_version: str
    framework_title: str
    issuer_name: str
    issuer_address: tuple[str, ...]
    signatory_name: str
    signatory_function: str
    place_of_issue: str
    issue_date: date
    valid_until: date | None = None
    number: str = ""
    verification_url: str = ""
    birth_date: date | None = None
    birth_place: str | None = None
    logo_file: str | None = None
    competences: tuple[ConfirmedCompetence, ...] = field(default_factory=tuple)
    contributions: tuple[Contribution, ...] = field(default_factory=tuple)
    pdf_format: int = 2  # as CertificateSnapshot.pdf_format
    recipient_hash: str | None = None  # as CertificateSnapshot.recipient_hash
    recipient_salt: str | None = None

    kind = "role"

    @property
    def title(self) -> str:
        return f"{self.specialty} – {self.role_name}"

    @property
    def hours(self) -> float:
        return float(sum(c.hours for c in self.contributions))

    @property
    def evidence_ids(self) -> set[int]:
        return {i for c in self.competences for i in c.evidence_ids}

    @property
    def holder_surname(self) -> str:
        parts = self.holder_name.split()
        return parts[-1] if parts else ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("issue_date", "valid_until", "birth_date"):
            data[key] = data[key].isoformat() if data[key] else None
        data["issuer_address"] = list(self.issuer_address)
        data["competences"] = [
            {
                **asdict(c),
                "evidence_date": c.evidence_date.isoformat(),
                "evidence_ids": list(c.evidence_ids),
                "indicators": list(c.indicators),
            }
            for c in self.competences
        ]
        data["contributions"] = [
            {**asdict(c), "completed_on": c.completed_on.isoformat() if c.completed_on else None} for c in self.contributions
        ]
        data["kind"] = self.kind
        data["snapshot_version"] = ROLE_SNAPSHOT_VERSION
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RoleSnapshot:
        values = {k: v for k, v in data.items() if k not in ("snapshot_version", "kind")}
        values.setdefault("pdf_format", 1)
        for key in ("issue_date", "valid_until", "birth_date"):
            values[key] = date.fromisoformat(values[key]) if values.get(key) else None
        values["issuer_address"] = tuple(values.get("issuer_address") or ())
        values["competences"] = tuple(
            ConfirmedCompetence(
                **{
                    **c,
                    "evidence_date": date.fromisoformat(c["evidence_date"]),
                    "evidence_ids": tuple(c.get("evidence_ids") or ()),
                    "indicators": tuple(c.get("indicators") or ()),
                }
            )
            for c in values.get("competences") or ()
        )
        values["contributions"] = tuple(
            Contribution(**{**c, "completed_on": date.fromisoformat(c["completed_on"]) if c.get("completed_on") else None})
            for c in values.get("contributions") or ()
        )
        return cls(**values)


def load_snapshot(data: dict[str, Any]) -> CertificateSnapshot | RoleSnapshot:
    """The snapshot of either kind of certificate, from its stored JSON."""
    return RoleSnapshot.from_json(data) if data.get("kind") == "role" else CertificateSnapshot.from_json(data)
