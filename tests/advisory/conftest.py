from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.directory.models import Institution
from elearn.extensions import db


@pytest.fixture
def other_institution(institution) -> Institution:
    return db.session.scalar(select(Institution).where(Institution.id != institution.id).order_by(Institution.id))


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator", "learner", full_name="Barbara Wiśniewska", email="b.wisniewska@gops.example.pl")


@pytest.fixture
def advisor(make_user):
    return make_user("issuer", full_name="Katarzyna Zielińska", email="k.zielinska@rops.example.pl")
