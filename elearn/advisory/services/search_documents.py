"""What advisory puts into the platform's search: knowledge-base candidates (anonymised summaries of closed cases),
found only by advisors — the institutions' cases themselves are never indexed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import nh3
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core import search
from ...core.markdown import render_markdown
from ..models import KnowledgeCandidate
from .access import is_advisor

CANDIDATE = "advisory"


def candidate_document(candidate: KnowledgeCandidate) -> search.Document:
    text = nh3.clean(render_markdown(candidate.summary), tags=set())
    return search.Document(
        kind=CANDIDATE, key=str(candidate.id), title=candidate.title, body=text, context=candidate.topic_label,
        url=search.path_for("advisory.candidate", case_id=candidate.case_id),
    )  # fmt: skip


def candidate_documents(session: Session) -> Iterator[search.Document]:
    for candidate in session.scalars(select(KnowledgeCandidate).order_by(KnowledgeCandidate.id)):
        yield candidate_document(candidate)


def visible_candidates(session: Session, viewer: Any, hits: list[search.Hit]) -> list[search.Hit]:  # noqa: ARG001
    """Advisors only: a candidate is not published yet."""
    return hits if viewer is not None and is_advisor(viewer) else []
