"""YAML with line numbers, checked against the JSON Schemas in elearn/courses/schema/.

A schema node's `errorMessage` (a text, or texts by failing keyword; `type:object` when a text turned out to be a
YAML mapping) is what the author reads; `{value!r}`, `{key}` and `{allowed}` are filled in from the failing value,
the nearest mapping key and the allowed keys.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource

if TYPE_CHECKING:
    from .model import Errors

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"


def _load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


COURSE_SCHEMA = _load("course.schema.json")
MODULE_SCHEMA = _load("module.schema.json")
ASSIGNMENT_SCHEMA = _load("assignment.schema.json")
_REGISTRY = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in (COURSE_SCHEMA, MODULE_SCHEMA, ASSIGNMENT_SCHEMA))
# YAML `2.0` is a float; JSON Schema would count it as an integer, the format does not.
_Validator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", lambda _c, v: isinstance(v, int) and not isinstance(v, bool)),
)
COURSE_VALIDATOR = _Validator(COURSE_SCHEMA, registry=_REGISTRY)
MODULE_VALIDATOR = _Validator(MODULE_SCHEMA, registry=_REGISTRY)
ASSIGNMENT_VALIDATOR = _Validator(ASSIGNMENT_SCHEMA, registry=_REGISTRY)


class Lines:
    """Line numbers (1-based, in the file) of YAML keys and list items, looked up by path: ("outcomes", "wiedza", 0)."""

    def __init__(self, node, first_line: int):
        self.node, self.first_line = node, first_line

    def __call__(self, *path, default: int | None = None) -> int:
        node, line = self.node, None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if str(k.value) == str(step)), None)
                if found is None:
                    break
                line, node = found[0].start_mark.line, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line
            else:
                break
        if line is None:
            return default if default is not None else self.first_line
        return self.first_line + line

    def keys(self, *path) -> dict[str, int]:
        node = self.node
        for step in path:
            if not isinstance(node, yaml.MappingNode):
                return {}
            node = next((v for k, v in node.value if str(k.value) == step), None)
        if not isinstance(node, yaml.MappingNode):
            return {}
        return {str(k.value): self.first_line + k.start_mark.line for k, _ in node.value}


def load_yaml(text: str, path: str, first_line: int, errors: Errors) -> tuple[object, Lines]:
    """Load YAML and keep a line locator for precise messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc)
        errors.add(path, line, f"invalid YAML: {problem}")
        return None, Lines(None, first_line)
    return data, Lines(node, first_line)


def check(validator: Draft202012Validator, data: Any, path: str, lines: Lines, errors: Errors) -> set[str]:
    """Report every schema violation as `path:line: message`; return the top-level keys that are wrong."""
    bad: set[str] = set()
    seen: set[tuple[int, str]] = set()
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        for where, message in _explain(error):
            line = lines(*where)
            if (line, message) not in seen:
                seen.add((line, message))
                errors.add(path, line, message)
            if where:
                bad.add(str(where[0]))
    return bad


def _explain(error: ValidationError) -> list[tuple[tuple, str]]:
    """(path in the document, message) for one schema error; `required` and unknown keys give one per key."""
    where = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        keys = [k for k in error.validator_value if k not in error.instance]
        return [((*where, k), _message(schema, error, k)) for k in keys]
    if error.validator == "additionalProperties" and error.validator_value is False:
        extra = [k for k in error.instance if k not in schema.get("properties", {})]
        return [((*where, k), _message(schema, error, k)) for k in extra]
    if "propertyNames" in error.relative_schema_path:
        where = (*where, error.instance)
    key = next((str(step) for step in reversed(where) if isinstance(step, str)), "")
    return [(where, _message(schema, error, key))]


def _message(schema: dict, error: ValidationError, key: str) -> str:
    template = schema.get("errorMessage")
    if isinstance(template, dict):
        mapping = error.validator == "type" and isinstance(error.instance, dict)
        template = (mapping and template.get("type:object")) or template.get(error.validator)
    if not template:
        return error.message
    allowed = ", ".join(schema.get("properties", {}))
    return template.format(value=error.instance, key=key, allowed=allowed)
