"""`flask users …`: account administration for operators and scripts."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from ..extensions import db
from . import services
from .forms import user_details_errors
from .models import LEARNER, ROLES, User

cli = AppGroup("users", help="Manage user accounts.")


def _read_password() -> str:
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise click.ClickException("No password on standard input.")
        return password
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _user(email: str) -> User:
    user = services.find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    return user


@cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), default=(LEARNER,), show_default=True)
@click.option("--institution", "institution_id", type=int, default=None)
@click.option("--job-title", default=None)
def create(email: str, full_name: str, roles: tuple[str, ...], institution_id: int | None, job_title: str | None) -> None:
    """Create an account (confirmed, an accepted member of the institution); the password is read from a prompt or stdin."""
    with force_locale("en"):
        errors = user_details_errors(full_name, job_title)
    if errors:
        labels = {"full_name": "--name", "job_title": "--job-title"}
        raise click.ClickException("; ".join(f"{labels[field]}: {' '.join(messages)}" for field, messages in errors.items()))
    password = _read_password()
    if len(password) < 10:
        raise click.ClickException("The password must have at least 10 characters.")
    try:
        user = services.create_user(
            db.session,
            email=email,
            full_name=full_name,
            password=password,
            roles=roles,
            institution_id=institution_id,
            job_title=job_title,
        )
    except services.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(exc.english()) from exc
    db.session.commit()
    click.echo(f"Created user {user.id} <{user.email}> with roles: {', '.join(sorted(user.roles))}")


@cli.command("set-role")
@click.argument("email")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), required=True, help="Repeat for several roles.")
def set_role(email: str, roles: tuple[str, ...]) -> None:
    """Replace the roles of an account."""
    user = _user(email)
    services.set_roles(db.session, user, set(roles), actor_id=None)
    db.session.commit()
    click.echo(f"{user.email}: {', '.join(sorted(user.roles))}")


@cli.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Block logging in to an account (data stays)."""
    user = _user(email)
    services.set_active(db.session, user, False, actor_id=None)
    db.session.commit()
    click.echo(f"{user.email}: deactivated")
