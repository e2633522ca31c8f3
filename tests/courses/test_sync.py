"""Sync: idempotent, all or nothing, round-trips with export; versions keep learners' progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.courses import signals
from elearn.courses.models import Course, CourseVersion, Enrolment, Lesson, ModuleCompletion
from elearn.courses.services import content, learning
from elearn.courses.services import format as fmt
from elearn.courses.services.sync import SyncError, export_course, sync_courses
from elearn.extensions import db
from tests.courses.helpers import MODULE_ONE, MODULE_TWO, write_course

SHIPPED = Path(__file__).resolve().parents[2] / "courses"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_sync_twice_changes_nothing(course_root):
    write_course(course_root, "kurs-a")
    write_course(course_root, "kurs-b", title="Kurs B", prerequisites=["kurs-a"])
    first = sync_courses(db.session, course_root)
    assert sorted(first.created) == ["kurs-a", "kurs-b"]
    counts = (_count(Course), _count(CourseVersion), _count(Lesson))
    second = sync_courses(db.session, course_root)
    assert (second.created, second.updated, sorted(second.unchanged)) == ([], [], ["kurs-a", "kurs-b"])
    assert (_count(Course), _count(CourseVersion), _count(Lesson)) == counts


def test_one_broken_file_among_good_ones_writes_nothing(course_root):
    write_course(course_root, "kurs-a")
    write_course(course_root, "kurs-b", {"01-a.md": MODULE_ONE.replace("- (x) dobra", "- ( ) dobra"), "02-b.md": MODULE_TWO})
    before = (_count(Course), _count(Lesson))
    with pytest.raises(SyncError) as info:
        sync_courses(db.session, course_root)
    assert info.value.errors == ["kurs-b/01-a.md:28: a single-choice question needs exactly one (x), found 0"]
    assert (_count(Course), _count(Lesson)) == before


def test_unknown_prerequisite_and_rejected_competence_are_errors(course_root):
    write_course(course_root, "kurs-a", prerequisites=["nie-ma-takiego"])

    def reject(sender, **kwargs):
        return {"WSP.1.1": "unknown competence"} if "WSP.1.1" in kwargs["codes"] else {}

    signals.course_validating.connect(reject)
    try:
        with pytest.raises(SyncError) as info:
            sync_courses(db.session, course_root)
    finally:
        signals.course_validating.disconnect(reject)
    assert "kurs-a/course.yml:9: prerequisite 'nie-ma-takiego' is not a known course" in info.value.errors
    assert "kurs-a/01-pierwszy.md:8: WSP.1.1: unknown competence" in info.value.errors
    assert db.session.scalar(select(Course).where(Course.slug == "kurs-a")) is None


def test_cli_sync_and_export(runner, course_root, tmp_path):
    write_course(course_root, "kurs-cli")
    result = runner.invoke(args=["courses", "sync", str(course_root)])
    assert result.exit_code == 0, result.output
    assert "Courses: 1 created, 0 updated, 0 unchanged" in result.output
    result = runner.invoke(args=["courses", "export", "kurs-cli", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "kurs-cli" / "01-pierwszy.md").is_file()
    broken = tmp_path / "broken"
    write_course(broken, "kurs-zly", {"01-a.md": "bez front matter"})
    result = runner.invoke(args=["courses", "sync", str(broken)])
    assert result.exit_code != 0
    assert "kurs-zly/01-a.md:1: a module file must start with YAML front matter" in result.output
    assert db.session.scalar(select(Course).where(Course.slug == "kurs-zly")) is None


def test_shipped_courses_are_synced_and_unchanged_on_resync():
    report = sync_courses(db.session, SHIPPED)
    assert sorted(report.unchanged) == [
        "animator-spolecznosci-lokalnej", "lokalny-polityk-spoleczny", "mediator-w-spolecznosci-lokalnej", "wprowadzenie-do-osl"
    ]  # fmt: skip
    intro = db.session.scalar(select(Course).where(Course.slug == "wprowadzenie-do-osl"))
    assert intro.title == "Wprowadzenie do organizowania społeczności lokalnej"
    assert intro.published_number >= 1


@pytest.mark.parametrize(
    "slug", ["wprowadzenie-do-osl", "animator-spolecznosci-lokalnej", "mediator-w-spolecznosci-lokalnej", "lokalny-polityk-spoleczny"]
)
def test_export_round_trip_of_shipped_course(slug, tmp_path):
    files = export_course(db.session, slug, tmp_path / "a")
    original = {str(p.relative_to(tmp_path / "a" / slug)): p.read_bytes() for p in files}
    assert fmt.parse_course_tree(tmp_path / "a" / slug)[0] == fmt.parse_course_tree(SHIPPED / slug)[0]
    report = sync_courses(db.session, tmp_path / "a" / slug)
    assert report.unchanged == [slug]
    export_course(db.session, slug, tmp_path / "b")
    exported = tmp_path / "b" / slug
    assert {str(p.relative_to(exported)): p.read_bytes() for p in exported.rglob("*") if p.is_file()} == original


def _enrol_and_finish_module_one(user_id: int, slug: str = "kurs-testowy", lessons: tuple[str, ...] = ("pierwsza-lekcja",)):
    course, version = learning.published_course(db.session, slug)
    learning.enrol(db.session, user_id, course, version)
    for key in lessons:
        learning.mark_lesson_done(db.session, user_id, course, version, key)
    return course, version


def test_text_fix_keeps_progress_and_removed_lesson_no_longer_counts(course_root, make_user):
    write_course(course_root, "kurs-testowy")
    sync_courses(db.session, course_root)
    user = make_user()
    course, version = _enrol_and_finish_module_one(user.id, lessons=("pierwsza-lekcja", "jedyna-lekcja"))
    module_one = next(m for m in learning.version_modules(db.session, version) if m.key == "pierwszy")
    learning.submit_quiz(db.session, user.id, course, version, module_one, {1: [2], 2: [1, 3], 3: [1]})
    assert db.session.scalar(select(ModuleCompletion).where(ModuleCompletion.module_key == "pierwszy")) is None

    # A text and title fix: same lesson, new version, progress kept.
    fixed = MODULE_ONE.replace("Tekst pierwszej lekcji", "Poprawiony tekst pierwszej lekcji").replace(
        "## Pierwsza lekcja", "## Pierwsza lekcja (poprawiona)"
    )
    write_course(course_root, "kurs-testowy", {"01-pierwszy.md": fixed, "02-drugi.md": MODULE_TWO})
    report = sync_courses(db.session, course_root)
    assert report.updated == ["kurs-testowy"]
    course, version = learning.published_course(db.session, "kurs-testowy")
    assert version.number == 2
    progress = learning.course_progress(db.session, user.id, course, version)
    first = progress.modules[0]
    assert (first.lessons_done, first.lessons_total) == (1, 2)
    assert first.module.lessons[0].title == "Pierwsza lekcja (poprawiona)"
    assert first.module.lessons[0].key == "pierwsza-lekcja"
    old = db.session.scalar(select(CourseVersion).where(CourseVersion.course_id == course.id, CourseVersion.number == 1))
    old_lesson = db.session.scalar(select(Lesson).where(Lesson.version_id == old.id, Lesson.key == "pierwsza-lekcja"))
    assert "Poprawiony" not in old_lesson.html  # version 1 is immutable

    # Remove the lesson the learner has not done: the module completes, then the whole course.
    completed = []

    def on_course(sender, **_kwargs):
        completed.append(sender.slug)

    signals.course_completed.connect(on_course)
    try:
        removed = fixed.replace("## Druga lekcja\n\nTekst drugiej lekcji.\n\n", "")
        write_course(course_root, "kurs-testowy", {"01-pierwszy.md": removed, "02-drugi.md": MODULE_TWO})
        sync_courses(db.session, course_root)
    finally:
        signals.course_completed.disconnect(on_course)
    course, version = learning.published_course(db.session, "kurs-testowy")
    assert version.number == 3
    assert db.session.scalar(select(ModuleCompletion).where(ModuleCompletion.user_id == user.id, ModuleCompletion.module_key == "pierwszy"))
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
    assert enrolment.completed_at is not None
    assert enrolment.completed_version == 3
    assert completed == ["kurs-testowy"]
    assert learning.course_progress(db.session, user.id, course, version).percent == 100


def test_rendering_happens_only_when_source_changes(course_root, monkeypatch):
    write_course(course_root, "kurs-testowy")
    sync_courses(db.session, course_root)
    calls = []
    original = content.render_markdown_with_toc
    monkeypatch.setattr(content, "render_markdown_with_toc", lambda text, base=None: calls.append(text) or original(text, base))
    fixed = MODULE_ONE.replace("Tekst drugiej lekcji.", "Tekst drugiej lekcji, poprawiony.")
    write_course(course_root, "kurs-testowy", {"01-pierwszy.md": fixed, "02-drugi.md": MODULE_TWO})
    sync_courses(db.session, course_root)
    assert calls == ["Tekst drugiej lekcji, poprawiony."]


def test_browser_course_export_resyncs_unchanged_but_files_never_overwrite_it(client, login_as, tmp_path):
    login_as("trainer")
    client.post(
        "/authoring/courses/new", data={"slug": "kurs-www", "title": "Kurs z przeglądarki", "summary": "s", "role": "mediator", "hours": 1}
    )
    client.post("/authoring/courses/kurs-www/modules/new", data={"title": "Moduł", "hours": 1})
    client.post("/authoring/courses/kurs-www/modules/modul/quiz", data={"view": "text", "source": "### P\n- [x] a\n- [ ] b\n"})
    client.post("/authoring/courses/kurs-www/modules/modul/lessons/new", data={"title": "Lekcja", "source": "Treść.", "submit": "1"})
    client.post("/authoring/courses/kurs-www/publish", data={"confirmed": "1"})
    export_course(db.session, "kurs-www", tmp_path)
    assert sync_courses(db.session, tmp_path / "kurs-www").unchanged == ["kurs-www"]
    lesson_file = tmp_path / "kurs-www" / "01-modul.md"
    lesson_file.write_text(lesson_file.read_text(encoding="utf-8").replace("Treść.", "Inna treść."), encoding="utf-8")
    with pytest.raises(SyncError) as info:
        sync_courses(db.session, tmp_path / "kurs-www")
    assert info.value.errors[0].startswith("kurs-www/course.yml:1: slug 'kurs-www' belongs to a course edited in the browser")
