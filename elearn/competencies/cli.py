"""`flask competencies …`: load the framework from files, export/import Moodle CSV, export CASE JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from ..extensions import db
from .services.framework import MODEL_DIR, FrameworkError, load_framework

cli = AppGroup("competencies", help="Competency framework: load, export and import.")


def load_step() -> None:
    """Load the shipped framework (seed step); raises ClickException listing every problem."""
    try:
        result = load_framework(db.session, MODEL_DIR)
    except FrameworkError as exc:
        db.session.rollback()
        raise click.ClickException("competency model is invalid:\n" + exc.english()) from exc
    db.session.commit()
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    click.echo(f"Competency framework {result.framework.key} {result.framework.version}: {result.status} ({counts})")


def demo_step() -> None:
    """Demo step: an open assessment request waiting for trener@example.org and a declined one."""
    from .demo import create_requests

    created = create_requests(db.session)
    db.session.commit()
    click.echo(f"Demo assessment requests: {created} created")


@cli.command("load")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@with_appcontext
def load_command(path: Path | None) -> None:
    """Validate and load the competency model folder (default: competency_model/ in the repository)."""
    try:
        result = load_framework(db.session, path or MODEL_DIR)
    except FrameworkError as exc:
        db.session.rollback()
        click.echo(exc.english(), err=True)
        raise click.ClickException(f"{len(exc.messages)} problem(s) found; nothing was loaded") from exc
    db.session.commit()
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    click.echo(f"{result.framework.key} {result.framework.version}: {result.status} ({counts})")


@cli.command("use-framework")
@click.argument("key")
@with_appcontext
def use_framework_command(key: str) -> None:
    """Make role profiles use the stored framework KEY (default: osl); imports never switch it themselves."""
    from .services.framework import set_profile_framework

    try:
        framework = set_profile_framework(db.session, key)
    except FrameworkError as exc:
        db.session.rollback()
        raise click.ClickException(exc.english()) from exc
    db.session.commit()
    click.echo(f"Role profiles now use {framework.key} {framework.version}: {framework.title}")


@cli.command("export-moodle")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--key", default=None, help="Framework key (default: the framework role profiles use).")
@with_appcontext
def export_moodle_command(path: Path, key: str | None) -> None:
    """Write a framework as a Moodle competency-framework CSV (admin/tool/lpimportcsv)."""
    from .services.framework import current_framework
    from .services.interop import export_moodle_csv

    framework = current_framework(db.session, key)
    if framework is None:
        raise click.ClickException(f"no framework with the key {key!r} is stored")
    path.write_text(export_moodle_csv(db.session, framework), encoding="utf-8")
    click.echo(f"Written {path}")


@cli.command("import-moodle")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--key", default=None, help="Framework key (default: the CSV's framework ID number).")
@click.option("--version", "version", default=None, help="Version to store the import as (default: next minor version).")
@with_appcontext
def import_moodle_command(path: Path, key: str | None, version: str | None) -> None:
    """Import a Moodle competency-framework CSV as a new framework version."""
    from .services.interop import InteropError, import_moodle_csv

    try:
        framework = import_moodle_csv(db.session, path.read_text(encoding="utf-8-sig"), key=key, version=version)
    except InteropError as exc:
        db.session.rollback()
        raise click.ClickException(exc.english()) from exc
    db.session.commit()
    click.echo(
        f"Imported {framework.key} {framework.version}: {len(framework.areas)} top-level and {len(framework.competences)} nested "
        "competencies (unchanged content keeps the stored version)"
    )


@cli.command("export-case")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--key", default=None, help="Framework key (default: the framework role profiles use).")
@with_appcontext
def export_case_command(path: Path, key: str | None) -> None:
    """Write a framework as a 1EdTech CASE 1.1 CFPackage (JSON)."""
    from .services.framework import current_framework
    from .services.interop import InteropError, export_case

    framework = current_framework(db.session, key)
    if framework is None:
        raise click.ClickException(f"no framework with the key {key!r} is stored")
    try:
        package = export_case(db.session, framework)
    except InteropError as exc:
        raise click.ClickException(exc.english()) from exc
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    click.echo(f"Written {path}")


@cli.command("import-case")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--key", default=None, help="Framework key (default: the CFDocument identifier).")
@with_appcontext
def import_case_command(path: Path, key: str | None) -> None:
    """Import a 1EdTech CASE package (JSON, e.g. exported from OpenSALT) as another framework beside the others."""
    from .services.interop import InteropError, import_case

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path} is not JSON: {exc}") from exc
    try:
        framework = import_case(db.session, data, key=key)
    except InteropError as exc:
        db.session.rollback()
        raise click.ClickException(exc.english()) from exc
    db.session.commit()
    click.echo(f"Imported {framework.key} {framework.version}: {len(framework.areas) + len(framework.competences)} items")


@cli.command("profile")
@click.option("--email", required=True, help="The person's e-mail address.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@with_appcontext
def profile_command(email: str, output: str) -> None:
    """Print a person's current levels with the evidence that confirms each (source, date, assessor, course/module)."""
    from ..accounts.services import find_user_by_email
    from .services.support import level_sources

    user = find_user_by_email(db.session, email)
    if user is None or user.erased_at is not None:
        raise click.ClickException(f"no account with the e-mail address {email}")
    rows = level_sources(db.session, user.id)
    if output == "json":
        click.echo(json.dumps({"email": user.email, "name": user.full_name, "levels": rows}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{user.full_name} <{user.email}>")
    if not rows:
        click.echo("No confirmed levels.")
    for row in rows:
        click.echo(f"{row['code']}  level {row['level']}  {row['name']}")
        for source in row["sources"]:
            by = source["assessor"] or "platform"
            where = f"  {source['origin']}" if source["origin"] else ""
            click.echo(f"    {source['source']}  level {source['level']}  {source['date']}  by {by}{where}")
