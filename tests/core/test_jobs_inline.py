"""In-process jobs: a background thread inside a request, synchronous outside one (CLI, set-up)."""

from __future__ import annotations

import threading

from elearn.core import jobs

RAN_IN: list[str] = []


def record_thread() -> None:
    RAN_IN.append(threading.current_thread().name)


def test_outside_a_request_a_thread_mode_job_runs_at_once_in_the_caller(app, monkeypatch):
    """Found by the browser set-up: demo data seeded in thread mode raced its own mail jobs for SQLite's lock."""
    monkeypatch.setitem(app.config, "JOBS_INLINE_MODE", "thread")
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    RAN_IN.clear()
    jobs.enqueue("tests.core.test_jobs_inline.record_thread")
    assert [threading.current_thread().name] == RAN_IN


def test_inside_a_request_a_thread_mode_job_runs_in_the_background(app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE_MODE", "thread")
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    RAN_IN.clear()
    with app.test_request_context("/"):
        jobs.enqueue("tests.core.test_jobs_inline.record_thread")
    for thread in threading.enumerate():
        if thread.name.startswith("job:tests.core.test_jobs_inline"):
            thread.join(5)
    assert RAN_IN == ["job:tests.core.test_jobs_inline.record_thread"]
