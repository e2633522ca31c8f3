"""Interoperability: 1EdTech CASE JSON (export); the Moodle competency-framework CSV lives in moodle.py.

The Moodle names are re-exported here so callers have one module to import interop from.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from ..models import Framework
from .framework import current_framework
from .moodle import MOODLE_HEADERS, InteropError, export_moodle_csv, import_moodle_csv

__all__ = ["MOODLE_HEADERS", "InteropError", "case_id", "export_case", "export_moodle_csv", "import_moodle_csv"]

CASE_NAMESPACE = uuid.UUID("6f1c1a52-8a6b-4b8e-9d9b-4f1f0e7c0a11")


# --- CASE ------------------------------------------------------------------------------------------------------


def case_id(framework: Framework, code: str = "") -> str:
    """Stable identifiers: the same framework key, version and code always give the same UUID."""
    return str(uuid.uuid5(CASE_NAMESPACE, f"{framework.key}:{framework.version}:{code}"))


def export_case(session: Session, framework: Framework | None = None) -> dict:
    """1EdTech CASE 1.0 package: CFDocument, CFItems (areas and competences) and CFAssociations (isChildOf)."""
    framework = framework or current_framework(session)
    if framework is None:
        raise InteropError("no competency framework is loaded")
    changed = framework.loaded_at.replace(microsecond=0).isoformat() + "+00:00"
    doc_id = case_id(framework)
    doc_uri = f"urn:uuid:{doc_id}"

    def node(identifier: str, title: str) -> dict:
        return {"title": title, "identifier": identifier, "uri": f"urn:uuid:{identifier}"}

    document = {
        "identifier": doc_id,
        "uri": doc_uri,
        "creator": "elearn",
        "title": framework.title,
        "lastChangeDateTime": changed,
        "version": framework.version,
        "description": framework.description,
        "language": "pl",
        "adoptionStatus": "Implemented",
        "notes": framework.source,
        "humanCodingScheme": framework.key,
    }
    items, associations = [], []
    doc_link = {"title": framework.title, "identifier": doc_id, "uri": doc_uri}
    for area in framework.areas:
        area_id = case_id(framework, area.code)
        items.append(
            {
                "identifier": area_id,
                "uri": f"urn:uuid:{area_id}",
                "CFDocumentURI": doc_link,
                "fullStatement": area.name,
                "humanCodingScheme": area.code,
                "abbreviatedStatement": area.name,
                "notes": area.description,
                "CFItemType": "Area",
                "language": "pl",
                "lastChangeDateTime": changed,
            }
        )
        associations.append(_association(framework, area.code, node(area_id, area.name), node(doc_id, framework.title), doc_link, changed))
        for comp in area.competences:
            comp_id = case_id(framework, comp.code)
            item = {
                "identifier": comp_id,
                "uri": f"urn:uuid:{comp_id}",
                "CFDocumentURI": doc_link,
                "fullStatement": comp.name,
                "humanCodingScheme": comp.code,
                "abbreviatedStatement": comp.name,
                "notes": comp.description,
                "CFItemType": "Competence",
                "language": "pl",
                "lastChangeDateTime": changed,
            }
            if comp.category:
                item["conceptKeywords"] = [comp.category]
            items.append(item)
            associations.append(_association(framework, comp.code, node(comp_id, comp.name), node(area_id, area.name), doc_link, changed))
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}


def _association(framework: Framework, code: str, origin: dict, destination: dict, doc_link: dict, changed: str) -> dict:
    identifier = case_id(framework, f"isChildOf:{code}")
    return {
        "identifier": identifier,
        "uri": f"urn:uuid:{identifier}",
        "associationType": "isChildOf",
        "CFDocumentURI": doc_link,
        "originNodeURI": origin,
        "destinationNodeURI": destination,
        "lastChangeDateTime": changed,
    }
