"""Faults in the deployed stack: an RQ worker killed in the middle of a bulk issue (kill -9 of the worker and its
children, as when a machine is lost). The job must be resumable, and the register must end with every
certificate exactly once and numbers without a gap. (Cut database connections: test_load.py; Redis down:
tests/core/test_redis_down.py; an unwritable upload folder: tests/competencies/test_pages.py.)"""

from __future__ import annotations

import json
import time

import psycopg
import pytest

from tools.stack import kill_tree

pytestmark = [pytest.mark.deploy, pytest.mark.no_db_transaction, pytest.mark.xdist_group("deploy")]

STALLED_AFTER = 3
GRADUATES = 48
STACK_SETTINGS = {"CERTIFICATE_BULK_BATCH": 6, "CERTIFICATE_BULK_STALLED_AFTER": STALLED_AFTER}

QUEUE_A_BULK_JOB = r"""
import json
from sqlalchemy import insert, select
from elearn.accounts import services as accounts
from elearn.accounts.models import User, UserRole
from elearn.certificates import bulk
from elearn.core.jobs import enqueue
from elearn.core.timeutil import utcnow
from elearn.courses.models import Course, CourseVersion, Enrolment
from elearn.extensions import db

count, password = int(sys.argv[1]), sys.argv[2]
course = db.session.scalar(select(Course).where(Course.slug == "animator-spolecznosci-lokalnej"))
version = db.session.scalar(select(CourseVersion).where(CourseVersion.course_id == course.id))
now = utcnow()
db.session.execute(insert(User), [{"email": f"absolwentka{i:03d}@example.org", "full_name": f"Absolwentka Szkolenia {i:03d}",
                                   "password_hash": "!", "email_confirmed_at": now} for i in range(count)])
ids = list(db.session.scalars(select(User.id).where(User.email.like("absolwentka%")).order_by(User.id)))
db.session.execute(insert(UserRole), [{"user_id": i, "role": "learner"} for i in ids])
db.session.execute(insert(Enrolment), [{"user_id": i, "course_id": course.id, "enrolled_at": now, "completed_at": now,
                                        "completed_version": version.number} for i in ids])
issuer = accounts.create_user(db.session, email="wystawca@example.org", full_name="Irena Wystawczyni", password=password, roles=("issuer",))
job = bulk.create_job(db.session, course, user_ids=ids, period_from=None, period_to=None, send_email=False, requested_by_id=issuer.id)
db.session.commit()
print(json.dumps({"job": job.id, "rq": enqueue("elearn.certificates.bulk.run_bulk_job", job.id), "issuer": issuer.email}))
"""


def job_row(database_url: str, job_id: int) -> tuple[int, int, str]:
    with psycopg.connect(database_url) as conn:
        return conn.execute("SELECT done, total, state FROM certificate_bulk_jobs WHERE id = %s", (job_id,)).fetchone()


def test_a_worker_killed_mid_bulk_issue_is_resumed_with_no_duplicate_and_no_gap(stack):
    queued = json.loads(stack.python(QUEUE_A_BULK_JOB, str(GRADUATES), stack.password).strip().splitlines()[-1])
    assert queued["rq"], "with REDIS_URL set the job goes to the RQ queue"
    job_id = queued["job"]
    worker = stack.start_worker("worker-killed")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and job_row(stack.database_url, job_id)[0] < 6:
        time.sleep(0.05)
    kill_tree(worker.pid)  # the worker, its work horse and its render pool, mid-job
    worker.wait()
    done, total, state = job_row(stack.database_url, job_id)
    assert 6 <= done < total and state == "running", (done, total, state)

    time.sleep(STALLED_AFTER + 0.5)  # no heartbeat since the kill: the job is stalled
    issuer = stack.client()
    assert issuer.login(queued["issuer"], stack.password).status == 302
    page = issuer.get(f"/certificates/jobs/{job_id}")
    assert "prawdopodobnie się zatrzymał" in page.text
    assert issuer.post(f"/certificates/jobs/{job_id}/resume", {"csrf_token": page.csrf()}).status == 302
    stack.start_worker("worker-resumed", burst=True).wait(timeout=180)

    assert job_row(stack.database_url, job_id) == (GRADUATES, GRADUATES, "finished")
    with psycopg.connect(stack.database_url) as conn:
        seqs = [row[0] for row in conn.execute("SELECT seq FROM certificates ORDER BY seq")]
        holders = conn.execute("SELECT count(DISTINCT user_id), count(*) FROM certificates").fetchone()
    assert seqs == list(range(1, GRADUATES + 1))  # gap-free: the killed batch's numbers were never committed
    assert holders == (GRADUATES, GRADUATES)  # nobody twice
    assert "stopped with an error" not in issuer.get(f"/certificates/jobs/{job_id}").text
