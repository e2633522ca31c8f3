"""The /search page as people use it: grouped results with counts, highlighted fragments, filters, pagination,
the spelling suggestion, permissions per kind, drafts never shown, and bad input."""

from __future__ import annotations

import re

import pytest

from elearn.core import search
from elearn.core.search import registry
from elearn.extensions import db


def _page(client, **params):
    response = client.get("/search", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/search?q=mediacja")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_results_are_grouped_by_kind_with_counts_and_highlighted(client, login_as):
    login_as("learner")
    page = _page(client, q="mediacji")
    assert "<h1>Wyszukiwanie</h1>" in page
    assert re.search(r'<h2 id="group-lesson">Lekcje <span class="muted">\(\d+\)</span></h2>', page)
    assert re.search(r'<h2 id="group-course">Kursy', page)
    assert re.search(r'<h2 id="group-competence">Kompetencje', page)
    assert '<a href="/courses/mediator-w-spolecznosci-lokalnej/lessons/etapy-mediacji"><mark>Mediacji</mark>' not in page
    assert '<a href="/courses/mediator-w-spolecznosci-lokalnej/lessons/etapy-mediacji">Etapy <mark>mediacji</mark></a>' in page
    assert "<mark>Mediacja</mark>" in page  # another form of the word, in a fragment
    assert "Mediator w społeczności lokalnej › Mediacja – zasady, etapy i prowadzenie" in page  # course › module


def test_filters_by_kind_role_and_course(client, login_as):
    login_as("learner")
    only_courses = _page(client, q="konflikt", kind="course")
    assert 'id="group-course"' in only_courses and 'id="group-lesson"' not in only_courses
    assert "Lekcje (" in only_courses  # the other kinds stay offered with their counts
    mediators = _page(client, q="partnerstwo", role="mediator")
    assert "/courses/lokalny-polityk-spoleczny" not in mediators
    from elearn.courses.models import Course

    course = db.session.scalar(db.select(Course).where(Course.slug == "wprowadzenie-do-osl"))
    intro = _page(client, q="wolontariat", course=str(course.id))
    assert "/courses/wprowadzenie-do-osl/lessons/ustawa-o-pozytku-publicznym" in intro
    assert "/courses/animator-spolecznosci-lokalnej/" not in intro


def test_pagination_keeps_the_query_and_filters(client, login_as):
    login_as("learner")
    first = _page(client, q="społeczność", kind="lesson")
    assert "Strona 1 z" in first
    assert 'href="/search?' in first and "page=2" in first
    second = _page(client, q="społeczność", kind="lesson", page=2)
    assert "Strona 2 z" in second
    assert _page(client, q="społeczność", page=999).count("Strona") <= 1  # beyond the end: the last page


def test_a_typo_gets_a_suggestion_that_finds_something(client, login_as):
    login_as("learner")
    page = _page(client, q="mediacjja")
    assert "Nic nie pasuje" in page
    assert 'Czy chodziło o: <a href="/search?q=mediacja">mediacja</a>' in page
    assert "Czy chodziło o" not in _page(client, q="qqqxxzzz")


@pytest.mark.parametrize("query", ['"', "<script>alert(1)</script>", "a" * 500, "%", "''; DROP TABLE x;--", "ąęł\u200b"])
def test_any_text_is_a_page_never_an_error(client, login_as, query):
    login_as("learner")
    response = client.get("/search", query_string={"q": query, "page": "abc", "kind": "nope", "course": "x"})
    assert response.status_code in (200, 400)
    assert "<script>alert" not in response.get_data(as_text=True)


@pytest.fixture
def institution_kind(monkeypatch):
    """A kind like a future advisory case: only members of the document's institution may see it."""

    def visible(session, viewer, hits):
        return [h for h in hits if viewer.institution_id == h.institution_id]

    kind = search.SearchKind("sprawa", "Sprawy", documents=lambda _session: [], visible=visible, order=90)
    monkeypatch.setitem(registry._kinds, "sprawa", kind)
    return kind


def test_permissions_of_each_kind_filter_results_and_counts(client, make_user, login, institution, institution_kind):
    from elearn.directory.models import Institution

    other = db.session.scalar(db.select(Institution).where(Institution.id != institution.id).limit(1))
    ours = search.Document(kind="sprawa", key="1", title="Porada <b>sąsiedzka</b> nasza", body="Spór o <script>miedzę</script>.",
                           url="/x/1", institution_id=institution.id)  # fmt: skip
    search.index_document(db.session, ours)
    theirs = search.Document(kind="sprawa", key="2", title="Porada sąsiedzka obca", body="Spór.", url="/x/2", institution_id=other.id)
    search.index_document(db.session, theirs)
    db.session.commit()
    login(make_user("learner"))
    page = _page(client, q="porada sąsiedzka")
    assert "<mark>Porada</mark> &lt;b&gt;<mark>sąsiedzka</mark>&lt;/b&gt; nasza" in page  # escaped, then marked
    assert "&lt;script&gt;" in page and "<script>miedzę" not in page
    assert "obca" not in page
    assert "Sprawy (1)" in page
    login(make_user("learner", institution_id=other.id))
    assert "obca" in _page(client, q="porada sąsiedzka") and "nasza" not in _page(client, q="porada sąsiedzka")


def test_competences_link_to_their_page_for_everyone(client, login_as):
    for role in ("learner", "trainer"):
        login_as(role)
        page = _page(client, q="mediacji", kind="competence")
        assert 'href="/competencies/framework/competences/MED.2.1"' in page
        assert client.get("/competencies/framework/competences/MED.2.1").status_code == 200


def test_a_draft_is_never_served_until_published(client, make_user, login):
    from tests.courses.test_authoring import _add_lesson, _add_module, _create_course

    trainer = login(make_user("trainer"))
    _create_course(client, hours=1)
    module = _add_module(client, "nowy-kurs", "Moduł o kwiatach")
    lesson = _add_lesson(client, "nowy-kurs", module, "Lekcja o storczykach", source="Storczyki kwitną zimą.")
    learner = make_user("learner")
    login(learner)
    assert "0 wyników." in _page(client, q="storczyki")
    login(trainer)
    assert client.post("/authoring/courses/nowy-kurs/publish", data={"confirmed": "1"}).status_code == 302
    client.post(f"/authoring/courses/nowy-kurs/lessons/{lesson}", data={"title": "Lekcja o storczykach",
                                                                       "source": "Tulipany w szkicu.", "submit": "1"})  # fmt: skip
    login(learner)
    page = _page(client, q="storczykami")
    assert f'<a href="/courses/nowy-kurs/lessons/{lesson}">Lekcja o <mark>storczykach</mark></a>' in page
    assert "<mark>Storczyki</mark> kwitną zimą." in page  # the published text, not the draft's
    assert "0 wyników." in _page(client, q="tulipany")
