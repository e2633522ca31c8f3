"""elearn: e-learning and competency platform for social assistance staff (OSL standard)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from . import config as config_module
from .extensions import babel, csrf, db, limiter, login_manager, migrate

# Each domain's blueprint module creates its blueprint and registers every URL rule of its view modules.
BLUEPRINT_MODULES = (
    "elearn.core.blueprint",
    "elearn.core.notifications.blueprint",
    "elearn.core.search.blueprint",
    "elearn.accounts.blueprint",
    "elearn.directory.blueprint",
    "elearn.courses.blueprint",
    "elearn.competencies.blueprint",
    "elearn.competencies.case_blueprint",
    "elearn.practice.blueprint",
    "elearn.certificates.blueprint",
    "elearn.events.blueprint",
    "elearn.advisory.blueprint",
    "elearn.knowledge.blueprint",
    "elearn.discussion.blueprint",
    "elearn.analytics.blueprint",
)
CLI_MODULES = (
    "elearn.core.cli",
    "elearn.core.notifications.cli",
    "elearn.core.search.cli",
    "elearn.accounts.cli",
    "elearn.directory.cli",
    "elearn.courses.cli",
    "elearn.competencies.cli",
    "elearn.certificates.cli",
    "elearn.events.cli",
    "elearn.advisory.cli",
    "elearn.analytics.cli",
)


def create_app(config: str | dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, CLI and error pages."""
    app = Flask(__name__, instance_path=os.environ.get("ELEARN_INSTANCE_PATH") or str(Path.cwd() / "instance"))
    overrides: dict = {}
    if isinstance(config, dict):
        overrides = dict(config)
        env_name = overrides.pop("ELEARN_ENV", None) or os.environ.get("ELEARN_ENV", "development")
    else:
        env_name = config or os.environ.get("ELEARN_ENV", "development")
    if env_name not in config_module.CONFIGS:
        raise RuntimeError(f"ELEARN_ENV must be one of {sorted(config_module.CONFIGS)}, not {env_name!r}")
    app.config.from_object(config_module.CONFIGS[env_name])
    # instance/config.py, by its full path: a bare "config.py" is looked up beside the package and found elearn/config.py
    app.config.from_pyfile(str(Path(app.instance_path) / "config.py"), silent=True)
    app.config.update(overrides)
    config_module.load_environment(app)
    config_module.check_production(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _trust_proxies(app)

    _init_extensions(app)

    import importlib

    from .core import errors, security, templating, throttle, urls

    urls.init_app(app)  # before the blueprints: their rules take the bounded `int` converter
    for name in BLUEPRINT_MODULES:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)
    for name in CLI_MODULES:
        module = importlib.import_module(name)
        app.cli.add_command(module.cli)
    from .seed import setup_command

    app.cli.add_command(setup_command)
    connect_listeners()

    from .core import db as core_db

    core_db.init_app(app)
    security.init_app(app)
    throttle.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    return app


def warm_up(app: Flask) -> None:
    """Do now what the first requests of every new process would: configure the ORM's mappers (~0.2 s) and compile
    every template (~1 s). wsgi.py calls it once in gunicorn's master, before the workers are forked from it."""
    from sqlalchemy.orm import configure_mappers

    from .core.templating import compile_templates

    configure_mappers()
    compile_templates(app)


def connect_listeners() -> None:
    """Every signal receiver of the application, in one list: lower domains announce, higher ones listen.

    Connecting is idempotent (blinker keys receivers by identity), so building several apps is harmless."""
    from .accounts import notifications as account_notifications
    from .advisory import listeners as advisory
    from .certificates import listeners as certificates
    from .certificates import roles as role_certificates
    from .competencies import listeners as competencies
    from .competencies.signals import evidence_withdrawn
    from .core.notifications import listeners as notifications
    from .core.notifications import register_recipient_resolver
    from .core.registry import collect_personal_data, erase_personal_data
    from .courses import listeners as courses
    from .courses.signals import competence_catalogue, course_validating, module_completed
    from .discussion import listeners as discussion
    from .events import listeners as events
    from .events.services.contributions import event_contributions
    from .knowledge import listeners as knowledge
    from .practice import listeners as practice

    listeners = (
        (collect_personal_data, notifications.collect),
        (collect_personal_data, courses.collect),
        (collect_personal_data, competencies.collect),
        (collect_personal_data, certificates.collect),
        (collect_personal_data, practice.collect),
        (collect_personal_data, events.collect),
        (collect_personal_data, advisory.collect),
        (collect_personal_data, knowledge.collect),
        (collect_personal_data, discussion.collect),
        (erase_personal_data, notifications.erase),
        (erase_personal_data, competencies.erase),
        (erase_personal_data, certificates.erase),
        (erase_personal_data, practice.erase),
        (erase_personal_data, events.erase),
        (erase_personal_data, advisory.erase),
        (erase_personal_data, knowledge.erase),
        (erase_personal_data, discussion.erase),
        (course_validating, competencies.reject_unknown_codes),
        (competence_catalogue, competencies.competence_catalogue),
        (module_completed, competencies.record_module_evidence),
        (evidence_withdrawn, role_certificates.on_evidence_withdrawn),
    )
    for signal, receiver in listeners:
        signal.connect(receiver)
    from .competencies.services import level_counts

    level_counts.listen()  # the level-count summary follows every flush that changes levels, workers or roles
    register_recipient_resolver(account_notifications.recipient)
    # Role certificates list the training events (with hours) that addressed the role's competences.
    role_certificates.register_contribution_provider("events", event_contributions)


def _trust_proxies(app: Flask) -> None:
    """Read X-Forwarded-* only from as many proxies as configured; by default trust none (clients could forge them)."""
    counts = {key.removeprefix("PROXY_FIX_").lower(): int(app.config.get(key) or 0) for key in config_module.PROXY_FIX_KEYS}
    if any(counts.values()):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)


def _init_extensions(app: Flask) -> None:
    from .core import db as _sqlite_events  # noqa: F401 - registers engine event listeners
    from .core import i18n
    from .core.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    translation_dirs = [str(p) for p in sorted(Path(__file__).resolve().parent.glob("**/translations")) if p.is_dir()]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_dirs)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    i18n.install(app, babel)
    limiter.init_app(app)
