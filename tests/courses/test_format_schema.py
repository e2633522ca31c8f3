"""The JSON Schemas of course.yml and module front matter: valid schemas, and their messages reach the author."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from elearn.courses.services import format as fmt
from elearn.courses.services.format.schema import COURSE_SCHEMA, MODULE_SCHEMA
from tests.courses.helpers import MODULE_TWO, write_course


@pytest.mark.parametrize("schema", [COURSE_SCHEMA, MODULE_SCHEMA])
def test_schemas_are_valid_json_schemas(schema):
    Draft202012Validator.check_schema(schema)


def test_fractional_hours_are_not_whole_numbers(course_root):
    write_course(course_root, "kurs", {"01-a.md": MODULE_TWO.replace("hours: 1", "hours: 1.0")}, hours=1)
    with pytest.raises(fmt.FormatError) as info:
        fmt.parse_course_tree(course_root)
    assert "kurs/01-a.md:3: hours must be a whole number at least 0, not 1.0" in info.value.errors


def test_unknown_key_message_lists_the_schema_keys(course_root):
    write_course(course_root, "kurs", extra=1)
    with pytest.raises(fmt.FormatError) as info:
        fmt.parse_course_tree(course_root)
    allowed = "slug, title, summary, role, hours, version, authors, prerequisites, quiz_attempts, quiz_wait_minutes, outcomes, checks"
    assert f"kurs/course.yml:13: unknown key 'extra' (allowed: {allowed})" in info.value.errors


def test_shipped_courses_pass_the_schemas():
    assert len(fmt.parse_course_tree(Path(__file__).resolve().parents[2] / "courses")) >= 4
