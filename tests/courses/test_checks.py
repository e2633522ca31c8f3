"""`flask courses check`: each rule on a small course that has exactly that problem, a clean course, acceptances,
the shipped courses (CI) and the trainer's list before publishing."""

from __future__ import annotations

import pytest
import yaml

from elearn.courses.services import checks, glossary

from .helpers import PNG, write_course

GLOSSARY = {
    "terms": [
        {"preferred": "interwizja", "forbidden": ["intervizj"]},
        {"preferred": "World Café", "forbidden": ["world\\W?caf[eé]"], "exact": True},
        {"preferred": "mieszkańcy", "forbidden": ["podopieczn"], "level": "warning"},
    ],
    "names": [{"name": "pani Danuta", "match": ["Danut"]}],
}


def single(correct: int, texts=("opcja A", "opcja B", "opcja C")) -> str:
    """A single-choice question whose correct option is number `correct` (1-based); by default no option is longest."""
    lines = [f"- ({'x' if i == correct else ' '}) {text}" for i, text in enumerate(texts, start=1)]
    return "### Pytanie?\n" + "\n".join(lines) + "\n"


def truefalse(true: bool) -> str:
    return f"### Zdanie.\n- ({'x' if true else ' '}) Prawda\n- ({' ' if true else 'x'}) Fałsz\n"


def multiple(marks: str) -> str:
    """marks like 'x x ' : one option per character, 'x' correct."""
    return "### Które?\n" + "\n".join(f"- [{m}] opcja {i}" for i, m in enumerate(marks, start=1)) + "\n"


CLEAN_QUIZ = [single(1), single(2, ("długa opcja poprawna", "krótsza", "najdłuższa z trzech opcji")), single(3),
              single(1), single(2), single(3, ("a", "dłuższa odpowiedź", "b")), truefalse(True), truefalse(False),
              truefalse(True), truefalse(False), multiple("x  "), multiple("xx  "), multiple("xxxx")]  # fmt: skip


def module(lessons: str = "## Lekcja\n\nTekst lekcji.\n", quiz: list[str] | None = None, hours: int = 1) -> str:
    text = f"---\ntitle: Moduł\nhours: {hours}\n---\n\n{lessons}\n"
    if quiz:
        text += "## Quiz\n\n" + "\n".join(quiz)
    return text


def make(root, slug="kurs", quiz=None, lessons="## Lekcja\n\nTekst lekcji.\n", glossary=GLOSSARY, extra_files=None, **yml):
    write_course(root, slug, {"01-modul.md": module(lessons, CLEAN_QUIZ if quiz is None else quiz)}, hours=1, **yml)
    if glossary is not None:
        (root / "glossary.yml").write_text(yaml.safe_dump(glossary, allow_unicode=True), encoding="utf-8")
    for name, data in (extra_files or {}).items():
        (root / slug / name).parent.mkdir(parents=True, exist_ok=True)
        (root / slug / name).write_bytes(data)
    return root


def rules(report) -> list[tuple[str, str]]:
    return [(f.rule, f.level) for f in report.findings]


def test_clean_course_passes(course_root, app):
    make(course_root)
    report = checks.check_tree(course_root)
    assert report.findings == []
    assert report.courses == ["kurs"]
    result = app.test_cli_runner().invoke(args=["courses", "check", str(course_root), "--strict"])
    assert result.exit_code == 0, result.output
    assert "Checked 1 course(s): no errors." in result.output


def test_correct_option_longest(course_root):
    longest = ("krótka", "odpowiedź średnia", "najdłuższa poprawna odpowiedź")
    quiz = [single(1, longest[::-1]), single(3, longest), single(3, longest), single(2, ("a", "dłuższa", "b")), single(1)]
    report = checks.check_tree(make(course_root, quiz=quiz))
    assert rules(report) == [("quiz-longest", "warning")]
    assert "in 4 of 5 single-choice questions" in report.findings[0].message
    assert "01-modul.md:12, 01-modul.md:17" in report.findings[0].message  # where the first such question is
    assert report.findings[0].location == "kurs/course.yml"


