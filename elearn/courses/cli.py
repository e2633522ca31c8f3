"""`flask courses sync [PATH]` and `flask courses export SLUG DIR`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .services.content import rerender_stale
from .services.sync import SyncError, export_course, sync_courses

cli = AppGroup("courses", help="Courses: import and export course folders.")


def default_courses_root() -> Path:
    return Path(current_app.root_path).parent / "courses"


@cli.command("sync")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def sync_command(path: Path | None) -> None:
    """Import or update every course under PATH (default: the repository's courses/ folder), all or nothing."""
    root = path or default_courses_root()
    try:
        report = sync_courses(db.session, root)
    except SyncError as exc:
        db.session.rollback()
        for error in exc.errors:
            click.echo(error, err=True)
        raise click.ClickException(f"{len(exc.errors)} error(s); nothing was imported.") from None
    rerendered = rerender_stale(db.session)
    db.session.commit()
    click.echo(f"Courses: {len(report.created)} created, {len(report.updated)} updated, {len(report.unchanged)} unchanged")
    if rerendered:
        click.echo(f"Lessons rendered again with the current Markdown renderer: {rerendered}")


@cli.command("export")
@click.argument("slug")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--published", is_flag=True, help="Export the latest published version instead of the draft.")
def export_command(slug: str, directory: Path, published: bool) -> None:
    """Write course SLUG into DIRECTORY/SLUG in the course file format."""
    try:
        files = export_course(db.session, slug, directory, published=published)
    except LookupError:
        raise click.ClickException(f"No course {slug!r}.") from None
    click.echo(f"Exported {len(files)} files to {files[0].parent}")


def load_step() -> None:
    """`flask setup` / `make run`: sync the shipped courses (after the competency model, which validates codes)."""
    try:
        report = sync_courses(db.session, default_courses_root())
    except SyncError as exc:
        db.session.rollback()
        raise click.ClickException("Shipped courses are invalid:\n" + "\n".join(exc.errors)) from None
    rerendered = rerender_stale(db.session)
    db.session.commit()
    click.echo(f"Courses: {len(report.created)} created, {len(report.updated)} updated, {len(report.unchanged)} unchanged")
    if rerendered:
        click.echo(f"Lessons rendered again with the current Markdown renderer: {rerendered}")
