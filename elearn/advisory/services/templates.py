"""Answer templates: frequent answers advisors keep and insert into a reply. Every change is audited."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.audit import audit
from ..errors import AdvisoryError
from ..models import TOPICS, AnswerTemplate


def all_templates(session: Session) -> list[AnswerTemplate]:
    return list(session.scalars(select(AnswerTemplate).order_by(AnswerTemplate.title)))


def _taken(session: Session, title: str, own_id: int | None) -> bool:
    found = session.scalar(select(AnswerTemplate.id).where(AnswerTemplate.title == title))
    return found is not None and found != own_id


def save(session: Session, template: AnswerTemplate | None, *, title: str, topic: str, body: str, actor_id: int) -> AnswerTemplate:
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise AdvisoryError(_l("Give the template a title and a text."))
    if topic and topic not in TOPICS:
        raise AdvisoryError(_l("Choose a topic from the list."))
    if _taken(session, title, template.id if template else None):
        raise AdvisoryError(_l("A template with this title already exists."))
    created = template is None
    if template is None:
        template = AnswerTemplate(created_by_id=actor_id)
        session.add(template)
    template.title, template.topic, template.body = title, topic or None, body
    session.flush()
    audit(session, "advisory.template_create" if created else "advisory.template_update", actor_id=actor_id, target=template, title=title)
    return template


def delete(session: Session, template: AnswerTemplate, *, actor_id: int) -> None:
    audit(session, "advisory.template_delete", actor_id=actor_id, target=template, title=template.title)
    session.delete(template)
    session.flush()
