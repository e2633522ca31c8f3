"""Needs reported by institutions: ROPS opens a yearly round with a deadline; each institution's coordinator
submits (and may correct until the deadline) its training needs; ROPS reads them beside the measured gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.audit import audit
from ...core.errors import DomainError
from ...directory.models import Institution
from ..models import FORMS, NeedsRound, NeedsSubmission
from . import needs as needs_service
from .suppression import show


class RoundError(DomainError):
    pass


def rounds(session: Session) -> list[NeedsRound]:
    return list(session.scalars(select(NeedsRound).order_by(NeedsRound.year.desc())))


def round_for_year(session: Session, year: int) -> NeedsRound | None:
    return session.scalar(select(NeedsRound).where(NeedsRound.year == year))


def open_round(session: Session, today: date) -> NeedsRound | None:
    """The newest round whose deadline has not passed."""
    return session.scalar(select(NeedsRound).where(NeedsRound.deadline >= today).order_by(NeedsRound.year.desc()).limit(1))


def create_round(session: Session, *, year: int, deadline: date, actor_id: int) -> NeedsRound:
    if round_for_year(session, year) is not None:
        raise RoundError(_l("A round for this year already exists."))
    found = NeedsRound(year=year, deadline=deadline, created_by=actor_id)
    session.add(found)
    session.flush()
    audit(session, "analytics.needs_round", actor_id=actor_id, target=found, year=year, deadline=deadline.isoformat())
    return found


def submission_for(session: Session, needs_round: NeedsRound, institution_id: int) -> NeedsSubmission | None:
    return session.scalar(
        select(NeedsSubmission).where(NeedsSubmission.round_id == needs_round.id, NeedsSubmission.institution_id == institution_id)
    )


def submit(
    session: Session,
    needs_round: NeedsRound,
    *,
    institution_id: int | None,
    user_id: int,
    today: date,
    competences: list[str],
    topics: str,
    workers: int,
    preferred_form: str,
    comment: str,
) -> NeedsSubmission:
    """Create or correct the institution's submission; refused after the deadline or without an accepted institution."""
    if institution_id is None:
        raise RoundError(_l("Only a coordinator of an institution can report its needs."))
    if today > needs_round.deadline:
        raise RoundError(_l("The deadline of this round has passed."))
    if preferred_form not in FORMS:
        raise RoundError(_l("Choose a form of training."))
    found = submission_for(session, needs_round, institution_id)
    if found is None:
        found = NeedsSubmission(round_id=needs_round.id, institution_id=institution_id)
        session.add(found)
    found.submitted_by = user_id
    found.competences = list(competences)
    found.topics, found.workers, found.preferred_form, found.comment = topics, workers, preferred_form, comment
    session.flush()
    audit(session, "analytics.needs_submitted", actor_id=user_id, target=found, round=needs_round.year, institution=institution_id)
    return found


@dataclass
class OverviewRow:
    institution: Institution
    submission: NeedsSubmission | None
    behind: int | str  # measured: accepted members behind on at least one required competence, suppressed


def overview(session: Session, needs_round: NeedsRound) -> list[OverviewRow]:
    """Every institution with accepted members or a submission: what it reported beside what was measured."""
    analysis = needs_service.analyse(session, needs_service.Scope())
    behind: dict[int, int] = {}
    staffed: dict[int, int] = {}
    for worker in analysis.workers:
        staffed[worker.institution_id] = staffed.get(worker.institution_id, 0) + 1
        behind[worker.institution_id] = behind.get(worker.institution_id, 0) + int(bool(analysis.behind[worker.id]))
    submissions = {s.institution_id: s for s in session.scalars(select(NeedsSubmission).where(NeedsSubmission.round_id == needs_round.id))}
    ids = set(staffed) | set(submissions)
    institutions = session.scalars(select(Institution).where(Institution.id.in_(ids)).order_by(Institution.name)) if ids else []
    return [OverviewRow(i, submissions.get(i.id), show(behind.get(i.id, 0), staffed.get(i.id, 0))) for i in institutions]
