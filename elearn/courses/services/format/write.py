"""Writing a course back to files, byte for byte as the parser reads them (export, browser-authored courses)."""

from __future__ import annotations

from pathlib import Path

import yaml

from .assignment import assignment_text
from .model import MEDIA_DIR, MODULE_FILE_RE, OUTCOME_KINDS, QUIZ_HEADING, Course, Module
from .quiz import quiz_text


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key and no line wrapping, as authors write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # noqa: ARG002 - PyYAML signature
        return super().increase_indent(flow, False)


def _str_representer(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000, default_flow_style=False)


def course_yml_text(course: Course) -> str:
    data = {
        "slug": course.slug,
        "title": course.title,
        "summary": course.summary,
        "role": course.role,
        "hours": course.hours,
        "version": course.version,
        "authors": list(course.authors),
        "prerequisites": list(course.prerequisites),
    }
    for key in ("quiz_attempts", "quiz_wait_minutes"):  # written only when set, so older files stay byte-identical
        if getattr(course, key) is not None:
            data[key] = getattr(course, key)
    data["outcomes"] = {k: list(course.outcomes[k]) for k in OUTCOME_KINDS if k in course.outcomes}
    return _dump(data)


def module_text(module: Module) -> str:
    front = {"title": module.title, "hours": module.hours}
    if module.outcomes:
        front["outcomes"] = {k: list(module.outcomes[k]) for k in OUTCOME_KINDS if k in module.outcomes}
    if module.competences:
        front["competences"] = dict(module.competences)
    front["quiz_pass"] = module.quiz_pass
    parts = ["---\n" + _dump(front) + "---\n"]
    if module.intro:
        parts.append(module.intro + "\n")
    for lesson in module.lessons:
        parts.append(f"## {lesson.title}\n\n{lesson.source}\n")
    for assignment in module.assignments:
        parts.append(assignment_text(assignment, _dump))
    if module.questions:
        parts.append(f"{QUIZ_HEADING}\n\n" + quiz_text(module.questions))
    return "\n".join(parts)


def write_course_dir(course: Course, folder: Path, media: dict[str, bytes] | None = None) -> list[Path]:
    """Write course.yml, NN-key.md files and media/ (name -> bytes); stale files from an earlier export are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "course.yml"]
    written[0].write_text(course_yml_text(course), encoding="utf-8")
    for number, module in enumerate(course.modules, start=1):
        path = folder / f"{number:02d}-{module.key}.md"
        path.write_text(module_text(module), encoding="utf-8")
        written.append(path)
    for stale in folder.glob("*.md"):
        if MODULE_FILE_RE.match(stale.name) and stale not in written:
            stale.unlink()
    return written + _write_media(folder / MEDIA_DIR, media or {})


def _write_media(target: Path, media: dict[str, bytes]) -> list[Path]:
    written = []
    if media:
        target.mkdir(exist_ok=True)
    for name, data in sorted(media.items()):
        path = target / name
        path.write_bytes(data)
        written.append(path)
    if target.is_dir():
        for stale in target.iterdir():
            if stale.is_file() and not stale.name.startswith(".") and stale not in written:
                stale.unlink()
    return written
