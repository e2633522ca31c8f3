"""Development demo data: assessment requests of the demo learner, made and answered through the real services."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts import services as accounts
from .models import AssessmentRequest
from .services import requests as request_service

LEARNER_EMAIL = "pracownik@example.org"
TRAINER_EMAIL = "trener@example.org"
OPEN_REQUEST = (
    "ANI.1.1",
    "Z sołtysem i radą sołecką przeszłam spacerem badawczym po wsi Grębocin; spisaliśmy zasoby "
    "(świetlica, koło gospodyń, boisko) i potrzeby zgłoszone przez 14 mieszkańców.",
)
DECLINED_REQUEST = (
    "WSP.3.1",
    "Prowadzę rozmowy z klientami ośrodka.",
    "Opis jest zbyt ogólny: proszę opisać konkretną rozmowę lub spotkanie i dołączyć notatkę bez danych osobowych.",
)


def create_requests(session: Session) -> int:
    """An open request waiting for trener@example.org and one the trainer declined; idempotent."""
    learner = accounts.find_user_by_email(session, LEARNER_EMAIL)
    trainer = accounts.find_user_by_email(session, TRAINER_EMAIL)
    if learner is None or trainer is None:
        return 0
    if session.scalar(select(AssessmentRequest.id).where(AssessmentRequest.user_id == learner.id).limit(1)) is not None:
        return 0
    instance = current_app.instance_path
    code, description, reason = DECLINED_REQUEST
    declined = request_service.create_request(session, instance_path=instance, user=learner, code=code, description=description)
    request_service.decline(session, declined, trainer=trainer, reason=reason)
    code, description = OPEN_REQUEST
    request_service.create_request(session, instance_path=instance, user=learner, code=code, description=description)
    session.flush()
    return 2
