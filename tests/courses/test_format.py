"""The course file format: every broken-file case gives `path:line: message`; good files round-trip exactly."""

from __future__ import annotations

import pytest

from elearn.courses.services import format as fmt
from tests.courses.helpers import MODULE_ONE, MODULE_TWO, write_course


def _errors(root) -> list[str]:
    with pytest.raises(fmt.FormatError) as info:
        fmt.parse_course_tree(root)
    return info.value.errors


def test_parses_course_into_dataclasses(course_root):
    write_course(course_root, "kurs")
    [course] = fmt.parse_course_tree(course_root)
    assert (course.slug, course.role, course.hours, course.authors) == ("kurs", "wspolne", 3, ["Zespół testowy"])
    first, second = course.modules
    assert (first.key, first.title, first.hours, first.quiz_pass, first.competences) == (
        "pierwszy",
        "Pierwszy moduł",
        2,
        50,
        {"WSP.1.1": 1},
    )
    assert first.intro == "Wprowadzenie do modułu."
    assert [lesson.title for lesson in first.lessons] == ["Pierwsza lekcja", "Druga lekcja"]
    assert first.lessons[0].source.startswith("Tekst pierwszej lekcji")
    assert "### Podrozdział" in first.lessons[0].source
    q1, q2, q3 = first.questions
    assert q1.kind == "single"
    assert [o.correct for o in q1.options] == [False, True, False]
    assert q1.feedback == "Bo tak."
    assert q2.kind == "multiple"
    assert [o.correct for o in q2.options] == [True, False, True]
    assert q3.kind == "truefalse"
    assert q3.feedback == ""
    assert second.questions == []
    assert second.quiz_pass == 70


def test_heading_inside_code_fence_is_not_a_lesson(course_root):
    module = MODULE_TWO.replace("Tekst jedynej lekcji.", "Przykład:\n\n```\n## to nie jest lekcja\n```")
    write_course(course_root, "kurs", {"01-a.md": MODULE_ONE, "02-b.md": module})
    course = fmt.parse_course_tree(course_root)[0]
    assert len(course.modules[1].lessons) == 1


