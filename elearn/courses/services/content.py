"""Draft content, rendering cache and publishing.

Trainers (and the file sync) change only draft rows (version_id NULL). publish() copies the draft into a new
immutable CourseVersion; nothing ever changes a published row.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import fields, is_dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from ...core.audit import audit
from ...core.errors import DomainError
from ...core.markdown import RENDERER_VERSION, render_markdown, render_markdown_with_toc
from ...core.timeutil import utcnow
from .. import signals
from ..models import PUBLISHED, Attachment, Course, CourseVersion, Lesson, Module, Option, Question
from . import format as fmt
from .learning import published_version
from .search_documents import index_course


class PublishError(DomainError):
    """The draft breaks a publishing rule; one message per problem."""


# --- keys and hashes -------------------------------------------------------------------------------------------


def slugify(text: str, max_length: int = 60) -> str:
    """ASCII key from a Polish title: 'Rozpoznanie społeczności' -> 'rozpoznanie-spolecznosci'."""
    text = text.replace("ł", "l").replace("Ł", "L")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:max_length].rstrip("-") or "lekcja"


def unique_key(base: str, taken: set[str]) -> str:
    key, n = base, 2
    while key in taken:
        suffix = f"-{n}"
        key = base[: 60 - len(suffix)] + suffix
        n += 1
    taken.add(key)
    return key


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value):
    if is_dataclass(value):
        return {
            f.name: _canonical(getattr(value, f.name))
            for f in fields(value)
            if f.compare and not (f.metadata.get("omit_unset") and getattr(value, f.name) is None)
        }
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    return value


def content_hash(course: fmt.Course) -> str:
    """Hash of everything an author wrote (format dataclasses), independent of rows and ids."""
    canonical = _canonical(course)
    if course.media:  # only when there are media, so courses without them keep the hashes of their versions
        canonical["media"] = [[m.name, m.sha256] for m in course.media]
    payload = json.dumps(canonical, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- rendering cache -------------------------------------------------------------------------------------------


MEDIA_URL = "/courses/{slug}/media/"  # the route of courses.media (blueprint.py); slugs never change


def media_base(row) -> str | None:
    """Where `media/…` in a lesson or module of this row's course points to (None when the row has no course yet)."""
    session = object_session(row)
    course = session.get(Course, row.course_id) if session is not None and row.course_id else None
    return MEDIA_URL.format(slug=course.slug) if course is not None else None


def render_key(source: str) -> str:
    """The cache key of rendered HTML: the source and the renderer's version (a safer renderer re-renders all)."""
    return source_hash(f"{RENDERER_VERSION}\n{source}")


def ensure_rendered(lesson: Lesson) -> bool:
    """Render the lesson only if its source or the renderer changed since the cached html; True when it rendered."""
    digest = render_key(lesson.source or "")
    if lesson.source_hash == digest and lesson.html:
        return False
    lesson.html, lesson.toc = render_markdown_with_toc(lesson.source or "", media_base(lesson))
    lesson.source_hash = digest
    return True


def render_intro(module: Module) -> None:
    module.intro_html = render_markdown(module.intro, media_base(module)) if module.intro else ""


def rerender_stale(session: Session) -> int:
    """Bring every cached lesson and module intro, published versions included, up to the current renderer."""
    count = sum(ensure_rendered(lesson) for lesson in session.scalars(select(Lesson)))
    for module in session.scalars(select(Module).where(Module.intro_html != "")):
        html = render_markdown(module.intro, media_base(module)) if module.intro else ""
        if html != module.intro_html:
            module.intro_html = html
            count += 1
    session.flush()
    return count


def assignment_rows(assignments: list[fmt.Assignment], base: str | None = None) -> list[dict]:
    """Assignments as stored on a module row, with their instructions rendered by the one Markdown renderer."""
    return [
        {
            "key": a.key, "title": a.title, "instructions": a.instructions,
            "instructions_html": render_markdown(a.instructions, base),
            "competences": dict(a.competences), "criteria": list(a.criteria), "form": list(a.form), "due_days": a.due_days,
        }
        for a in assignments
    ]  # fmt: skip


def assignment_to_format(row: dict) -> fmt.Assignment:
    return fmt.Assignment(
        key=row["key"], title=row["title"], instructions=row["instructions"], competences=dict(row["competences"]),
        criteria=list(row.get("criteria") or []), form=list(row.get("form") or ["text"]), due_days=row.get("due_days"),
    )  # fmt: skip


def module_codes(module: fmt.Module) -> set[str]:
    """Every competence code a module names: in its front matter and in its assignments."""
    return set(module.competences).union(*(a.competences for a in module.assignments))


def preview_html(source: str, slug: str | None = None) -> str:
    """The same renderer learners see, for the live preview in the editor."""
    return render_markdown(source or "", MEDIA_URL.format(slug=slug) if slug else None)


# --- rows <-> format dataclasses -------------------------------------------------------------------------------


def question_to_format(question: Question) -> fmt.Question:
    return fmt.Question(
        text=question.text,
        kind=question.kind,
        options=[fmt.Option(text=o.text, correct=o.correct) for o in question.options],
        feedback=question.feedback or "",
    )


