"""`flask setup` steps of the discussion domain: the reference topic forums and (in development) demo threads."""

from __future__ import annotations

import click
from flask import current_app

from ..extensions import db


def load_step() -> None:
    """The reference forums ("SRPS w praktyce", "Animacja w małej gminie", …), created once by slug."""
    from .demo import load_forums

    created = load_forums(db.session)
    db.session.commit()
    click.echo(f"Discussion forums: {created} created")


def demo_step() -> None:
    from .demo import create_discussion_demo

    created = create_discussion_demo(db.session, current_app.instance_path)
    db.session.commit()
    click.echo(f"Demo discussion threads: {created} created")
