"""Real headless Chromium against a real server thread on 127.0.0.1 with its own seeded database."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from elearn.extensions import db
from tests.helpers import BACKEND, make_test_app, migrate_and_seed

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))
            item.add_marker(pytest.mark.no_db_transaction)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The served application (its outbox holds the mail the pages send)."""
    if BACKEND != "sqlite":
        pytest.skip("browser tests run on the SQLite pass")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package to run browser tests")
    instance = tmp_path_factory.mktemp("live")
    app = make_test_app(
        f"sqlite:///{instance / 'live.sqlite3'}",
        instance,
        WTF_CSRF_ENABLED=True,
        JOBS_INLINE_MODE="thread",
        DEMO_ACCOUNTS=True,
    )
    migrate_and_seed(app)
    from elearn.seed import load_demo_data

    with app.app_context():
        load_demo_data()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()


@pytest.fixture(scope="session")
def live_server(live_app):
    return live_app.config["PUBLIC_BASE_URL"]


@pytest.fixture(scope="session")
def browser(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: csp_errors.append(f"JS error: {exc}"))
    yield page
    context.close()
    assert not csp_errors, f"Browser reported CSP violations or script errors: {csp_errors}"
