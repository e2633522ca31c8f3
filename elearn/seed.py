"""`flask setup`: bring a database to a usable state; safe to run any number of times."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .accounts import services as accounts
from .accounts.models import ADMIN, COORDINATOR, ISSUER, LEARNER, TRAINER
from .directory import services as directory
from .directory.models import Institution
from .extensions import db

DEMO_ACCOUNTS = (
    # email, name, roles, institution type used to pick an institution
    ("pracownik@example.org", "Anna Kowalska", (LEARNER,), "gmina"),
    ("trener@example.org", "Tomasz Nowak", (TRAINER,), "ROPS"),
    ("koordynator@example.org", "Barbara Wiśniewska", (COORDINATOR, LEARNER), "gmina"),
    ("rops@example.org", "Katarzyna Zielińska", (ISSUER,), "ROPS"),
    ("admin@example.org", "Piotr Wójcik", (ADMIN,), "ROPS"),
)
DEMO_GMINA_CODE = "0415042"  # Lubicz (gmina wiejska, powiat toruński)


def _demo_institution(kind: str) -> Institution | None:
    from sqlalchemy import select

    from .directory.models import TerritorialUnit

    if kind == "ROPS":
        return db.session.scalar(select(Institution).where(Institution.type == "ROPS").order_by(Institution.id))
    unit = db.session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == DEMO_GMINA_CODE))
    return db.session.scalar(select(Institution).where(Institution.served_area_id == unit.id)) if unit else None


def create_demo_accounts() -> int:
    created = 0
    password = current_app.config["DEMO_PASSWORD"]
    for email, name, roles, kind in DEMO_ACCOUNTS:
        if accounts.email_taken(db.session, email):
            continue
        institution = _demo_institution(kind)
        accounts.create_user(
            db.session,
            email=email,
            full_name=name,
            password=password,
            roles=roles,
            institution_id=institution.id if institution else None,
            job_title="konto demonstracyjne",
        )
        created += 1
    return created


def load_reference_data() -> None:
    """Geography, institutions, the competency model and shipped courses: everything but demo accounts."""
    result = directory.import_terc(db.session, directory.SEED_TERC)
    click.echo(f"TERYT: {result.created} created, {result.updated} updated")
    click.echo(f"Institutions: {directory.seed_institutions(db.session)} created")
    db.session.commit()
    # Domains that ship content add their loading step here, in dependency order (competencies, then courses).
    from .competencies.cli import load_step as load_competency_model

    load_competency_model()  # before courses: course sync rejects competence codes the framework lacks
    from .courses.cli import load_step as load_courses

    load_courses()  # after the competency model: course sync rejects competence codes it lacks
    from .certificates.cli import load_step as load_certificate_settings

    load_certificate_settings()  # after courses: the issuer profile certificates are printed with
    from .discussion.cli import load_step as load_forums

    load_forums()  # the reference topic forums
    from .core.search.cli import load_step as load_search_index

    load_search_index()  # last: fills the kinds the index does not hold yet (content loads index what they change)


def load_demo_data() -> None:
    """Development-only demo accounts and sample activity; every step is idempotent."""
    click.echo(f"Demo accounts: {create_demo_accounts()} created (password: {current_app.config['DEMO_PASSWORD']})")
    db.session.commit()
    # Domains add their demo steps here (e.g. a graduate eligible for a certificate).
    from .certificates.cli import demo_step as create_certificate_graduate

    institution = _demo_institution("gmina")
    create_certificate_graduate(institution.id if institution else None)
    from .practice.demo import create_practice_demo

    passed, waiting = create_practice_demo(db.session)
    db.session.commit()
    click.echo(f"Demo practical assignments: {passed} passed for absolwent@example.org")
    click.echo(f"Demo submission of uczestniczka@example.org waiting for trener@example.org: {waiting}")

    from .competencies.cli import demo_step as create_assessment_requests

    create_assessment_requests()

    from .events.cli import demo_step as create_demo_events

    create_demo_events(institution.id if institution else None)

    from .advisory.cli import demo_step as create_advisory_cases

    create_advisory_cases()

    from .knowledge.demo import create_knowledge_demo

    created = create_knowledge_demo(db.session)
    db.session.commit()
    click.echo(f"Demo knowledge base: {created} resources created")

    from .discussion.cli import demo_step as create_demo_discussion

    create_demo_discussion()  # after the practice and certificate demos have enrolled their learners

    from .analytics.demo import create_analytics_demo

    workers = create_analytics_demo(db.session)
    db.session.commit()
    click.echo(f"Demo analytics region: {workers} synthetic workers added (@synthetic.example.org)")


@click.command("setup")
@click.option("--demo/--no-demo", default=None, help="Create demo accounts (default: only in development).")
@with_appcontext
def setup_command(demo: bool | None) -> None:
    """Load geography, institutions, the competency model, shipped courses and (in development) demo accounts."""
    load_reference_data()
    if demo is None:
        demo = bool(current_app.config.get("DEMO_ACCOUNTS"))
    if demo:
        if current_app.config["ELEARN_ENV"] == "production":
            raise click.ClickException("Demo accounts are not allowed in production.")
        load_demo_data()