def module_to_format(module: Module) -> fmt.Module:
    return fmt.Module(
        key=module.key,
        title=module.title,
        hours=module.hours,
        outcomes=dict(module.outcomes or {}),
        competences=dict(module.competences or {}),
        quiz_pass=module.quiz_pass,
        intro=module.intro or "",
        lessons=[fmt.Lesson(title=lesson.title, source=lesson.source) for lesson in module.lessons],
        questions=[question_to_format(q) for q in module.questions],
        assignments=[assignment_to_format(row) for row in module.assignments or []],
    )


def draft_modules(session: Session, course: Course) -> list[Module]:
    return list(
        session.scalars(
            select(Module).where(Module.course_id == course.id, Module.version_id.is_(None)).order_by(Module.position, Module.id)
        )
    )


def course_media(session: Session, course_id: int) -> list[Attachment]:
    """A course's media files (referenced as media/<name>), by name."""
    query = select(Attachment).where(Attachment.course_id == course_id, Attachment.media_name.is_not(None))
    return list(session.scalars(query.order_by(Attachment.media_name)))


def draft_to_format(session: Session, course: Course) -> fmt.Course:
    parsed = _to_format(course.slug, course, draft_modules(session, course))
    parsed.media = [fmt.MediaFile(a.media_name, a.sha256 or "") for a in course_media(session, course.id)]
    return parsed


def version_to_format(version: CourseVersion) -> fmt.Course:
    return _to_format(version.course.slug, version, version.modules)


def _to_format(slug: str, source: Course | CourseVersion, modules) -> fmt.Course:
    """A draft and a published version carry the same course fields under the same names."""
    return fmt.Course(
        slug=slug,
        title=source.title,
        summary=source.summary or "",
        role=source.role,
        hours=source.hours,
        version=source.content_version,
        authors=list(source.authors or []),
        prerequisites=list(source.prerequisites or []),
        outcomes=dict(source.outcomes or {}),
        quiz_attempts=source.quiz_attempts,
        quiz_wait_minutes=source.quiz_wait_minutes,
        modules=[module_to_format(m) for m in modules],
    )


def set_questions(session: Session, module: Module, questions: list[fmt.Question]) -> None:
    if [question_to_format(q) for q in module.questions] == questions:
        return
    for old in list(module.questions):
        module.questions.remove(old)
    session.flush()
    for position, q in enumerate(questions, start=1):
        row = Question(position=position, kind=q.kind, text=q.text, feedback=q.feedback)
        row.options = [Option(position=i, text=o.text, correct=o.correct) for i, o in enumerate(q.options, start=1)]
        module.questions.append(row)


def all_lesson_keys(session: Session, course: Course) -> set[str]:
    """Keys used by any version of the course, so a new lesson never inherits a removed lesson's progress."""
    return set(session.scalars(select(Lesson.key).where(Lesson.course_id == course.id)))


def apply_format(session: Session, course: Course, parsed: fmt.Course) -> None:
    """Make the draft equal to the parsed course, keeping lesson keys (and their learners' progress) stable.

    A lesson keeps its key when its title is unchanged, or, for a changed title, when it stays at the same place
    in its module: a text or title fix is the same lesson. Rendering happens only for changed sources.
    """
    course.title, course.summary, course.role, course.hours = parsed.title, parsed.summary, parsed.role, parsed.hours
    course.content_version = parsed.version
    course.authors, course.prerequisites, course.outcomes = list(parsed.authors), list(parsed.prerequisites), dict(parsed.outcomes)
    course.quiz_attempts, course.quiz_wait_minutes = parsed.quiz_attempts, parsed.quiz_wait_minutes
    existing = {m.key: m for m in draft_modules(session, course)}
    taken = all_lesson_keys(session, course)
    wanted = {m.key for m in parsed.modules}
    for key, module in existing.items():
        if key not in wanted:
            session.delete(module)
    session.flush()
    for position, pm in enumerate(parsed.modules, start=1):
        module = existing.get(pm.key)
        if module is None:
            module = Module(course_id=course.id, version_id=None, key=pm.key, position=position, title=pm.title)
            session.add(module)
        module.position, module.title, module.hours, module.quiz_pass = position, pm.title, pm.hours, pm.quiz_pass
        module.outcomes, module.competences = dict(pm.outcomes), dict(pm.competences)
        if module.intro != pm.intro or (pm.intro and not module.intro_html):
            module.intro = pm.intro
            render_intro(module)
        if [assignment_to_format(row) for row in module.assignments or []] != pm.assignments:
            module.assignments = assignment_rows(pm.assignments, MEDIA_URL.format(slug=course.slug))
        _apply_lessons(session, course, module, pm.lessons, taken)
        set_questions(session, module, pm.questions)
    session.flush()


