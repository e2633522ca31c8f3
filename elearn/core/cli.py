"""`flask jobs worker`: the RQ worker for background jobs."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

cli = AppGroup("jobs", help="Background jobs.")


@cli.command("worker")
@click.option("--burst", is_flag=True, help="Exit when the queue is empty.")
def worker(burst: bool) -> None:
    """Run an RQ worker on REDIS_URL."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: jobs run in-process, no worker is needed.")
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(url)
    queue = Queue(current_app.config["RQ_QUEUE"], connection=connection)
    Worker([queue], connection=connection).work(burst=burst)
