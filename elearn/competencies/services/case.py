"""1EdTech CASE 1.1: the framework as a CFPackage (valid against the official CFPackage JSON schema), the objects the
read-only CASE REST endpoints serve, and the import of a CASE package as another framework.

Identifiers are UUID v5 of the framework key and the competence code, so the same competence keeps its identifier
in every version of the framework; `uri`s point at the CASE endpoints on PUBLIC_BASE_URL, so a consumer can read
the framework by URL. Inside a package the schema forbids `CFDocumentURI` on items and associations and
`humanCodingScheme` on the document; the single-object endpoints (CFItems/<id>, CFAssociations/<id>) carry
`CFDocumentURI` as CASE's REST binding requires.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.timeutil import utcnow
from ...core.urls import external_url
from ..models import CODE_LENGTH, Area, Competence, Framework, ScaleLevel
from .framework import DEFAULT_PROFILE_FRAMEWORK, current_framework, newest_version
from .moodle import InteropError, next_version

CASE_NAMESPACE = uuid.UUID("6f1c1a52-8a6b-4b8e-9d9b-4f1f0e7c0a11")
CASE_VERSION = "1.1"
CHILD_OF = "isChildOf"


def case_id(framework: Framework, code: str = "") -> str:
    """Stable identifiers: the same framework key and code give the same UUID in every version."""
    return key_case_id(framework.key, code)


def key_case_id(framework_key: str, code: str = "") -> str:
    return str(uuid.uuid5(CASE_NAMESPACE, f"{framework_key}:{code}"))


def item_url(framework_key: str, code: str) -> str:
    """The resolvable CASE URL of a competence (CFItems/<id>): what Open Badge alignments point at. The identifier
    depends only on the framework key and the code, so it stays valid in every later version that keeps the code."""
    return _uri("item", key_case_id(framework_key, code))


def _uri(kind: str, identifier: str) -> str:
    endpoint = {"document": "case.package", "item": "case.item", "association": "case.association"}[kind]
    return external_url(endpoint, identifier=identifier)


def _changed(framework: Framework) -> str:
    return framework.loaded_at.replace(microsecond=0).isoformat() + "+00:00"


def _language(framework: Framework) -> dict:
    """The OSL framework is Polish; an imported framework says nothing about its language, so neither do we."""
    return {"language": "pl"} if framework.key == DEFAULT_PROFILE_FRAMEWORK else {}


def _document(framework: Framework) -> dict:
    identifier = case_id(framework)
    document = {
        "identifier": identifier,
        "uri": _uri("document", identifier),
        "creator": "elearn",
        "title": framework.title,
        "lastChangeDateTime": _changed(framework),
        "caseVersion": CASE_VERSION,
        "version": framework.version,
        "description": framework.description,
        **_language(framework),
        "adoptionStatus": "Implemented",
    }
    if framework.source:
        document["notes"] = framework.source
    return document


def _link(identifier: str, title: str, uri: str) -> dict:
    return {"title": title, "identifier": identifier, "uri": uri}


def _item(framework: Framework, node: Area | Competence, item_type: str) -> dict:
    identifier = case_id(framework, node.code)
    item = {
        "identifier": identifier,
        "uri": _uri("item", identifier),
        "fullStatement": node.name,
        "humanCodingScheme": node.code,
        "abbreviatedStatement": node.name,
        "CFItemType": item_type,
        **_language(framework),
        "lastChangeDateTime": _changed(framework),
    }
    if node.description:
        item["notes"] = node.description
    if isinstance(node, Competence) and node.category:
        item["conceptKeywords"] = [node.category]
    return item


def _association(framework: Framework, node: Area | Competence, destination: dict, sequence: int) -> dict:
    identifier = case_id(framework, f"{CHILD_OF}:{node.code}")
    origin_id = case_id(framework, node.code)
    return {
        "identifier": identifier,
        "associationType": CHILD_OF,
        "sequenceNumber": sequence,
        "uri": _uri("association", identifier),
        "originNodeURI": _link(origin_id, node.name, _uri("item", origin_id)),
        "destinationNodeURI": destination,
        "lastChangeDateTime": _changed(framework),
    }


def export_case(session: Session, framework: Framework | None = None) -> dict:
    """CFPackage: the document, one item per area and competence, an isChildOf association per item (in order)."""
    framework = framework or current_framework(session)
    if framework is None:
        raise InteropError("no competency framework is loaded")
    document = _document(framework)
    items: list[dict] = []
    associations: list[dict] = []
    doc_link = _link(document["identifier"], framework.title, document["uri"])

    def add(node: Area | Competence, item_type: str, parent_link: dict, sequence: int, children: list[Competence]) -> None:
        items.append(_item(framework, node, item_type))
        associations.append(_association(framework, node, parent_link, sequence))
        node_id = case_id(framework, node.code)
        link = _link(node_id, node.name, _uri("item", node_id))
        for position, child in enumerate(children, start=1):
            add(child, "Competence", link, position, child.children)

    for position, area in enumerate(framework.areas, start=1):
        add(area, "Area", doc_link, position, [c for c in area.competences if c.parent_id is None])
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}


# --- lookups for the REST endpoints ----------------------------------------------------------------------------


def documents(session: Session) -> list[dict]:
    """The newest version of every stored framework, as CFDocuments."""
    keys = session.scalars(select(Framework.key).distinct().order_by(Framework.key)).all()
    return [_document(newest_version(session, key)) for key in keys]


def _frameworks(session: Session) -> list[Framework]:
    keys = session.scalars(select(Framework.key).distinct().order_by(Framework.key)).all()
    return [newest_version(session, key) for key in keys]


def package(session: Session, identifier: str) -> dict | None:
    for framework in _frameworks(session):
        if case_id(framework) == identifier:
            return export_case(session, framework)
    return None


def _with_document(session: Session, identifier: str, collection: str) -> dict | None:
    for framework in _frameworks(session):
        exported = export_case(session, framework)
        for obj in exported[collection]:
            if obj["identifier"] == identifier:
                doc = exported["CFDocument"]
                return {**obj, "CFDocumentURI": _link(doc["identifier"], doc["title"], doc["uri"])}
    return None


def item(session: Session, identifier: str) -> dict | None:
    return _with_document(session, identifier, "CFItems")


def association(session: Session, identifier: str) -> dict | None:
    return _with_document(session, identifier, "CFAssociations")


# --- import ----------------------------------------------------------------------------------------------------


@dataclass
class _Node:
    code: str
    name: str
    description: str
    children: list[_Node] = field(default_factory=list)


def _document_of(data: dict) -> dict:
    if not isinstance(data, dict) or not isinstance(data.get("CFDocument"), dict):
        raise InteropError("not a CASE package: no CFDocument")
    document = data["CFDocument"]
    if not document.get("identifier") or not document.get("title"):
        raise InteropError("CFDocument: identifier and title are required")
    return document


def _item_nodes(items: list) -> dict[str, _Node]:
    """One node per CFItem: code from humanCodingScheme (else the identifier), name from the abbreviated statement."""
    nodes: dict[str, _Node] = {}
    for index, entry in enumerate(items):
        if not isinstance(entry, dict) or not entry.get("identifier") or not entry.get("fullStatement"):
            raise InteropError(f"CFItems[{index}]: identifier and fullStatement are required")
        code = (entry.get("humanCodingScheme") or entry["identifier"]).strip()
        if len(code) > CODE_LENGTH:
            raise InteropError(f"CFItems[{index}]: humanCodingScheme is longer than {CODE_LENGTH} characters")
        full = entry["fullStatement"].strip()
        name = (entry.get("abbreviatedStatement") or full).strip()
        description = "\n\n".join(p for p in (full if full != name else "", (entry.get("notes") or "").strip()) if p)
        nodes[entry["identifier"]] = _Node(code, name[:200], description)
    if len({n.code for n in nodes.values()}) != len(nodes):
        raise InteropError("CFItems: humanCodingScheme values are not unique")
    return nodes


def _parents(associations: list, nodes: dict[str, _Node], document_id: str) -> dict[str, tuple[str, float]]:
    """{child identifier: (parent identifier, sequence)} from the isChildOf associations."""
    parents: dict[str, tuple[str, float]] = {}
    for index, link in enumerate(associations):
        if not isinstance(link, dict) or link.get("associationType") != CHILD_OF:
            continue
        origin = (link.get("originNodeURI") or {}).get("identifier")
        destination = (link.get("destinationNodeURI") or {}).get("identifier")
        if origin in nodes and (destination in nodes or destination == document_id):
            parents[origin] = (destination, float(link.get("sequenceNumber") or index))
    return parents


def _nodes(data: dict) -> tuple[dict, list[_Node]]:
    """The document and the tree of items, from the isChildOf associations (sequenceNumber orders siblings)."""
    document = _document_of(data)
    nodes = _item_nodes(data.get("CFItems") or [])
    parents = _parents(data.get("CFAssociations") or [], nodes, document["identifier"])
    roots: list[tuple[float, _Node]] = []
    ordered: dict[str, list[tuple[float, _Node]]] = {}
    for identifier, node in nodes.items():
        parent, sequence = parents.get(identifier, (document["identifier"], float("inf")))
        if parent == document["identifier"]:
            roots.append((sequence, node))
        else:
            ordered.setdefault(parent, []).append((sequence, node))
    for identifier, children in ordered.items():
        nodes[identifier].children = [n for _, n in sorted(children, key=lambda c: c[0])]
    reached, stack = 0, [n for _, n in roots]
    while stack:
        reached += 1
        stack.extend(stack.pop().children)
    if reached != len(nodes):
        raise InteropError("CFAssociations: the isChildOf associations form a cycle")
    return document, [n for _, n in sorted(roots, key=lambda r: r[0])]


def import_case(session: Session, data: dict, *, key: str | None = None) -> Framework:
    """Store a CASE package as another framework (beside the others); unchanged content keeps the stored version."""
    document, roots = _nodes(data)
    key = key or document["identifier"]
    if len(key) > 40:
        raise InteropError("the framework key is longer than 40 characters")
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    previous = newest_version(session, key)
    if previous is not None and previous.content_hash == digest:
        return previous
    framework = Framework(
        key=key,
        version=next_version(session, key),
        title=document["title"][:255],
        description=document.get("description") or "",
        source=f"CASE {document.get('uri') or document['identifier']}",
        content_hash=digest,
        loaded_at=utcnow(),
    )
    session.add(framework)
    # CASE has no proficiency scale: use the scale of the framework role profiles use.
    model = current_framework(session)
    for scale in model.scale if model else []:
        session.add(ScaleLevel(framework=framework, level=scale.level, name=scale.name, description=scale.description))
    position = 0

    def add_children(area: Area, parent: Competence | None, children: list[_Node]) -> None:
        nonlocal position
        for node in children:
            comp = Competence(framework=framework, area=area, parent=parent, code=node.code, name=node.name, description=node.description)
            comp.position, position = position, position + 1
            session.add(comp)
            add_children(area, comp, node.children)

    for area_position, node in enumerate(roots):
        area = Area(framework=framework, code=node.code, name=node.name, description=node.description, role_code="")
        area.position = area_position
        session.add(area)
        add_children(area, None, node.children)
    session.flush()
    session.expire(framework)
    return framework