def test_correct_option_position(course_root):
    report = checks.check_tree(make(course_root, quiz=[single(2)] * 4 + [single(1), single(3)]))
    assert rules(report) == [("quiz-position", "warning")]
    assert "in 4 of 6 single-choice questions the correct option is number 2" in report.findings[0].message


def test_true_false_balance(course_root):
    report = checks.check_tree(make(course_root, quiz=[truefalse(False)] * 3 + [truefalse(True)]))
    assert rules(report) == [("quiz-true-false", "warning")]
    assert "3 of 4 true/false statements are false (75%)" in report.findings[0].message
    assert checks.check_tree(make(course_root, quiz=[truefalse(False)] * 2 + [truefalse(True)] * 2)).findings == []


def test_all_but_one_correct(course_root):
    report = checks.check_tree(make(course_root, quiz=[multiple("xx "), multiple("x x"), multiple("x  ")]))
    assert rules(report) == [("quiz-all-but-one", "warning")]
    assert "in 2 of 3 multiple-choice questions" in report.findings[0].message


def test_long_lessons_and_lessons_without_subheadings(course_root):
    long_flat = "## Długa\n\n" + "słowo " * 700 + "\n"
    too_long = "## Za długa\n\n### Część\n\n" + "słowo " * 1600 + "\n"
    short = "## Krótka\n\nTekst.\n"
    report = checks.check_tree(make(course_root, lessons=long_flat + too_long + short))
    assert [(f.rule, f.line) for f in report.findings] == [("lesson-headings", 6), ("lesson-length", 9)]
    assert "700 words" in report.findings[0].message


def test_images_without_alt_and_broken_links(course_root):
    lessons = (
        "## Lekcja\n\nZobacz ![](media/mapa.png) i ![Mapa osiedla](media/mapa.png).\n\n"
        "Dalej [moduł drugi](02-brak.md#cel), [ten moduł](01-modul.md), [strona](https://example.org) i [kotwica](#x).\n"
        '<img src="media/mapa.png">\n'
    )
    report = checks.check_tree(make(course_root, lessons=lessons, extra_files={"media/mapa.png": PNG}))
    assert [(f.rule, f.level, f.line) for f in report.findings] == [
        ("image-alt", "error", 8), ("broken-link", "error", 10), ("image-alt", "error", 11),
    ]  # fmt: skip
    assert "02-brak.md#cel" in report.findings[1].message


def test_glossary_variants_with_polish_endings_and_exact_spelling(course_root, app):
    lessons = (
        "## Lekcja\n\nPo spotkaniu była Intervizja, a o intervizji mówimy dalej.\n"
        "Metoda World Café, nie world cafe ani World-Café.\nNasi Podopieczni.\n"
    )
    report = checks.check_tree(make(course_root, lessons=lessons))
    found = [(f.rule, f.level, f.line, f.message.split(":")[0]) for f in report.findings]
    assert found == [
        ("glossary-term", "error", 8, "“Intervizja”"), ("glossary-term", "error", 8, "“intervizji”"),
        ("glossary-term", "error", 9, "“world cafe”"), ("glossary-term", "error", 9, "“World-Café”"),
        ("glossary-term", "warning", 10, "“Podopieczni”"),
    ]  # fmt: skip
    result = app.test_cli_runner().invoke(args=["courses", "check", str(course_root)])
    assert result.exit_code == 1
    assert "kurs/01-modul.md:8: error [glossary-term] “Intervizja”: write “interwizja”" in result.output


