"""`flask notifications send-due`: reminders and daily digests, for cron or a systemd timer."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ...extensions import db
from . import services

cli = AppGroup("notifications", help="Notifications: reminders and e-mail digests.")


@cli.command("send-due")
@click.option("--digest/--no-digest", default=True, show_default=True, help="Also send the daily digest e-mails.")
def send_due(digest: bool) -> None:
    """Create due reminders, mail waiting notifications and the digests; running it again sends nothing twice."""
    result = services.send_due(db.session, digests=digest)
    db.session.commit()
    click.echo(f"reminders created: {result.created}; e-mails sent: {result.mailed}; digests sent: {result.digests}")
