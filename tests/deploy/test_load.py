"""A short run of `make loadtest` (tools/loadtest.py) in CI: simulated learners through nginx against two gunicorn
instances on PostgreSQL — no 5xx, no lost writes — and the same load with the database's connections cut."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from tools.loadtest import lost_writes, run_load, stored_writes, summary

pytestmark = [pytest.mark.deploy, pytest.mark.no_db_transaction, pytest.mark.xdist_group("deploy")]

LEARNERS = 10


@pytest.fixture(scope="module")
def plan(stack) -> dict:
    return stack.seed_learners(LEARNERS, graduate=True)


def test_simulated_learners_get_no_server_error_and_lose_no_write(stack, plan):
    before = stored_writes(stack)
    report = run_load(stack, plan, learners=LEARNERS, seconds=6)
    lost = lost_writes(stack, report, before)
    print(summary(report, lost, LEARNERS, 6))
    assert report.server_errors == 0 and not lost and not report.errors and not report.refused_logins, summary(report, lost, LEARNERS, 6)
    assert sum(len(keys) for keys in report.lessons_done.values()) > 0 and report.requests > LEARNERS * 3


def cut_connections(database_url: str) -> int:
    """What a PostgreSQL restart does to the app: every connection to its database is closed under it."""
    name = database_url.rsplit("/", 1)[-1]
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,)
        ).fetchall()
    return len(rows)


def test_connections_cut_mid_load_recover_without_hanging_or_half_writes(stack, plan):
    before = stored_writes(stack)
    cut_at: list[float] = []
    killed: list[int] = []

    def fault():
        time.sleep(4)
        cut_at.append(time.monotonic())
        killed.append(cut_connections(stack.database_url))

    saboteur = threading.Thread(target=fault)
    saboteur.start()
    report = run_load(stack, plan, learners=LEARNERS, seconds=10)
    saboteur.join()
    lost = lost_writes(stack, report, before)
    print(summary(report, lost, LEARNERS, 10), f"\nconnections cut: {killed}")
    assert killed and killed[0] > 0  # the app's pooled connections were there and were cut
    # only requests in flight at the cut may fail (at most one per gunicorn thread); the pool's pre-ping replaces the rest
    assert report.server_errors <= 2 * 2 * len(stack.app_ports), summary(report, lost, LEARNERS, 10)
    sent_after_the_cut = [status for sent, _action, status in report.timeline if sent > cut_at[0] + 0.5]
    assert sent_after_the_cut and all(status < 500 for status in sent_after_the_cut), summary(report, lost, LEARNERS, 10)
    assert not report.errors, report.errors[:5]  # no request hung past the client's timeout, none was dropped
    assert not lost, lost  # everything acknowledged is stored; a failed request wrote nothing
