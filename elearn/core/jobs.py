"""The one job runner: RQ on Redis when REDIS_URL is set, otherwise in-process.

In-process jobs run in a background thread (JOBS_INLINE_MODE="thread", the default) so a page can poll
progress, or synchronously (JOBS_INLINE_MODE="sync", used by tests). Outside a request (CLI, set-up) in-process
jobs always run synchronously.
Jobs are named by import path and take JSON-able arguments, so the same call works on both backends.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable

from flask import current_app, has_request_context

log = logging.getLogger(__name__)


def _resolve(path: str) -> Callable:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def run_job(path: str, *args, **kwargs):
    """Entry point on a worker: build an app context when the worker has none."""
    from flask import has_app_context

    if has_app_context():
        return _resolve(path)(*args, **kwargs)
    from .. import create_app

    app = create_app()
    with app.app_context():
        return _resolve(path)(*args, **kwargs)


def backend_name(app=None) -> str:
    app = app or current_app
    if app.config["REDIS_URL"] and app.config["JOBS_BACKEND"] in ("auto", "rq"):
        return "rq"
    return app.config["JOBS_INLINE_MODE"]


def enqueue(path: str, *args, job_timeout: int = 3600, **kwargs) -> str | None:
    """Queue job `path(*args, **kwargs)`; returns the RQ job id, or None for in-process runs."""
    backend = backend_name()
    if backend == "rq":
        from redis import Redis
        from redis.exceptions import RedisError
        from rq import Queue

        try:
            queue = Queue(current_app.config["RQ_QUEUE"], connection=Redis.from_url(current_app.config["REDIS_URL"]))
            job = queue.enqueue(run_job, path, *args, job_timeout=job_timeout, **kwargs)
        except RedisError as error:
            # Redis is down: run the job here rather than lose it (the jobs are idempotent and record their state).
            log.warning("Redis unreachable (%s): running job %s in-process", error, path)
        else:
            return job.id
    if backend == "sync" or not has_request_context():
        # Outside a request (a CLI command, set-up, another job) nobody polls a progress bar, and a daemon thread
        # would die with the process or race the caller's own writes for SQLite's lock: run the job now.
        _resolve(path)(*args, **kwargs)
        return None
    app = current_app._get_current_object()

    def target():
        with app.app_context():
            try:
                _resolve(path)(*args, **kwargs)
            except Exception:  # the job records its own failure state; log for the operator
                log.exception("Background job %s failed", path)

    threading.Thread(target=target, name=f"job:{path}", daemon=True).start()
    return None
