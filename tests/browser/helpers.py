"""Helpers for browser tests: logging in through the real form and the axe-core accessibility scan."""

from __future__ import annotations

import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path

DEMO_PASSWORD = "Demo-haslo-2026"
BLOCKING_IMPACTS = {"serious", "critical"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def _axe_source() -> str:
    # axe-core as bundled by the axe-playwright-python package: no network at test time.
    spec = find_spec("axe_playwright_python")
    return (Path(spec.origin).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_check(page, context: str | None = None) -> list[dict]:
    """Run axe-core on the current page; fail on serious or critical violations. Returns all violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations = results["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        summary = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]} for v in blocking
        ]
        raise AssertionError(
            f"axe-core found serious/critical violations on {context or page.url}:\n{json.dumps(summary, indent=2, ensure_ascii=False)}"
        )
    return violations


def follow(page, locator) -> None:
    """Click a link or submit button and wait until the page it leads to has loaded.

    A bare ``click()`` returns as soon as the click is dispatched; scanning right after it races the
    navigation (axe then finds no document). Every click that leaves the page goes through here.
    """
    with page.expect_navigation(wait_until="load"):
        locator.click()


def login(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/login")
    axe_check(page)
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło", exact=True).fill(password)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(f"{base_url}/dashboard")
