"""Fixtures of the knowledge-base tests: staff who publish, learners who propose, and a way to add resources."""

from __future__ import annotations

import pytest

from elearn.extensions import db
from elearn.knowledge.services import resources as services


@pytest.fixture
def add(app):
    """add(user, title=..., file=(name, bytes), **fields) -> a resource created through the service and committed."""

    def factory(user, title="Materiał testowy", *, file=None, proposal_note="", **fields):
        fields.setdefault("format", "document" if file else "link")
        fields.setdefault("type", "guide")
        fields.setdefault("summary", "Streszczenie materiału.")
        if fields["format"] == "link":
            fields.setdefault("url", "https://example.org/material")
        resource = services.create_resource(
            db.session, user=user, data=services.ResourceData(title=title, **fields), file=file, proposal_note=proposal_note,
            instance_path=app.instance_path,
        )  # fmt: skip
        db.session.commit()
        return resource

    return factory