def test_fictional_name_in_two_courses(course_root):
    make(course_root, "pierwszy", lessons="## Lekcja\n\nPani Danuta mieszka obok.\n")
    make(course_root, "drugi", lessons="## Lekcja\n\nRozmowa z panią Danutą.\n")
    make(course_root, "trzeci")
    report = checks.check_tree(course_root)
    assert [(f.rule, f.course, f.line) for f in report.findings] == [("duplicate-name", "drugi", 8), ("duplicate-name", "pierwszy", 8)]
    assert "is also used in pierwszy" in report.findings[0].message
    # Checking one course folder still compares it with its siblings.
    single_course = checks.check_tree(course_root / "drugi")
    assert [(f.rule, f.course) for f in single_course.findings] == [("duplicate-name", "drugi")]


def test_accepted_warning_with_reason(course_root, app):
    accept = {"accept": [{"rule": "quiz-true-false", "where": "course.yml", "reason": "test wiedzy o mitach"}]}
    make(course_root, quiz=[truefalse(False)] * 4, checks=accept)
    report = checks.check_tree(course_root)
    assert [(f.rule, f.accepted) for f in report.findings] == [("quiz-true-false", "test wiedzy o mitach")]
    result = app.test_cli_runner().invoke(args=["courses", "check", str(course_root), "--strict"])
    assert result.exit_code == 0, result.output
    assert "[accepted: test wiedzy o mitach]" in result.output


def test_a_glossary_term_lowered_to_a_warning_can_be_accepted_where_quoted(course_root, app):
    lessons = "## Lekcja\n\nNie pisz „dla podopiecznych”.\n\nA tu: podopieczni.\n"
    accept = {"accept": [{"rule": "glossary-term", "where": "01-modul.md:8", "reason": "cytowany antyprzykład"}]}
    report = checks.check_tree(make(course_root, lessons=lessons, checks=accept))
    found = [(f.rule, f.location, f.accepted) for f in report.findings]
    assert found == [
        ("glossary-term", "kurs/01-modul.md:8", "cytowany antyprzykład"), ("glossary-term", "kurs/01-modul.md:10", ""),
    ]  # fmt: skip
    assert report.errors(strict=True) == [report.findings[1]]


def test_warnings_fail_only_in_strict_mode(course_root, app):
    make(course_root, quiz=[truefalse(False)] * 4)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["courses", "check", str(course_root)]).exit_code == 0
    strict = runner.invoke(args=["courses", "check", str(course_root), "--strict"])
    assert strict.exit_code == 1
    assert "1 problem(s) must be fixed (--strict)" in strict.output


def test_bad_and_unused_acceptances(course_root):
    accept = {"accept": [
        {"rule": "broken-link", "reason": "errors cannot be accepted"},
        {"rule": "quiz-longest", "where": "01-modul.md"},
        {"rule": "quiz-position", "reason": "fixed since"},
    ]}  # fmt: skip
    report = checks.check_tree(make(course_root, checks=accept))
    assert [(f.rule, f.level, f.message[:16]) for f in report.findings] == [
        ("accept-invalid", "error", "checks.accept[0]"), ("accept-invalid", "error", "checks.accept[1]"),
        ("accept-unused", "warning", "checks.accept[2]"),
    ]  # fmt: skip
    assert report.findings[0].location.startswith("kurs/course.yml:")


def test_unparsable_course_and_invalid_glossary_are_errors(course_root, app):
    make(course_root, glossary={"terms": [{"preferred": "xy", "forbidden": []}]})
    (course_root / "kurs" / "01-modul.md").write_text("no front matter\n", encoding="utf-8")
    report = checks.check_tree(course_root)
    assert [(f.rule, f.location) for f in report.findings] == [
        ("glossary-file", "glossary.yml"), ("glossary-file", "glossary.yml"), ("format", "kurs/01-modul.md:1"),
    ]  # fmt: skip
    assert app.test_cli_runner().invoke(args=["courses", "check", str(course_root)]).exit_code == 1


def test_shipped_courses_pass_strict():
    """CI: the shipped courses and glossary have no errors and no warning that is not accepted with a reason."""
    report = checks.check_tree(glossary.COURSES_DIR)
    assert report.glossary is not None
    assert len(report.courses) == 4
    assert [f"{f.location}: {f.rule}: {f.message}" for f in report.errors(strict=True)] == []


