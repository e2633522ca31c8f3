"""`flask search reindex`: rebuild the search index from every registered domain."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ...extensions import db
from .registry import kinds
from .services import reindex

cli = AppGroup("search", help="The search index.")


@cli.command("reindex")
@click.option("--kind", "names", multiple=True, help="Only this kind (repeatable); default: every registered kind.")
def reindex_command(names: tuple[str, ...]) -> None:
    """Rebuild the index (one transaction); content changes keep it current, so this is for repairs and upgrades."""
    known = {k.name for k in kinds()}
    unknown = sorted(set(names) - known)
    if unknown:
        raise click.BadParameter(f"unknown kind(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}", param_hint="--kind")
    counts = reindex(db.session, names or None)
    db.session.commit()
    for name, count in counts.items():
        click.echo(f"{name}: {count} documents")


def load_step() -> None:
    """`flask setup`: fill the kinds whose index is still empty (after the upgrade that created the index)."""
    from sqlalchemy import func, select

    from .models import SearchEntry

    present = set(db.session.scalars(select(SearchEntry.kind).group_by(SearchEntry.kind).having(func.count() > 0)))
    missing = [k.name for k in kinds() if k.name not in present]
    if missing:
        counts = reindex(db.session, missing)
        db.session.commit()
        click.echo("Search index: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
