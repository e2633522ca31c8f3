"""`flask directory …`: load geography and institutions."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..extensions import db
from . import services

cli = AppGroup("directory", help="Geography (TERYT) and institutions.")


@cli.command("import-teryt")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@click.option("--voivodeship", "voivodeships", multiple=True, help="Two-digit WOJ code(s) to import; all when omitted.")
def import_teryt(path: Path | None, voivodeships: tuple[str, ...]) -> None:
    """Import an official TERYT TERC CSV (defaults to the shipped kujawsko-pomorskie file)."""
    try:
        result = services.import_terc(db.session, path or services.SEED_TERC, set(voivodeships) or None)
    except services.TercFormatError as exc:
        db.session.rollback()
        raise click.ClickException(exc.english()) from exc
    db.session.commit()
    click.echo(f"TERYT: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")


@cli.command("seed-institutions")
@click.option("--voivodeship", default="04", show_default=True)
def seed_institutions(voivodeship: str) -> None:
    """Create one social assistance centre per gmina, a PCPR per powiat and the ROPS (skips existing ones)."""
    created = services.seed_institutions(db.session, voivodeship)
    db.session.commit()
    click.echo(f"Institutions: {created} created")