def _browser_course(client, slug: str, lesson: str) -> None:
    client.post("/authoring/courses/new", data={"slug": slug, "title": f"Kurs {slug}", "summary": "Opis.", "role": "animator", "hours": 1})
    response = client.post(f"/authoring/courses/{slug}/modules/new", data={"title": "Moduł", "hours": 1, "quiz_pass": 70})
    key = response.headers["Location"].rsplit("/", 1)[-1]
    client.post(f"/authoring/courses/{slug}/modules/{key}/lessons/new", data={"title": "Lekcja", "source": lesson, "submit": "1"})


def test_trainer_sees_the_checks_before_publishing(client, make_user, login):
    login(make_user("trainer"))
    _browser_course(client, "kurs-z-uwagami", "O intervizji.\n\n![](/uploads/nie-ma.png)\n\n[dalej](02-inna.md)")
    page = client.get("/authoring/courses/kurs-z-uwagami").get_data(as_text=True)
    assert "Sprawdzenie treści przed publikacją" in page
    assert '<span class="content-checks__where">Moduł › Lekcja</span> — „intervizji”: pisz „interwizja”' in page
    assert "obraz /uploads/nie-ma.png nie ma tekstu alternatywnego" in page
    assert "nie ma takiego przesłanego pliku" in page
    assert "nie zadziała w kursie pisanym w przeglądarce" in page
    response = client.post("/authoring/courses/kurs-z-uwagami/publish", data={"confirmed": "1"}, follow_redirects=True)
    assert "Opublikowano wersję 1" in response.get_data(as_text=True)  # advice, not a block


def test_trainer_sees_fictional_names_taken_by_other_courses(client, make_user, login):
    login(make_user("trainer"))
    _browser_course(client, "kurs-pierwszy", "Gmina Jarzębinowo leży nad rzeką.")
    _browser_course(client, "kurs-drugi", "Mieszkańcy Jarzębinowa się spotykają.")
    page = client.get("/authoring/courses/kurs-drugi").get_data(as_text=True)
    assert "fikcyjna nazwa „gmina Jarzębinowo” występuje też w kursach: " in page
    assert "kurs-pierwszy" in page
    first = client.get("/authoring/courses/kurs-pierwszy").get_data(as_text=True)
    assert "kurs-drugi" in first  # both courses are told


@pytest.mark.parametrize("variant", ["intervizja", "INTERVIZJAMI"])
def test_stem_pattern_matches_inflected_forms_at_word_start(variant):
    pattern = glossary.stem_pattern("intervizj")
    assert pattern.search(f"Mówimy o {variant}.")
    assert not pattern.search("superintervizja")


def test_media_files_pass_the_upload_checks(course_root, app):
    lessons = "## Lekcja\n\n![Mapa osiedla](media/mapa.png) i [program](media/program.pdf) oraz ![Plan](media/plan.png).\n"
    report = checks.check_tree(
        make(course_root, lessons=lessons, extra_files={"media/mapa.png": b"GIF89a udaje PNG", "media/program.pdf": b"%PDF-1.7\n"})
    )
    assert [(f.rule, f.path) for f in report.findings] == [
        ("broken-link", "kurs/01-modul.md"), ("media-file", "kurs/media/mapa.png"),
    ]  # fmt: skip
    assert "media/plan.png" in report.findings[0].message
    assert ".png" in report.findings[1].message


def test_quiz_rules_without_a_quiz_are_flagged(course_root):
    report = checks.check_tree(make(course_root, quiz=[], quiz_attempts=3))
    assert rules(report) == [("quiz-rules-unused", "warning")]
    assert report.findings[0].line == 13  # the quiz_attempts line of course.yml (after the outcomes)
    assert checks.check_tree(make(course_root, quiz_attempts=3, quiz_wait_minutes=60)).findings == []
