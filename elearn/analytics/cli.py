"""`flask analytics …`: the needs table for scheduled reporting, suppressed as on the page."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..competencies.services.framework import role_by_code
from ..extensions import db
from .services import needs as needs_service
from .services.export import BY, FORMATS, export_indicators, export_needs

cli = AppGroup("analytics", help="Regional analytics for ROPS: training needs and project indicators.")


@cli.command("needs")
@click.option("--by", "by", type=click.Choice(BY), required=True, help="One row per powiat or per institution type.")
@click.option("--role", default="", help="Framework role code (default: all roles).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def needs_command(by: str, role: str, fmt: str, path: Path) -> None:
    """Write the workers-behind table (cells under 5 people and their complements as "< 5") to PATH."""
    if role and role_by_code(db.session, role) is None:
        raise click.BadParameter(f"unknown role {role!r}", param_hint="--role")
    body = export_needs(db.session, needs_service.Scope(role=role), by=by, fmt=fmt, actor_id=None)
    path.write_bytes(body)
    db.session.commit()
    click.echo(f"Written {path}")


@cli.command("indicators")
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def indicators_command(start, end, fmt: str, path: Path) -> None:
    """Write the project indicators of the period (both dates included; small numbers as "< 5") to PATH."""
    if end < start:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    targets = current_app.config.get("ANALYTICS_TARGETS")
    path.write_bytes(export_indicators(db.session, start.date(), end.date(), fmt=fmt, actor_id=None, targets=targets))
    db.session.commit()
    click.echo(f"Written {path}")


@cli.command("synthetic")
@click.option("--workers", type=click.IntRange(1, 1_000_000), required=True)
@click.option("--institutions", type=click.IntRange(1, 100_000), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--evidence-per-worker", type=click.IntRange(0, 200), default=8, show_default=True)
def synthetic_command(workers: int, institutions: int, seed: int, evidence_per_worker: int) -> None:
    """Add a deterministic synthetic region (development and benchmarks only; refused in production)."""
    from .services import synthetic

    if current_app.config["ELEARN_ENV"] == "production":
        raise click.ClickException("synthetic data is for development and benchmarks: refused in production")
    try:
        made = synthetic.generate(
            db.session, workers=workers, institutions=institutions, seed=seed, evidence_per_worker=evidence_per_worker
        )
    except synthetic.SyntheticError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        f"Synthetic region (seed {seed}): {made.institutions} institutions, {made.workers} workers, {made.evidence} evidence, "
        f"{made.levels} levels, {made.enrolments} enrolments, {made.certificates} certificates, {made.events} events "
        f"with {made.attended} attended places"
    )


@cli.command("rebuild-summary")
def rebuild_summary_command() -> None:
    """Count every worker's levels into the level-count summary again (repairs a damaged summary)."""
    from ..competencies.services import level_counts

    workers = level_counts.rebuild(db.session)
    db.session.commit()
    click.echo(f"Level-count summary rebuilt: {workers} workers")
