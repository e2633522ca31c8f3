from __future__ import annotations

from flask.cli import AppGroup

cli = AppGroup("certificates", help="Certificates.")
