from __future__ import annotations

from flask import Blueprint

from . import models  # noqa: F401 - registers the course tables on the metadata

bp = Blueprint("courses", __name__, template_folder="templates")
