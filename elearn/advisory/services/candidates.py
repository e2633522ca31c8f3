"""Knowledge-base candidates: a closed case, summarised without personal data, that the knowledge base may take.

The advisor asks for a draft (`draft`), which runs `anonymise` over the case's subject, question, answers and
outcome with the names of everyone involved; the advisor reads and edits it; `save` anonymises the edited text once
more (so a name typed back in by mistake is still caught) and stores it. The knowledge base reads `candidates`."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...accounts.models import User
from ...core import search
from ...core.audit import audit
from ...core.timeutil import utcnow
from ..errors import AdvisoryError
from ..models import AdvisoryCase, KnowledgeCandidate
from .access import is_advisor
from .anonymise import anonymise
from .cases import people_named
from .search_documents import CANDIDATE, candidate_document


@dataclass
class Draft:
    title: str
    summary: str


def candidate_of(session: Session, case: AdvisoryCase) -> KnowledgeCandidate | None:
    return session.scalar(select(KnowledgeCandidate).where(KnowledgeCandidate.case_id == case.id))


def draft(session: Session, case: AdvisoryCase) -> Draft:
    """The saved candidate, or a first anonymised draft built from the case."""
    found = candidate_of(session, case)
    if found is not None:
        return Draft(found.title, found.summary)
    names = people_named(case)
    answers = [m.body for m in case.messages if m.from_advisor]
    parts = ["## Pytanie", case.description, "## Odpowiedź", *answers]
    if case.outcome:
        parts += ["## Rozstrzygnięcie", case.outcome]
    return Draft(anonymise(case.subject, names), anonymise("\n\n".join(parts), names))


def save(session: Session, case: AdvisoryCase, *, actor: User, title: str, summary: str) -> KnowledgeCandidate:
    if not is_advisor(actor):
        raise AdvisoryError(_l("Only ROPS advisors propose knowledge-base entries."))
    if case.is_open:
        raise AdvisoryError(_l("Only a closed case can become a knowledge-base candidate."))
    if not title.strip() or not summary.strip():
        raise AdvisoryError(_l("Give the entry a title and a summary."))
    names = people_named(case)
    found = candidate_of(session, case)
    if found is None:
        found = KnowledgeCandidate(case_id=case.id, topic=case.topic)
        session.add(found)
    found.title, found.summary = anonymise(title.strip(), names)[:200], anonymise(summary.strip(), names)
    found.reviewed_by_id, found.updated_at = actor.id, utcnow()
    session.flush()
    search.index_document(session, candidate_document(found))
    audit(session, "advisory.candidate", actor_id=actor.id, target=case, candidate_id=found.id)
    return found


def withdraw(session: Session, candidate: KnowledgeCandidate, *, actor: User) -> None:
    audit(session, "advisory.candidate_withdraw", actor_id=actor.id, target=candidate.case, candidate_id=candidate.id)
    search.remove_document(session, CANDIDATE, str(candidate.id))
    session.delete(candidate)
    session.flush()


def candidates(session: Session, topic: str = "") -> list[KnowledgeCandidate]:
    """Every candidate, newest first (what the knowledge base offers its editors to adopt)."""
    stmt = select(KnowledgeCandidate).order_by(KnowledgeCandidate.created_at.desc(), KnowledgeCandidate.id.desc())
    if topic:
        stmt = stmt.where(KnowledgeCandidate.topic == topic)
    return list(session.scalars(stmt))
