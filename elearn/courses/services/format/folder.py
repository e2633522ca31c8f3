"""Course folders: course.yml plus NN-key.md module files, and the checks that span files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .course_file import parse_course_yml
from .model import MEDIA_DIR, MEDIA_NAME_RE, MODULE_FILE_RE, Course, Errors, FormatError, MediaFile
from .module_file import parse_module


def parse_course_dir(folder: Path, errors: Errors, display_root: Path | None = None) -> Course | None:
    def shown(p: Path) -> str:
        try:
            return str(p.relative_to(display_root)) if display_root else str(p)
        except ValueError:
            return str(p)

    yml = folder / "course.yml"
    if not yml.is_file():
        errors.add(shown(yml), 1, "course.yml is missing")
        return None
    course = parse_course_yml(_read(yml, shown(yml), errors), shown(yml), errors)
    if course is None:
        return None
    if course.slug and course.slug != folder.name:
        errors.add(shown(yml), course.key_lines.get("slug", 1), f"slug {course.slug!r} must equal the folder name {folder.name!r}")
    numbers: dict[str, str] = {}
    for md in sorted(folder.glob("*.md")):
        if md.name.lower() == "readme.md":
            continue
        match = MODULE_FILE_RE.match(md.name)
        if not match:
            errors.add(shown(md), 1, "module file names must look like 01-module-name.md (two digits, a hyphen, a-z0-9-)")
            continue
        if match.group(1) in numbers:
            errors.add(shown(md), 1, f"module number {match.group(1)} is also used by {numbers[match.group(1)]}")
            continue
        numbers[match.group(1)] = md.name
        module = parse_module(_read(md, shown(md), errors), shown(md), match.group(2), errors)
        if module is not None:
            course.modules.append(module)
    _check_modules(course, bool(numbers), shown(yml), errors)
    course.media = _media(folder / MEDIA_DIR, shown, errors)
    return course


def _media(media: Path, shown, errors: Errors) -> list[MediaFile]:
    """The files of a course's media/ folder (flat; names a-z, 0-9, hyphens, dots), with the hash of their bytes."""
    if not media.is_dir():
        return []
    found = []
    for path in sorted(media.iterdir()):
        if path.name.startswith("."):
            continue  # .gitkeep and editors' files
        if not path.is_file() or path.is_symlink():
            errors.add(shown(path), 1, "media/ holds only files (no folders or links)")
        elif not MEDIA_NAME_RE.match(path.name):
            errors.add(shown(path), 1, "media file names may use only a-z, 0-9, hyphens and dots, e.g. schemat-procesu.png")
        else:
            found.append(MediaFile(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), str(path), shown(path)))
    return found


def _check_modules(course: Course, any_module_file: bool, yml: str, errors: Errors) -> None:
    """Module names are unique and the modules' hours add up to the course's."""
    keys = [m.key for m in course.modules]
    for module in course.modules:
        if keys.count(module.key) > 1:
            errors.add(module.path, 1, f"two modules have the same name {module.key!r}")
    if not course.modules and not any_module_file:
        errors.add(yml, 1, "the course has no module files (01-name.md, …)")
    elif course.modules and course.hours and sum(m.hours for m in course.modules) != course.hours:
        total = sum(m.hours for m in course.modules)
        errors.add(yml, course.key_lines.get("hours", 1), f"hours is {course.hours} but the modules add up to {total}")


def _read(path: Path, shown: str, errors: Errors) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        errors.add(shown, 1, f"the file is not UTF-8 text ({exc.reason})")
        return ""


def parse_course_tree(root: Path) -> list[Course]:
    """Every course folder under root (or root itself when it holds course.yml); FormatError lists all problems."""
    errors = Errors()
    root = Path(root)
    if (root / "course.yml").is_file():
        folders, display = [root], root.parent
    else:
        folders, display = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), root
    courses = []
    for folder in folders:
        course = parse_course_dir(folder, errors, display)
        if course is not None:
            courses.append(course)
    if errors:
        raise FormatError(list(errors))
    return courses