def test_export_then_parse_gives_equal_dataclasses_and_identical_bytes(course_root, tmp_path):
    write_course(course_root, "kurs")
    [course] = fmt.parse_course_tree(course_root)
    out = tmp_path / "out" / "kurs"
    fmt.write_course_dir(course, out)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    [again] = fmt.parse_course_tree(out)
    assert again == course
    fmt.write_course_dir(again, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


ZH = "---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n"  # a module with one lesson, before its assignment sections


BROKEN_MODULES = [
    # (module text, expected error for kurs/01-a.md)
    ("title: Bez front matter\n", "kurs/01-a.md:1: a module file must start with YAML front matter between two '---' lines"),
    ("---\ntitle: X\nhours: 1\n\n## Lekcja\n\nTekst\n", "kurs/01-a.md:1: the front matter is not closed with a '---' line"),
    ("---\ntitle: X\nhours: [1\n---\n\n## L\n\nT\n", "kurs/01-a.md:3: invalid YAML"),
    ("---\nhours: 1\n---\n\n## L\n\nT\n", "kurs/01-a.md:2: missing required key 'title'"),
    ("---\ntitle: X\n---\n\n## L\n\nT\n", "kurs/01-a.md:2: missing required key 'hours'"),
    ("---\ntitle: X\nhours: dwie\n---\n\n## L\n\nT\n", "kurs/01-a.md:3: hours must be a whole number at least 0, not 'dwie'"),
    (
        "---\ntitle: X\nhours: 1\nquiz_pass: 120\n---\n\n## L\n\nT\n",
        "kurs/01-a.md:4: quiz_pass must be a whole number between 0 and 100, not 120",
    ),
    ("---\ntitle: X\nhours: 1\ncolor: red\n---\n\n## L\n\nT\n", "kurs/01-a.md:4: unknown key 'color'"),
    (
        "---\ntitle: X\nhours: 1\ncompetences:\n  ANI.1.1: 2\n  XYZ.1.1: 1\n---\n\n## L\n\nT\n",
        "kurs/01-a.md:6: competence code 'XYZ.1.1' must look like",
    ),
    (
        "---\ntitle: X\nhours: 1\ncompetences:\n  ANI.1.1: 4\n---\n\n## L\n\nT\n",
        "kurs/01-a.md:5: completing a module confers at most level 1",
    ),
    (
        "---\ntitle: X\nhours: 1\ncompetences:\n  ANI.1.1: 1\n  ANI.1.2: 2\n---\n\n## L\n\nT\n",
        "kurs/01-a.md:6: completing a module confers at most level 1 (reading and a quiz show knowledge); ANI.1.2: 2 needs",
    ),
    (
        "---\ntitle: X\nhours: 1\noutcomes:\n  wiedza:\n    - zna: i rozumie\n---\n\n## L\n\nT\n",
        "kurs/01-a.md:6: this item is read as a mapping because it contains ': '; put the whole text in quotes",
    ),
    ("---\ntitle: X\nhours: 1\n---\n\nTylko wstęp.\n", "kurs/01-a.md:5: a module needs at least one lesson"),
    ("---\ntitle: X\nhours: 1\n---\n\n## Pusta\n\n## Druga\n\nT\n", "kurs/01-a.md:6: lesson 'Pusta' has no text"),
    (
        "---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n### P\n- (x) a\n- ( ) b\n\n## Po quizie\n\nT\n",
        "kurs/01-a.md:16: '## Quiz' must be the last section of the module",
    ),
    (
        ZH + "## Zadanie: Mapa\n\nZrób mapę.\n",
        "kurs/01-a.md:12: assignment 'Mapa' must start with a ```yaml block",
    ),
    (
        ZH + "## Zadanie: Mapa\n\n```yaml\nkey: mapa\ncompetences:\n  ANI.1.2: 3\n```\n\nZrób mapę.\n",
        "kurs/01-a.md:15: an assessed assignment evidences level 1 or 2 of ANI.1.2, not 3",
    ),
    (
        ZH + "## Zadanie: Mapa\n\n```yaml\nkey: Mapa Zasobów\ncompetences: {ANI.1.2: 2}\nform: [video]\n```\n\nZrób.\n",
        "kurs/01-a.md:15: form may list 'text' and 'files', not 'video'",
    ),
    (
        ZH + "## Zadanie: Mapa\n\n```yaml\nkey: Mapa Zasobów\ncompetences: {ANI.1.2: 2}\n```\n\nZrób.\n",
        "kurs/01-a.md:13: key must be lowercase letters, digits and hyphens",
    ),
    (
        ZH + "## Zadanie: Mapa\n\n```yaml\nkey: mapa\ncompetences: {ANI.1.2: 2}\n```\n",
        "kurs/01-a.md:10: assignment 'Mapa' has no instructions",
    ),
    (
        ZH + "## Zadanie: Mapa\n\n```yaml\nkey: mapa\ncompetences: {ANI.1.2: 2}\n\nZrób.\n",
        "kurs/01-a.md:12: the assignment's ```yaml block is not closed",
    ),
    (
        ZH + "## Zadanie: A\n\n```yaml\nkey: a\ncompetences: {ANI.1.2: 2}\n```\n\nZrób.\n\n"
        "## Zadanie: B\n\n```yaml\nkey: a\ncompetences: {ANI.1.2: 2}\n```\n\nZrób.\n",
        "kurs/01-a.md:19: assignment key 'a' is used twice in this module",
    ),
    (
        "---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## quiz\n\n### P\n- (x) a\n- ( ) b\n",
        "kurs/01-a.md:10: write the quiz heading exactly as '## Quiz'",
    ),
    ("---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n", "kurs/01-a.md:10: '## Quiz' has no questions"),
    ("---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n- (x) a\n", "kurs/01-a.md:12: the quiz must start with a question"),
    (
        "---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n### P\n- (x) a\n- [ ] b\n",
        "kurs/01-a.md:12: do not mix ( ) and [ ] options in one question",
    ),
    ("---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n### P\n- (x) a\n", "kurs/01-a.md:12: a question needs at least two options"),
    (
        "---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n### P\n- (x) a\n- (x) b\n",
        "kurs/01-a.md:12: a single-choice question needs exactly one (x), found 2",
    ),
    (
        "---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n### P\n- ( ) a\n- ( ) b\n",
        "kurs/01-a.md:12: a single-choice question needs exactly one (x), found 0",
    ),
    (
        "---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n### P\n- [ ] a\n- [ ] b\n",
        "kurs/01-a.md:12: a multiple-choice question needs at least one [x]",
    ),
    (
        "---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n### P\n- (y) a\n- (x) b\n",
        "kurs/01-a.md:13: an option must start with '- ( ) '",
    ),
    (
        "---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n### P\n- (x) a\n> uwaga\n- ( ) b\n",
        "kurs/01-a.md:15: options must come before the feedback",
    ),
    (
        "---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n### P\n- (x) a\n- ( ) b\nluźny tekst\n",
        "kurs/01-a.md:15: unexpected line in the quiz",
    ),
    (
        "---\ntitle: X\nhours: 1\n---\n\n## L\n\nT\n\n## Quiz\n\n### \n- (x) a\n- ( ) b\n",
        "kurs/01-a.md:12: a question needs text after '### '",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN_MODULES)
def test_broken_module_file_reports_file_and_line(course_root, text, expected):
    write_course(course_root, "kurs", {"01-a.md": text}, hours=1)
    errors = _errors(course_root)
    assert any(e.startswith(expected) for e in errors), errors


BROKEN_COURSE_YML = [
    ({"role": "dyrektor"}, "kurs/course.yml:4: role must be one of animator, mediator, polityk, wspolne, not 'dyrektor'"),
    ({"hours": 5}, "kurs/course.yml:5: hours is 5 but the modules add up to 3"),
    ({"hours": 0}, "kurs/course.yml:5: hours must be a whole number at least 1, not 0"),
    ({"prerequisites": ["kurs"]}, "kurs/course.yml:9: a course cannot be its own prerequisite"),
    ({"prerequisites": "wprowadzenie"}, "kurs/course.yml:9: prerequisites must be a list of course slugs"),
    ({"authors": "Jan"}, "kurs/course.yml:7: authors must be a list of names"),
    ({"outcomes": {"postawy": ["x"]}}, "kurs/course.yml:11: unknown outcome category 'postawy'"),
    ({"extra": 1}, "kurs/course.yml:13: unknown key 'extra'"),
    ({"title": None}, "kurs/course.yml:2: missing required key 'title'"),
]


@pytest.mark.parametrize(("overrides", "expected"), BROKEN_COURSE_YML)
def test_broken_course_yml_reports_file_and_line(course_root, overrides, expected):
    write_course(course_root, "kurs", **overrides)
    errors = _errors(course_root)
    assert any(e.startswith(expected) for e in errors), errors


def test_folder_level_problems(course_root):
    folder = write_course(course_root, "kurs", {"01-a.md": MODULE_ONE, "1-zla-nazwa.md": MODULE_TWO, "01-b.md": MODULE_TWO})
    (course_root / "pusty").mkdir()
    (folder / "03-binarny.md").write_bytes(b"\xff\xfe\x00zly")
    errors = _errors(course_root)
    assert "kurs/1-zla-nazwa.md:1: module file names must look like 01-module-name.md (two digits, a hyphen, a-z0-9-)" in errors
    assert "kurs/01-b.md:1: module number 01 is also used by 01-a.md" in errors
    assert any(e.startswith("kurs/03-binarny.md:1: the file is not UTF-8 text") for e in errors)
    assert "pusty/course.yml:1: course.yml is missing" in errors


def test_slug_must_match_folder(course_root):
    folder = write_course(course_root, "kurs")
    text = (folder / "course.yml").read_text(encoding="utf-8").replace("slug: kurs", "slug: inny")
    (folder / "course.yml").write_text(text, encoding="utf-8")
    assert _errors(course_root) == ["kurs/course.yml:1: slug 'inny' must equal the folder name 'kurs'"]


def test_invalid_yaml_in_course_yml(course_root):
    folder = write_course(course_root, "kurs")
    (folder / "course.yml").write_text("slug: kurs\ntitle: [niezamknięte\nrole: wspolne\n", encoding="utf-8")
    errors = _errors(course_root)
    assert errors[0].startswith("kurs/course.yml:3: invalid YAML")


def test_assignment_section_is_parsed_and_not_a_lesson(course_root):
    text = (
        "---\ntitle: X\nhours: 1\n---\n\n## Lekcja\n\nTreść.\n\n## Zadanie: Mapa zasobów\n\n```yaml\nkey: mapa\n"
        "competences:\n  ANI.1.2: 2\ncriteria:\n  - Mapa ma legendę\nform: [text, files]\ndue_days: 14\n```\n\n"
        "Narysuj **mapę**.\n\n## Quiz\n\n### P\n- (x) a\n- ( ) b\n"
    )
    errors = fmt.Errors()
    module = fmt.parse_module(text, "kurs/01-a.md", "a", errors)
    assert errors == []
    assert [lesson.title for lesson in module.lessons] == ["Lekcja"]
    assert module.assignments == [
        fmt.Assignment(
            key="mapa", title="Mapa zasobów", instructions="Narysuj **mapę**.", competences={"ANI.1.2": 2},
            criteria=["Mapa ma legendę"], form=["text", "files"], due_days=14,
        )
    ]  # fmt: skip
    assert fmt.module_text(module).count("## Zadanie: Mapa zasobów") == 1


def test_quiz_text_for_the_browser_editor():
    questions = fmt.parse_quiz_text("### Ile?\n- ( ) jeden\n- (x) dwa\n> Dwa.\n")
    assert questions[0].kind == "single"
    assert questions[0].feedback == "Dwa."
    assert fmt.parse_quiz_text("  \n") == []
    with pytest.raises(fmt.FormatError) as info:
        fmt.parse_quiz_text("### Ile?\n- (x) jeden\n- (x) dwa\n", label="linia")
    assert info.value.errors == ["linia:1: a single-choice question needs exactly one (x), found 2"]
