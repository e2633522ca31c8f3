"""`flask advisory …`: the support advisory gave in a period (for reports), and the demo step."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from ..extensions import db
from .services.counting import closed_support

cli = AppGroup("advisory", help="Advisory cases (doradztwo).")


@cli.command("counts")
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="First day.")
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="Day after the last.")
def counts_command(start: datetime, end: datetime) -> None:
    """Print the cases closed in the period, the institutions and persons supported and the advisors' hours."""
    found = closed_support(db.session, start, end)
    click.echo(f"cases: {len(found)}")
    click.echo(f"institutions: {len({c.institution_id for c in found})}")
    click.echo(f"persons: {len({p for c in found for p in c.person_ids})}")
    click.echo(f"hours: {round(sum(c.minutes for c in found) / 60, 1)}")


def demo_step() -> None:
    """Demo step: advisory cases in every state from two demo institutions."""
    from flask import current_app

    from .demo import create_advisory_demo

    created = create_advisory_demo(db.session, password=current_app.config["DEMO_PASSWORD"])
    db.session.commit()
    click.echo(f"Demo advisory cases: {created} created")
