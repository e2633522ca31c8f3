"""`flask directory …`: load geography and institutions."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from ..extensions import db
from . import services
from .services import registers

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


@cli.command("import-institutions")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_institutions(path: Path) -> None:
    """Load institutions from a register file (CSV or XLSX): columns nazwa, typ, teryt and optionally ulica,
    kod_pocztowy, miejscowosc, regon (see elearn/directory/services/registers.py). All rows or none; idempotent."""
    try:
        result = registers.import_institutions(db.session, path)
    except registers.RegisterFormatError as exc:
        db.session.rollback()
        with force_locale("pl"):
            messages = "\n".join(exc.errors)
        raise click.ClickException(f"Nie wczytano pliku {path.name}; nic nie zapisano.\n{messages}") from exc
    db.session.commit()
    click.echo(f"Instytucje z pliku {path.name}: {result.created} dodanych, {result.updated} zmienionych, {result.unchanged} bez zmian")
