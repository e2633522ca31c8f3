"""Quiz questions, answers and feedback and the YAML learning outcomes are written with the lessons' inline syntax:
`*NIMBY*{lang=en}` marks an English term (WCAG 3.1.2) in the Polish interface, and in the English interface the
Polish content around it is marked lang="pl". Everything else is text: a script payload is shown, never run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from elearn.courses.services.format.quiz import parse_quiz_text, quiz_text
from elearn.courses.services.learning import published_course
from elearn.courses.services.sync import sync_courses
from elearn.extensions import db
from tests.courses.helpers import MODULE_TWO, write_course

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
MODULE = f"""---
title: Moduł z terminami
hours: 2
outcomes:
  wiedza:
    - zna zjawisko *NIMBY*{{lang=en}} i jego źródła
  umiejetnosci:
    - potrafi stosować *reframing*{{lang=en}} {PAYLOAD}
quiz_pass: 50
---

## Lekcja

Tekst.

## Quiz

### Czym jest *empowerment*{{lang=en}}? {PAYLOAD}
- (x) upodmiotowieniem, czyli *empowerment*{{lang=en}}
- ( ) [ucieczką](javascript:alert(1)) od decyzji {PAYLOAD}
> Tak: *community organizing*{{lang=en}} zaczyna się od **upodmiotowienia**. {PAYLOAD}
"""


@pytest.fixture
def course(course_root):
    write_course(course_root, "kurs-terminy", {"01-terminy.md": MODULE, "02-drugi.md": MODULE_TWO},
                 outcomes={"wiedza": ["zna pojęcie *community organizing*{lang=en}"]})  # fmt: skip
    sync_courses(db.session, course_root)
    db.session.commit()
    return published_course(db.session, "kurs-terminy")


def _no_live_markup(html: str) -> None:
    assert "<script" not in html.split("</main>")[0].split("<main")[1]
    assert "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or '&lt;script&gt;alert("x")&lt;/script&gt;' in html


def test_polish_interface_marks_english_terms(client, login_as, course):
    login_as("learner")
    client.post("/courses/kurs-terminy/enrol")
    page = client.get("/courses/kurs-terminy").get_data(as_text=True)
    assert '<em lang="en">community organizing</em>' in page
    module = client.get("/courses/kurs-terminy/modules/terminy").get_data(as_text=True)
    assert '<li>zna zjawisko <em lang="en">NIMBY</em> i jego źródła</li>' in module
    assert re.search(r"<ul>\s*<li>zna zjawisko", module) or "<ul><li>zna zjawisko" in module  # Polish page: no lang="pl"
    _no_live_markup(module)

    quiz = client.get("/courses/kurs-terminy/modules/terminy/quiz").get_data(as_text=True)
    assert re.search(r'<legend>1\. Czym jest <em lang="en">empowerment</em>\?', quiz)
    assert re.search(r'<label for="q1-\d">upodmiotowieniem, czyli <em lang="en">empowerment</em></label>', quiz)
    _no_live_markup(quiz)
    answered = client.post("/courses/kurs-terminy/modules/terminy/quiz", data={"q1": "1"}).get_data(as_text=True)
    assert 'Tak: <em lang="en">community organizing</em> zaczyna się od <strong>upodmiotowienia</strong>.' in answered
    _no_live_markup(answered)


def test_english_interface_marks_the_polish_content(client, login_as, course):
    login_as("learner")
    client.post("/courses/kurs-terminy/enrol")
    client.post("/language", data={"lang": "en", "next": "/"})
    module = client.get("/courses/kurs-terminy/modules/terminy").get_data(as_text=True)
    assert '<html lang="en"' in module
    assert '<ul lang="pl"><li>zna zjawisko <em lang="en">NIMBY</em> i jego źródła</li></ul>' in module
    quiz = client.post("/courses/kurs-terminy/modules/terminy/quiz", data={"q1": "1"}).get_data(as_text=True)
    assert re.search(r'<legend>1\. <span lang="pl">Czym jest <em lang="en">empowerment</em>\?', quiz)
    assert re.search(r'<label for="q1-\d" lang="pl">upodmiotowieniem, czyli <em lang="en">empowerment</em></label>', quiz)
    assert '<span lang="pl">Tak: <em lang="en">community organizing</em>' in quiz
    _no_live_markup(quiz)


def test_quiz_text_with_terms_round_trips_exactly():
    text = MODULE.split("## Quiz\n\n", 1)[1]
    assert quiz_text(parse_quiz_text(text)) == text


ENGLISH_TERMS = ("empowerment", "reframing", "BATNA", "World Café", "NIMBY", "community organizing", "not in my backyard")
SHIPPED = Path(__file__).resolve().parents[2] / "courses"


def _quiz_and_outcome_lines():
    for path in sorted(SHIPPED.glob("*/*.md")) + sorted(SHIPPED.glob("*/course.yml")):
        section, fences = None, 0
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            fences += line.strip() == "---"
            if line.startswith("## "):
                section = line.strip()
            in_front_matter = path.suffix == ".yml" or fences == 1
            if section == "## Quiz" or (in_front_matter and line.lstrip().startswith("- ")):
                yield f"{path.relative_to(SHIPPED)}:{number}", line


def test_shipped_quizzes_and_outcomes_mark_their_english_terms():
    lines = list(_quiz_and_outcome_lines())
    assert len(lines) > 200  # the scan reads the quizzes and outcomes
    unmarked = [where for where, line in lines for term in ENGLISH_TERMS if term in line and f"*{term}*{{lang=en}}" not in line]
    assert unmarked == []
    marked = [where for where, line in lines if "{lang=en}" in line]
    assert len(marked) >= 4


def test_shipped_outcome_and_feedback_render_the_term_in_english(client, login_as):
    login_as("learner")
    assert client.post("/courses/wprowadzenie-do-osl/enrol").status_code == 302
    module = client.get("/courses/wprowadzenie-do-osl/modules/czym-jest-osl").get_data(as_text=True)
    assert 'upodmiotowienie (<em lang="en">empowerment</em>)' in module
    _course, version = published_course(db.session, "mediator-w-spolecznosci-lokalnej")
    feedback = [q.feedback for m in version.modules for q in m.questions if "reframing" in q.feedback]
    assert feedback and "*reframing*{lang=en}" in feedback[0]
