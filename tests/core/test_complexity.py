"""No function in elearn/ is harder to follow than radon's rank C (cyclomatic complexity 20)."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit

LIMIT = 20
PACKAGE = Path(__file__).resolve().parents[2] / "elearn"


def _blocks(code: str):
    for block in cc_visit(code):
        yield block
        yield from getattr(block, "methods", [])


def test_no_function_above_complexity_limit():
    too_complex = [
        f"{path.relative_to(PACKAGE.parent)}:{block.lineno} {block.fullname} = {block.complexity}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for block in _blocks(path.read_text(encoding="utf-8"))
        if block.complexity > LIMIT
    ]
    assert too_complex == []
