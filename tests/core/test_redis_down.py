"""Redis unreachable (stopped, restarted, a wrong REDIS_URL): logins and jobs carry on, nothing answers 500."""

from __future__ import annotations

import pytest

from elearn.core import jobs
from tests.helpers import PASSWORD, make_test_app, migrate_and_seed

DEAD_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
RAN: list[str] = []


def record(value: str) -> None:
    RAN.append(value)


@pytest.fixture
def app_without_redis(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'down.sqlite3'}", tmp_path, REDIS_URL=DEAD_REDIS, RATELIMIT_STORAGE_URI=DEAD_REDIS,
                        RATELIMIT_ENABLED=True)  # fmt: skip
    migrate_and_seed(app)
    return app


pytestmark = pytest.mark.no_db_transaction


def test_a_job_is_run_in_process_when_redis_is_unreachable(app_without_redis, caplog):
    RAN.clear()
    with app_without_redis.app_context():
        assert jobs.backend_name() == "rq"
        assert jobs.enqueue("tests.core.test_redis_down.record", "certyfikaty") is None
    assert RAN == ["certyfikaty"]
    assert "Redis unreachable" in caplog.text


def test_logins_work_and_fail_cleanly_while_the_rate_limit_store_is_down(app_without_redis, caplog):
    from elearn.accounts import services as accounts
    from elearn.extensions import db

    with app_without_redis.app_context():
        accounts.create_user(db.session, email="ola@example.org", full_name="Ola Nowak", password=PASSWORD, roles=("learner",))
        db.session.commit()
    client = app_without_redis.test_client()
    wrong = client.post("/login", data={"email": "ola@example.org", "password": "zle-haslo-000"})
    assert wrong.status_code == 200 and "Nieprawidłowy" in wrong.get_data(as_text=True)
    right = client.post("/login", data={"email": "ola@example.org", "password": PASSWORD})
    assert right.status_code == 302 and right.location.endswith("/dashboard")
    assert "Rate-limit storage unreachable" in caplog.text
