"""Images and attachments for lessons: allowlisted types checked by content, random names, size limit.

A course's media (the `media/` folder of a file course, or files a trainer uploads in the browser) are the same
attachments with a `media_name`: lessons reference them as `media/<media_name>`, the sync stores them through the
same checks as an upload, and the export writes them back into `media/`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.audit import audit
from ...core.files import IMAGE_TYPES, UploadRejected, check_upload, store_upload
from ...core.roles import ADMIN, TRAINER
from ..models import Attachment, Course
from . import format as fmt
from .content import course_media, slugify
from .learning import get_enrolment


def upload_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_path(attachment: Attachment) -> Path:
    return upload_dir() / attachment.stored_name


def _clean_filename(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f\"<>|:*?/]", "", name).strip(" .")
    return name[:200] or "plik"


@dataclass
class Saved:
    attachment: Attachment
    snippet: str


class AltTextMissing(UploadRejected):
    """An image was uploaded without its alternative text."""


def check_media(data: bytes, name: str):
    """The checks and limits of every lesson upload (core.files.check_upload); UploadRejected says why not."""
    return check_upload(data, types_key="UPLOAD_TYPES", limit_key="UPLOAD_MAX_BYTES", filename=name)


def _store(data: bytes, kind: str) -> str:
    return store_upload(upload_dir(), data, "jpg" if kind == "jpeg" else kind)


def media_name_for(filename: str, taken: set[str]) -> str:
    """A media name from an uploaded file's name: 'Schemat procesu.PNG' -> 'schemat-procesu.png', unique in the course."""
    stem, _dot, extension = _clean_filename(filename).rpartition(".")
    extension = re.sub(r"[^a-z0-9]", "", extension.lower()) or "bin"
    base = slugify(stem, max_length=80)
    if base == "lekcja" and "lekcja" not in stem.lower():  # slugify's fallback for a name without letters
        base = "plik"
    name, n = f"{base}.{extension}", 2
    while name in taken:
        name, n = f"{base}-{n}.{extension}", n + 1
    return name


def save_upload(session: Session, *, filename: str, data: bytes, course_id: int | None, user_id: int | None, alt: str = "") -> Saved:
    """Check the file (UploadRejected says why not), store it under a random name and record it as a course medium.

    An image needs its alternative text (alt): it goes into the Markdown snippet that the editor inserts."""
    name = _clean_filename(filename)
    checked = check_media(data, name)
    alt = " ".join(alt.split()).replace("[", "(").replace("]", ")")
    if checked.kind in IMAGE_TYPES and not alt:
        raise AltTextMissing(_l("Describe the image for people who cannot see it (alternative text)."))
    taken = {a.media_name for a in course_media(session, course_id)} if course_id else set()
    attachment = Attachment(
        course_id=course_id, filename=name, stored_name=_store(data, checked.kind), mime=checked.mimetype, size=len(data),
        uploaded_by_id=user_id, media_name=media_name_for(name, taken) if course_id else None,
        sha256=hashlib.sha256(data).hexdigest(),
    )  # fmt: skip
    session.add(attachment)
    session.flush()
    audit(session, "courses.upload", actor_id=user_id, target=attachment, filename=name, size=len(data))
    return Saved(attachment, markdown_snippet(attachment, alt))


def markdown_snippet(attachment: Attachment, alt: str = "") -> str:
    """What a lesson writes to show the file: `![alt](media/name)` for an image, `[file name](media/name)` otherwise."""
    url = f"media/{attachment.media_name}" if attachment.media_name else f"/uploads/{attachment.stored_name}"
    label = attachment.filename.replace("[", "(").replace("]", ")")
    if attachment.is_image:
        return f"![{alt or label.rsplit('.', 1)[0]}]({url})"
    return f"[{alt or label}]({url})"


# --- media of file courses -------------------------------------------------------------------------------------


def media_problems(course: fmt.Course) -> list[tuple[fmt.MediaFile, UploadRejected]]:
    """Every media file the upload checks refuse (type by content, size), with the refusal."""
    problems = []
    for media in course.media:
        if not media.path:
            continue  # a browser course's media were checked when uploaded
        try:
            check_media(Path(media.path).read_bytes(), media.name)
        except UploadRejected as rejected:
            problems.append((media, rejected))
    return problems


def sync_media(session: Session, course: Course, media: list[fmt.MediaFile], *, actor_id: int | None) -> int:
    """Make the course's media equal to its media/ folder (files already checked); the number of changed files."""
    existing = {a.media_name: a for a in course_media(session, course.id)}
    changed = 0
    for item in media:
        row = existing.pop(item.name, None)
        if row is not None and row.sha256 == item.sha256:
            continue
        data = Path(item.path).read_bytes()
        checked = check_media(data, item.name)
        if row is None:
            row = Attachment(course_id=course.id, filename=item.name, media_name=item.name, uploaded_by_id=actor_id)
            session.add(row)
        row.stored_name, row.mime, row.size, row.sha256 = _store(data, checked.kind), checked.mimetype, len(data), item.sha256
        changed += 1
    for row in existing.values():
        session.delete(row)  # gone from media/: no lesson of the new version refers to it (the checks say so)
        changed += 1
    session.flush()
    if changed:
        audit(session, "courses.sync.media", actor_id=actor_id, target=course, files=changed)
    return changed


def media_files(session: Session, course_id: int) -> dict[str, bytes]:
    """The course's media as the export writes them into media/: name -> bytes."""
    return {a.media_name: stored_path(a).read_bytes() for a in course_media(session, course_id) if stored_path(a).is_file()}


def readable_media(session: Session, user, slug: str, name: str) -> Attachment | None:
    """A course's media file if this user may read it: its authors (trainers, administrators) always, anyone else when
    enrolled in the published course (as for its lessons). None otherwise, so a stranger cannot tell it exists."""
    query = select(Attachment, Course).join(Course, Course.id == Attachment.course_id)
    row = session.execute(query.where(Course.slug == slug, Attachment.media_name == name)).first()
    if row is None:
        return None
    attachment, course = row
    if user.has_role(TRAINER, ADMIN):
        return attachment
    if course.is_published and get_enrolment(session, user.id, course.id) is not None:
        return attachment
    return None


def course_files(session: Session, course_id: int) -> list[Attachment]:
    """A course's uploaded files, newest first."""
    query = select(Attachment).where(Attachment.course_id == course_id).order_by(Attachment.uploaded_at.desc())
    return list(session.scalars(query))
