"""Interoperability in one import: Moodle competency-framework CSV (moodle.py) and 1EdTech CASE 1.1 (case.py)."""

from __future__ import annotations

from .case import CASE_NAMESPACE, case_id, export_case, import_case
from .moodle import MOODLE_HEADERS, InteropError, export_moodle_csv, import_moodle_csv

__all__ = [
    "CASE_NAMESPACE",
    "MOODLE_HEADERS",
    "InteropError",
    "case_id",
    "export_case",
    "export_moodle_csv",
    "import_case",
    "import_moodle_csv",
]
