"""The production-shaped stack of tools/stack.py, once per test module that asks for it.

It needs nginx and openssl (Debian packages), a PostgreSQL server (TEST_DATABASE_URL) and Redis (TEST_REDIS_URL);
without them these tests are skipped. They run in the SQLite pass only: the stack brings its own PostgreSQL
database, so the PostgreSQL pass would repeat them word for word.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.helpers import BACKEND, worker
from tools.stack import Stack, fresh_database


def stack_requirements() -> tuple[str, str]:
    if BACKEND == "postgresql":
        pytest.skip("the deployment tests run once, in the SQLite pass (the stack has its own PostgreSQL database)")
    database, redis = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_REDIS_URL")
    if not database or not redis:
        pytest.skip("TEST_DATABASE_URL and TEST_REDIS_URL are needed for the deployment tests (CI sets both)")
    for tool in ("nginx", "openssl"):
        if not (shutil.which(tool) or os.path.exists(f"/usr/sbin/{tool}")):
            pytest.skip(f"{tool} is not installed (Debian package {tool})")
    return database, redis


@pytest.fixture(scope="module")
def stack(tmp_path_factory, request):
    base, redis = stack_requirements()
    tag = os.environ.get("ELEARN_TEST_DB_TAG", "")
    name = f"elearn_stack_{tag}{worker()}_{request.module.__name__.rsplit('.', 1)[-1]}"
    url = fresh_database(base, name)
    settings = getattr(request.module, "STACK_SETTINGS", None)  # instance/config.py of the module's stack
    with Stack.start(tmp_path_factory.mktemp("stack"), database_url=url, redis_url=redis, settings=settings) as running:
        yield running


@pytest.fixture(scope="module")
def seeded(stack) -> dict:
    info = stack.seed_learners(4, graduate=True)
    info["learners"] = [f"uczestnik{i:04d}@example.org" for i in range(4)]
    return info