def _apply_lessons(session: Session, course: Course, module: Module, lessons: list[fmt.Lesson], taken: set[str]) -> None:
    old = list(module.lessons)
    matched: dict[int, Lesson] = {}
    free = list(old)
    for index, pl in enumerate(lessons):
        row = next((lesson for lesson in free if lesson.title == pl.title), None)
        if row is not None:
            matched[index] = row
            free.remove(row)
    for index, _pl in enumerate(lessons):
        if index in matched:
            continue
        row = next((lesson for lesson in free if lesson.position == index + 1 and not any(lesson.title == p.title for p in lessons)), None)
        if row is not None:
            matched[index] = row
            free.remove(row)
    for row in free:
        module.lessons.remove(row)
    session.flush()
    for index, pl in enumerate(lessons):
        row = matched.get(index)
        if row is None:
            row = Lesson(course_id=course.id, version_id=None, key=unique_key(slugify(pl.title), taken), title=pl.title, position=index + 1)
            module.lessons.append(row)
        if row.position != index + 1:
            row.position = index + 1
        if row.title != pl.title:
            row.title = pl.title
        if row.source != pl.source:
            row.source = pl.source
        ensure_rendered(row)


# --- validation and publishing ---------------------------------------------------------------------------------


def rejected_competences(session: Session, slug: str, codes: set[str]) -> dict[str, str]:
    """Ask listening domains (competencies) which codes they do not know; courses imports none of them."""
    rejected: dict[str, str] = {}
    if not codes:
        return rejected
    for _receiver, result in signals.course_validating.send(slug, session=session, codes=set(codes)):
        for code, reason in (result or {}).items():
            rejected.setdefault(code, str(reason))
    return rejected


def validate_for_publishing(session: Session, course: Course, parsed: fmt.Course) -> list[str]:
    errors: list[str] = []
    if not parsed.modules:
        errors.append(_l("The course has no modules."))
    for module in parsed.modules:
        if not module.lessons:
            errors.append(_l("Module “%(title)s” has no lessons.", title=module.title))
    total = sum(m.hours for m in parsed.modules)
    if parsed.modules and total != parsed.hours:
        errors.append(_l("The course has %(hours)s hours but its modules add up to %(total)s.", hours=parsed.hours, total=total))
    codes = set().union(*(module_codes(m) for m in parsed.modules))
    for code, reason in sorted(rejected_competences(session, course.slug, codes).items()):
        errors.append(f"{code}: {reason}")
    for slug in parsed.prerequisites:
        if session.scalar(select(Course.id).where(Course.slug == slug)) is None:
            errors.append(_l("Prerequisite course “%(slug)s” does not exist.", slug=slug))
    return [str(e) for e in errors]


def has_unpublished_changes(session: Session, course: Course) -> bool:
    version = published_version(session, course.id, course.published_number)
    return version is None or version.content_hash != content_hash(draft_to_format(session, course))


def publish(session: Session, course: Course, *, actor_id: int | None, validate: bool = True) -> CourseVersion | None:
    """Snapshot the draft into a new version; None when the draft equals the latest version (nothing to do)."""
    parsed = draft_to_format(session, course)
    digest = content_hash(parsed)
    current = published_version(session, course.id, course.published_number)
    if current is not None and current.content_hash == digest:
        return None
    if validate:
        errors = validate_for_publishing(session, course, parsed)
        if errors:
            raise PublishError(*errors)
    number = course.published_number + 1
    version = CourseVersion(
        course_id=course.id,
        number=number,
        title=course.title,
        summary=course.summary or "",
        role=course.role,
        hours=course.hours,
        content_version=course.content_version,
        authors=list(course.authors or []),
        prerequisites=list(course.prerequisites or []),
        outcomes=dict(course.outcomes or {}),
        quiz_attempts=course.quiz_attempts,
        quiz_wait_minutes=course.quiz_wait_minutes,
        content_hash=digest,
        published_at=utcnow(),
        published_by_id=actor_id,
    )
    session.add(version)
    session.flush()
    for draft in draft_modules(session, course):
        copy = Module(
            course_id=course.id, version_id=version.id, position=draft.position, key=draft.key, title=draft.title,
            hours=draft.hours, outcomes=dict(draft.outcomes or {}), competences=dict(draft.competences or {}),
            quiz_pass=draft.quiz_pass, intro=draft.intro, intro_html=draft.intro_html,
            assignments=[dict(row) for row in draft.assignments or []],
        )  # fmt: skip
        for lesson in draft.lessons:
            ensure_rendered(lesson)
            copy.lessons.append(
                Lesson(
                    course_id=course.id,
                    version_id=version.id,
                    position=lesson.position,
                    key=lesson.key,
                    title=lesson.title,
                    source=lesson.source,
                    html=lesson.html,
                    toc=list(lesson.toc or []),
                    source_hash=lesson.source_hash,
                )
            )
        for question in draft.questions:
            q = Question(position=question.position, kind=question.kind, text=question.text, feedback=question.feedback)
            q.options = [Option(position=o.position, text=o.text, correct=o.correct) for o in question.options]
            copy.questions.append(q)
        session.add(copy)
    course.published_number = number
    course.status = PUBLISHED
    session.flush()
    session.refresh(version)
    index_course(session, course, version)
    audit(session, "courses.publish", actor_id=actor_id, target=course, version=number)
    from .learning import recompute_after_publish

    recompute_after_publish(session, course, version)
    return version
