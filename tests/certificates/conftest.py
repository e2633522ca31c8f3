"""Fixtures of the certificate tests: a learner who completed the animator course and an issuer."""

from __future__ import annotations

import pytest

from elearn.extensions import db
from tests.certificates.helpers import complete


@pytest.fixture
def graduate(make_user):
    user = make_user("learner", full_name="Zażółć Gęślą-Jaźń")
    complete(user.id)
    db.session.commit()
    return user


@pytest.fixture
def issuer(make_user):
    return make_user("issuer", full_name="Katarzyna Wystawczyni")
