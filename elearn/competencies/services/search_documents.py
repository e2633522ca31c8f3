"""What the competencies domain puts into the platform's search: the current framework's competences (names,
descriptions and behavioural indicators of every level)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from ...core import search
from .framework import current_framework

COMPETENCE = "competence"


def competence_documents(session: Session) -> Iterator[search.Document]:
    framework = current_framework(session)
    if framework is None:
        return
    for competence in framework.competences:
        indicators = [str(item) for level in sorted(competence.indicators or {}) for item in competence.indicators[level] or []]
        yield search.Document(
            kind=COMPETENCE, key=competence.code, title=f"{competence.code} {competence.name}",
            body=" ".join([competence.description or "", *indicators]), context=competence.area.name,
            role=competence.area.role_code, url=search.path_for("competencies.competence", code=competence.code),
        )  # fmt: skip


def index_framework(session: Session) -> None:
    """After a framework is loaded: the index holds exactly the current framework's competences."""
    search.replace_documents(session, COMPETENCE, competence_documents(session))


def visible_competences(session: Session, viewer: Any, hits: list[search.Hit]) -> list[search.Hit]:  # noqa: ARG001
    """Everyone may read the framework, and every logged-in person may open a competence's page."""
    return hits
