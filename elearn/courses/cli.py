"""`flask courses sync [PATH]`, `flask courses export SLUG DIR` and `flask courses check [PATH]`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .services.checks import ERROR, check_tree
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
        click.echo(exc.english(), err=True)
        raise click.ClickException(f"{len(exc.messages)} error(s); nothing was imported.") from None
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


@cli.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--glossary", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Default: PATH/glossary.yml.")
@click.option("--strict", is_flag=True, help="Treat warnings that are not accepted in course.yml as errors.")
def check_command(path: Path | None, glossary: Path | None, strict: bool) -> None:
    """Check course content for certification (quiz bias, lessons, images, links, glossary, names); exit 1 on errors."""
    report = check_tree(path or default_courses_root(), glossary)
    if report.glossary is None:
        click.echo("No glossary.yml found: glossary terms and fictional names are not checked.")
    for course in [*report.courses, *sorted({f.course for f in report.findings} - set(report.courses))]:
        own = [f for f in report.findings if f.course == course]
        click.echo(f"== {course or 'files'}")
        for finding in own:
            accepted = f" [accepted: {finding.accepted}]" if finding.accepted else ""
            click.echo(f"{finding.location}: {finding.level} [{finding.rule}] {finding.message}{accepted}")
        counts = Counter((f.level, bool(f.accepted)) for f in own)
        click.echo(
            f"   {counts[(ERROR, False)]} error(s), {counts[('warning', False)]} warning(s), "
            f"{counts[('warning', True)]} accepted warning(s)"
        )
    failing = report.errors(strict)
    if failing:
        raise click.ClickException(f"{len(failing)} problem(s) must be fixed{' (--strict)' if strict else ''}.")
    click.echo(f"Checked {len(report.courses)} course(s): no errors.")


def load_step() -> None:
    """`flask setup` / `make run`: sync the shipped courses (after the competency model, which validates codes)."""
    try:
        report = sync_courses(db.session, default_courses_root())
    except SyncError as exc:
        db.session.rollback()
        raise click.ClickException("Shipped courses are invalid:\n" + exc.english()) from None
    rerendered = rerender_stale(db.session)
    db.session.commit()
    click.echo(f"Courses: {len(report.created)} created, {len(report.updated)} updated, {len(report.unchanged)} unchanged")
    if rerendered:
        click.echo(f"Lessons rendered again with the current Markdown renderer: {rerendered}")
