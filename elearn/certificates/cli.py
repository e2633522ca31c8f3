"""`flask certificates issue|revoke|pdf|register`: the issuer's work from a terminal (commits once per command)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..accounts.services import find_user_by_email
from ..courses.models import Course
from ..extensions import db
from . import services
from .models import Certificate
from .numbering import format_number, parse_number
from .register import export_csv, export_xlsx, register_query

cli = AppGroup("certificates", help="Certificates: issue, revoke, print and export the register.")


def _certificate(number: str) -> Certificate:
    parsed = parse_number(number)
    certificate = db.session.scalar(select(Certificate).where(Certificate.number == format_number(*parsed))) if parsed else None
    if certificate is None:
        raise click.ClickException(f"Nie ma w rejestrze zaświadczenia nr {number}.")
    return certificate


@cli.command("issue")
@click.option("--email", required=True, help="The learner's e-mail address.")
@click.option("--course", "slug", required=True, help="The course slug.")
def issue_command(email: str, slug: str) -> None:
    """Issue a certificate to a person who completed the course."""
    user = find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"Nie ma konta z adresem {email}.")
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        raise click.ClickException(f"Nie ma kursu {slug}.")
    try:
        certificate = services.issue_certificate(db.session, user, course, issued_by_id=None)
    except services.NotEligible as refusal:
        db.session.rollback()
        raise click.ClickException(str(refusal)) from refusal
    db.session.commit()
    click.echo(f"Wydano zaświadczenie nr {certificate.number}")
    click.echo(f"Weryfikacja: {services.verification_url(certificate.verification_code)}")


@cli.command("revoke")
@click.argument("number")
@click.option("--reason", required=True, help="Why the certificate is revoked (kept in the register and audit log).")
def revoke_command(number: str, reason: str) -> None:
    """Revoke a certificate by its register number."""
    if len(reason.strip()) < 5:
        raise click.ClickException("Podaj powód unieważnienia (co najmniej 5 znaków).")
    certificate = _certificate(number)
    try:
        services.revoke(db.session, certificate, reason=reason.strip(), actor_id=None)
    except services.NotEligible as refusal:
        raise click.ClickException(str(refusal)) from refusal
    db.session.commit()
    click.echo(f"Unieważniono zaświadczenie nr {certificate.number}")


@cli.command("pdf")
@click.argument("number")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--original", is_flag=True, help="The document as issued, without a revocation stamp (its hash is the register's).")
def pdf_command(number: str, path: Path, original: bool) -> None:
    """Write the certificate's PDF: as the holder gets it (stamped if revoked), or with --original as issued."""
    certificate = _certificate(number)
    data = services.original_pdf(certificate) if original else services.certificate_pdf(certificate)
    path.write_bytes(data)
    click.echo(f"{path} ({len(data)} B, SHA-256 {certificate.pdf_sha256})")


@cli.command("register")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def register_command(fmt: str, path: Path) -> None:
    """Export the whole register."""
    query = register_query()
    path.write_bytes(export_csv(db.session, query) if fmt == "csv" else export_xlsx(db.session, query))
    click.echo(f"{path}")


def load_step() -> None:
    """Seed step: the issuer profile with ROPS defaults (an admin edits it under Certificate branding)."""
    created = services.ensure_issuer_profile(db.session)
    db.session.commit()
    click.echo(f"Certificate issuer profile: {'created' if created else 'kept'}")
    from . import signing

    click.echo(f"Open Badges signing key: {'created' if signing.ensure_key() else 'kept'} in {signing.key_dir()}")


@cli.command("rotate-key")
def rotate_key_command() -> None:
    """Create a new Open Badges signing key; it signs from now on, and older keys stay published so earlier
    credentials still verify."""
    from . import signing

    key = signing.create_key()
    click.echo(f"New signing key {key.kid} ({key.path}); published keys: {len(signing.issuer_keys())}")


def demo_step(institution_id: int | None) -> None:
    """Demo step: absolwent@example.org, who completed the animator course and its prerequisite; animatorka@example.org
    with an animator role certificate; kandydatka@example.org, two competences short of it."""
    from flask import current_app

    from .demo import GRADUATE_EMAIL, ROLE_CANDIDATE_EMAIL, ROLE_HOLDER_EMAIL, create_graduate, create_role_learners

    create_graduate(db.session, password=current_app.config["DEMO_PASSWORD"], institution_id=institution_id)
    db.session.commit()
    click.echo(f"Demo graduate eligible for a certificate: {GRADUATE_EMAIL}")
    create_role_learners(db.session, password=current_app.config["DEMO_PASSWORD"], institution_id=institution_id)
    db.session.commit()
    click.echo(f"Demo role certificate holder: {ROLE_HOLDER_EMAIL}; two competences short: {ROLE_CANDIDATE_EMAIL}")
