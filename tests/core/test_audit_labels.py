"""The audit log reads like a log: every action any service audits has a label in words (registered by its domain's
blueprint), so an administrator never reads a bare code such as "advisory.close"."""

from __future__ import annotations

import re
from pathlib import Path

from elearn.core import audit

ROOT = Path(__file__).resolve().parents[2] / "elearn"
AUDITED = re.compile(r'\baudit\(\s*[\w.]+\s*,\s*"([a-z_]+(?:\.[a-z_]+)+)"')


def audited_actions() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        for match in AUDITED.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1), str(path.relative_to(ROOT)))
    return found


def test_every_audited_action_has_a_label_in_words(app):
    actions = audited_actions()
    assert len(actions) > 50  # the scan finds the calls (a broken pattern would pass vacuously)
    unlabelled = {action: where for action, where in actions.items() if action not in audit.ACTION_LABELS}
    assert not unlabelled, f"register these with core.audit.register_actions in the domain's blueprint.py: {unlabelled}"
