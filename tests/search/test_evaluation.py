"""The labelled Polish queries: recall@10 over the shipped courses, and the issue's pairs of word forms."""

from __future__ import annotations

import pytest

from elearn.core import search
from elearn.extensions import db

from .evaluation import evaluate, load_queries, mean_recall, report

# Measured 1.000 with Morfeusz 2 on both backends (README, "Search"); word forms alone reach 0.73. Set a little
# under the measurement so a regression in analysis or ranking fails, not a single reordered result.
RECALL_THRESHOLD = 0.95


def test_the_labelled_set_is_large_and_varied():
    queries = load_queries()
    assert len(queries) >= 40
    assert {q["kind"] for q in queries} == {"inflected", "phrase", "ascii", "several"}
    assert all(q["expect"] for q in queries)


def test_recall_at_10_over_the_labelled_queries(app, capsys):
    results = evaluate(db.session)
    with capsys.disabled():
        print("\n" + report(results))
    assert mean_recall(results) >= RECALL_THRESHOLD, report(results)


PAIRS = [
    # the four pairs
    ("mediacja", "mediacji"),
    ("wolontariusz", "wolontariuszy"),
    ("fundusz sołecki", "funduszu sołeckiego"),
    ("partycypacja", "partycypacji"),
    # and more of the same kind: plural genitive, a loanword the dictionary lacks, typed without Polish letters
    ("konflikt", "konfliktów"),
    ("deinstytucjonalizacja", "deinstytucjonalizacji"),
    ("ewaluacja", "ewaluacją"),
]


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_both_forms_return_the_same_results(app, make_user, first, second):
    learner = make_user("learner")
    one = search.search(db.session, learner, first, per_page=1000)
    other = search.search(db.session, learner, second, per_page=1000)
    assert one.total > 0
    assert [(h.kind, h.key) for h in one.hits] == [(h.kind, h.key) for h in other.hits]


@pytest.mark.parametrize(("typed", "ascii"), [("fundusz sołecki", "fundusz solecki"), ("mediacją", "mediacja"), ("źródła", "zrodla")])
def test_without_polish_letters_the_same_documents_are_found(app, make_user, typed, ascii):
    """The unaccented match may score a little differently, so the order can differ; the documents may not."""
    learner = make_user("learner")
    one = search.search(db.session, learner, typed, per_page=1000)
    other = search.search(db.session, learner, ascii, per_page=1000)
    assert one.total > 0
    assert {(h.kind, h.key) for h in one.hits} == {(h.kind, h.key) for h in other.hits}
