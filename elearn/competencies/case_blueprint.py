"""The CASE blueprint: 1EdTech CASE REST paths (/ims/case/v1p0/…), public and read-only, JSON only."""

from __future__ import annotations

from flask import Blueprint

from . import views_case

bp = Blueprint("case", __name__, url_prefix="/ims/case/v1p0")

bp.add_url_rule("/CFDocuments", "documents", views_case.documents, methods=["GET"])
bp.add_url_rule("/CFPackages/<identifier>", "package", views_case.package, methods=["GET"])
bp.add_url_rule("/CFItems/<identifier>", "item", views_case.item, methods=["GET"])
bp.add_url_rule("/CFAssociations/<identifier>", "association", views_case.association, methods=["GET"])
