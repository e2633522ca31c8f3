"""gunicorn settings for production; override with GUNICORN_* or command-line flags."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The application is built once, in the master, mappers configured and templates compiled (wsgi.py); every worker
# is a fork of it. Without this each worker imported and built the app itself (about 2 s of CPU), then configured
# the ORM and compiled templates on its first requests, and again each time max_requests recycled it: at 2 000
# requests under a training week's load, a restart every few seconds, each taking a core from the workers still
# serving (BENCHMARKS.md). So a new release needs `systemctl restart`: HUP re-forks the workers from the old code.
preload_app = True
# Recycling bounds slow growth of a worker's memory; a fork is cheap, but each new worker still fills its caches.
max_requests = 20000
max_requests_jitter = 2000


def post_fork(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    """A worker must not use database connections it inherited from the master: drop them without closing them."""
    app = worker.app.wsgi()  # the application the master loaded (or this worker's own, without preload_app)
    if "sqlalchemy" in getattr(app, "extensions", {}):
        from elearn.core.db import forget_inherited_connections

        forget_inherited_connections(app)
