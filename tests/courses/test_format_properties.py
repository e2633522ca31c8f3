"""Invariant: any course the format can express is written and read back unchanged (export → parse)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elearn.courses.services import format as fmt

ALPHABET = "abcdefghijklmnopqrstuvwxyząćęłńóśźżABCZŁŚ0123456789 ,.:;-!?()'\"*_[]{}&%@/"

line = (
    st.text(alphabet=ALPHABET, min_size=1, max_size=40)
    .map(str.strip)
    .filter(lambda s: s and s.lower() != "quiz" and not s.startswith(fmt.ASSIGNMENT_PREFIX))
)
paragraphs = st.lists(line, min_size=1, max_size=4).map(lambda lines: "\n\n".join(lines))
outcomes = st.dictionaries(st.sampled_from(fmt.OUTCOME_KINDS), st.lists(line, min_size=1, max_size=3), max_size=3)
competences = st.dictionaries(
    st.builds(lambda a, n, m: f"{a}.{n}.{m}", st.sampled_from(["WSP", "ANI", "MED", "POL"]), st.integers(1, 9), st.integers(1, 9)),
    st.just(1),
    max_size=4,
)


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(["single", "multiple"]))
    texts = draw(st.lists(line, min_size=2, max_size=5, unique=True).filter(lambda t: sorted(t) != sorted(fmt.TRUE_FALSE)))
    if kind == "single":
        right = draw(st.integers(0, len(texts) - 1))
        flags = [i == right for i in range(len(texts))]
    else:
        flags = draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)).filter(any))
    feedback = draw(st.one_of(st.just(""), st.lists(line, min_size=1, max_size=2).map("\n".join)))
    options = [fmt.Option(text=t, correct=f) for t, f in zip(texts, flags, strict=True)]
    return fmt.Question(text=draw(line), kind=kind, options=options, feedback=feedback)


@st.composite
def assignments(draw):
    keys = draw(st.lists(st.sampled_from(["mapa-zasobow", "plan", "notatka-2"]), max_size=2, unique=True))
    return [
        fmt.Assignment(
            key=key,
            title=draw(line),
            instructions=draw(paragraphs),
            competences=draw(competences.filter(bool).map(lambda c: {k: draw(st.integers(1, 2)) for k in c})),
            criteria=draw(st.lists(line, max_size=3)),
            form=draw(st.sampled_from([["text"], ["files"], ["text", "files"]])),
            due_days=draw(st.one_of(st.none(), st.integers(1, 365))),
        )
        for key in keys
    ]


@st.composite
def modules(draw, key):
    return fmt.Module(
        key=key,
        title=draw(line),
        hours=draw(st.integers(0, 20)),
        outcomes=draw(outcomes),
        competences=draw(competences),
        quiz_pass=draw(st.integers(0, 100)),
        intro=draw(st.one_of(st.just(""), paragraphs)),
        lessons=[fmt.Lesson(title=t, source=draw(paragraphs)) for t in draw(st.lists(line, min_size=1, max_size=3))],
        questions=draw(st.lists(questions(), max_size=3)),
        assignments=draw(assignments()),
    )


@st.composite
def courses(draw):
    keys = draw(st.lists(st.sampled_from(["wstep", "diagnoza", "dzialanie", "ewaluacja"]), min_size=1, max_size=4, unique=True))
    mods = [draw(modules(key)) for key in keys]
    return fmt.Course(
        slug="kurs-wlasciwosci",
        title=draw(line),
        summary=draw(line),
        role=draw(st.sampled_from(fmt.ROLES)),
        hours=max(1, sum(m.hours for m in mods)),
        version=draw(st.integers(1, 5)),
        authors=draw(st.lists(line, max_size=2)),
        prerequisites=draw(st.lists(st.sampled_from(["inny-kurs", "wprowadzenie-do-osl"]), max_size=2, unique=True)),
        outcomes=draw(outcomes),
        modules=mods,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(course=courses())
def test_write_then_parse_is_identity(tmp_path_factory, course):
    if sum(m.hours for m in course.modules) != course.hours:
        course.modules[0].hours += course.hours - sum(m.hours for m in course.modules)
    folder = tmp_path_factory.mktemp("prop") / course.slug
    fmt.write_course_dir(course, folder)
    [parsed] = fmt.parse_course_tree(folder)
    assert parsed == course
