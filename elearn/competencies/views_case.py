"""The read-only 1EdTech CASE REST endpoints (v1p0 paths): anyone may read the published frameworks by URL."""

from __future__ import annotations

from flask import jsonify

from ..extensions import db
from .services import case


def _found(payload: dict | None):
    if payload is None:
        return jsonify({"imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_description": "not found"}), 404
    return jsonify(payload)


def documents():
    return jsonify({"CFDocuments": case.documents(db.session)})


def package(identifier: str):
    return _found(case.package(db.session, identifier))


def item(identifier: str):
    return _found(case.item(db.session, identifier))


def association(identifier: str):
    return _found(case.association(db.session, identifier))
