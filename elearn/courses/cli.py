from __future__ import annotations

from flask.cli import AppGroup

cli = AppGroup("courses", help="Courses.")
