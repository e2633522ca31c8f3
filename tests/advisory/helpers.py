"""Builders for advisory tests: a case opened through the service, as an institution's worker would."""

from __future__ import annotations

from flask import current_app

from elearn.advisory.services import cases
from elearn.extensions import db


def open_case(user, *, subject="Jak przygotować diagnozę do SRPS?", topic="srps", files=(), **extra):
    data = {
        "description": "Gmina zaczyna prace nad strategią rozwiązywania problemów społecznych. Od czego zacząć diagnozę?",
        "preferred_form": "email",
        "urgency": "zwykla",
        "contact_phone": None,
        **extra,
    }
    found = cases.open_case(
        db.session, user=user, subject=subject, topic=topic, files=list(files), instance_path=current_app.instance_path, **data
    )
    db.session.commit()
    return found
