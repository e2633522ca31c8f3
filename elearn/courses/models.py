"""Courses and learning records.

Drafts and published versions share the content tables: a Module/Lesson/Question row with ``version_id`` NULL is
the trainer's editable draft; "Publish" copies the draft rows into a new immutable CourseVersion (rows with
``version_id`` set, never changed afterwards). Learners read only the latest published version. Learner records
(progress, attempts, completions) are keyed by the course and the STABLE module/lesson keys, not by row ids, so
they survive a new version: a lesson whose text was fixed keeps its key; a removed lesson simply no longer counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import check_in
from ..core.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User

ROLES = ("animator", "mediator", "polityk", "wspolne")
DRAFT, PUBLISHED = "draft", "published"
SOURCE_FILE, SOURCE_BROWSER = "file", "browser"
SINGLE, MULTIPLE, TRUEFALSE = "single", "multiple", "truefalse"
QUESTION_KINDS = (SINGLE, MULTIPLE, TRUEFALSE)


class Course(db.Model):
    """A course and its draft metadata; what learners see is in its published CourseVersion."""

    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint(check_in("role", ROLES), name="role_known"),
        CheckConstraint(check_in("status", (DRAFT, PUBLISHED)), name="status_known"),
        CheckConstraint(check_in("source", (SOURCE_FILE, SOURCE_BROWSER)), name="source_known"),
        CheckConstraint("hours >= 0", name="hours_positive"),
        CheckConstraint("quiz_attempts IS NULL OR quiz_attempts >= 1", name="quiz_attempts_positive"),
        CheckConstraint("quiz_wait_minutes IS NULL OR quiz_wait_minutes >= 1", name="quiz_wait_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(12), index=True)
    hours: Mapped[int] = mapped_column(default=0)
    content_version: Mapped[int] = mapped_column(default=1)  # `version:` in course.yml, raised by authors
    authors: Mapped[list] = mapped_column(JSON, default=list)
    prerequisites: Mapped[list] = mapped_column(JSON, default=list)  # slugs of courses to complete first
    outcomes: Mapped[dict] = mapped_column(JSON, default=dict)  # {wiedza: [...], umiejetnosci: [...], ...}
    quiz_attempts: Mapped[int | None]  # most attempts a learner has at each module's quiz; None: no limit
    quiz_wait_minutes: Mapped[int | None]  # minutes a learner waits after an attempt before the next; None: none
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_BROWSER)
    published_number: Mapped[int] = mapped_column(default=0)  # number of the latest published version; 0 = never
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    versions: Mapped[list[CourseVersion]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="CourseVersion.number"
    )

    @property
    def is_published(self) -> bool:
        return self.published_number > 0

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseVersion(db.Model):
    """An immutable published snapshot of a course: its metadata here, its content in rows pointing at it."""

    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "number"), CheckConstraint("number >= 1", name="number_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(12))
    hours: Mapped[int]
    content_version: Mapped[int] = mapped_column(default=1)
    authors: Mapped[list] = mapped_column(JSON, default=list)
    prerequisites: Mapped[list] = mapped_column(JSON, default=list)
    outcomes: Mapped[dict] = mapped_column(JSON, default=dict)
    quiz_attempts: Mapped[int | None]
    quiz_wait_minutes: Mapped[int | None]
    content_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    course: Mapped[Course] = relationship(back_populates="versions")
    modules: Mapped[list[Module]] = relationship(back_populates="version", order_by="Module.position", cascade="all, delete-orphan")


class Module(db.Model):
    __tablename__ = "course_modules"
    __table_args__ = (
        UniqueConstraint("course_id", "version_id", "key"),
        CheckConstraint("hours >= 0", name="hours_positive"),
        CheckConstraint("quiz_pass BETWEEN 0 AND 100", name="quiz_pass_percent"),
        Index("ix_course_modules_course_version", "course_id", "version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(80))  # stable across versions (file name without the NN- prefix)
    title: Mapped[str] = mapped_column(String(200))
    hours: Mapped[int] = mapped_column(default=0)
    outcomes: Mapped[dict] = mapped_column(JSON, default=dict)
    competences: Mapped[dict] = mapped_column(JSON, default=dict)  # {"ANI.1.1": 2}
    quiz_pass: Mapped[int] = mapped_column(default=70)
    intro: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    # Practical assignments: [{"key", "title", "instructions", "instructions_html", "competences": {code: level},
    # "criteria": [...], "form": ["text", "files"], "due_days": int | None}] (courses/README.md)
    assignments: Mapped[list] = mapped_column(JSON, default=list)

    course: Mapped[Course] = relationship()
    version: Mapped[CourseVersion | None] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(back_populates="module", order_by="Lesson.position", cascade="all, delete-orphan")
    questions: Mapped[list[Question]] = relationship(back_populates="module", order_by="Question.position", cascade="all, delete-orphan")

    @property
    def has_quiz(self) -> bool:
        return bool(self.questions)


class Lesson(db.Model):
    __tablename__ = "course_lessons"
    __table_args__ = (
        UniqueConstraint("course_id", "version_id", "key"),
        Index("ix_course_lessons_lookup", "course_id", "version_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("course_modules.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"))
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(80))  # stable: survives text and title fixes
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    toc: Mapped[list] = mapped_column(JSON, default=list)
    source_hash: Mapped[str] = mapped_column(String(64), default="")  # hash of the source the html was rendered from
    row_version: Mapped[int] = mapped_column(default=1)

    module: Mapped[Module] = relationship(back_populates="lessons")

    __mapper_args__ = {"version_id_col": row_version}


class Question(db.Model):
    __tablename__ = "course_questions"
    __table_args__ = (CheckConstraint(check_in("kind", QUESTION_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("course_modules.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    feedback: Mapped[str] = mapped_column(Text, default="")

    module: Mapped[Module] = relationship(back_populates="questions")
    options: Mapped[list[Option]] = relationship(back_populates="question", order_by="Option.position", cascade="all, delete-orphan")


class Option(db.Model):
    __tablename__ = "course_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("course_questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(default=False)

    question: Mapped[Question] = relationship(back_populates="options")


class Enrolment(db.Model):
    __tablename__ = "course_enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    completed_version: Mapped[int | None]  # the version number the learner completed

    course: Mapped[Course] = relationship()
    user: Mapped[User] = relationship()


class LessonProgress(db.Model):
    __tablename__ = "course_lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "lesson_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    lesson_key: Mapped[str] = mapped_column(String(80))
    done_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizAttempt(db.Model):
    __tablename__ = "course_quiz_attempts"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 100", name="score_percent"),
        Index("ix_course_quiz_attempts_user_module", "user_id", "course_id", "module_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    module_key: Mapped[str] = mapped_column(String(80))
    version_number: Mapped[int]
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # {question position: [option positions]}
    score: Mapped[int]
    passed: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ModuleCompletion(db.Model):
    __tablename__ = "course_module_completions"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "module_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    module_key: Mapped[str] = mapped_column(String(80))
    version_number: Mapped[int]
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    quiz_score: Mapped[int | None]


class Attachment(db.Model):
    """An uploaded image or document, stored under instance/uploads/ with a random name.

    A course's media file (`media_name` set) is what lessons reference as `media/<media_name>`: the file in the
    `media/` folder of a file course, or an image or handout a trainer uploaded in the browser. Media belong to the
    course, not to one version (a new diagram replaces the old one for every version)."""

    __tablename__ = "course_attachments"
    __table_args__ = (UniqueConstraint("course_id", "media_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    filename: Mapped[str] = mapped_column(String(200))  # the name the trainer uploaded, shown and used on download
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    media_name: Mapped[str | None] = mapped_column(String(200))  # `media/<media_name>` in the course's Markdown
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the bytes, so a sync rewrites only changed media

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")
