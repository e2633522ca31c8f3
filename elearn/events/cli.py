"""`flask events …`: counts for indicators (persons vs training places vs institutions)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from ..extensions import db
from .services import counting

cli = AppGroup("events", help="Training events.")


@cli.command("counts")
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day (events starting on or after).")
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), help="Day after the last (events starting before).")
def counts_command(start: datetime | None, end: datetime | None) -> None:
    """Print persons, training places and institutions for events in the period."""
    result = counting.count(db.session, start=start, end=end)
    for name, value in vars(result).items():
        click.echo(f"{name}: {value}")


def demo_step(institution_id: int | None) -> None:
    """Demo step: upcoming events (one full, with a waiting list), a webinar, a past workshop with attendance."""
    from flask import current_app

    from .demo import create_demo_events

    created = create_demo_events(db.session, password=current_app.config["DEMO_PASSWORD"], institution_id=institution_id)
    db.session.commit()
    click.echo(f"Demo training events: {created} created")
