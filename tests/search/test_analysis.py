"""Polish analysis: lemmas, unaccented forms, restored diacritics, query parsing."""

from __future__ import annotations

from elearn.core.search import analysis, parse_query


def test_unaccent_maps_l_stroke_which_is_no_combining_accent():
    assert analysis.unaccent("Sołecki fundusz, źródło, ŁÓDŹ") == "Solecki fundusz, zrodlo, LODZ"


def test_inflected_forms_share_one_lemma():
    forms = ["mediacja", "mediacji", "mediacją", "mediacjami"]
    assert {analysis.analyse_word(w).canonical for w in forms} == {"mediacja"}
    assert analysis.analyse_word("funduszu").canonical == "fundusz"
    assert analysis.analyse_word("sołeckiego").canonical == "sołecki"


def test_an_ambiguous_query_word_keeps_every_lemma():
    assert {"rada", "rad"} <= analysis.analyse_word("rady").lemmas


def test_unknown_loanwords_lose_their_case_endings():
    assert analysis.analyse_word("deinstytucjonalizacji").canonical == "deinstytucjonalizacja"
    assert analysis.analyse_word("facylitatora").canonical == "facylitator"
    assert analysis.analyse_word("Jarzębinowo").canonical == "jarzębinowo"  # no rule: kept as written


def test_a_word_typed_without_polish_letters_is_restored():
    assert "sołeckiego" in analysis.restored_forms("soleckiego")
    assert analysis.restored_forms("sołeckiego") == []  # already has Polish letters
    word = analysis.analyse_query_word("soleckiego")
    assert "solecki" in word.plain
    assert word.plain_canonical == "solecki"


def test_index_terms_are_one_lemma_per_word_in_order():
    lemmas, plain = analysis.index_terms("Fundusz sołecki wspiera inicjatywy mieszkańców.")
    assert lemmas == "fundusz sołecki wspierać inicjatywa mieszkaniec"
    assert plain == "fundusz solecki wspierac inicjatywa mieszkaniec"


def test_quoted_phrases_and_words_are_parsed_and_punctuation_ignored():
    parsed = parse_query('"fundusz sołecki" wolontariat; DROP TABLE --')
    assert [w.text for w in parsed.phrases[0]] == ["fundusz", "sołecki"]
    assert [w.text for w in parsed.words] == ["wolontariat", "DROP", "TABLE"]
    assert parse_query('" " ,,, ').empty
    assert parse_query('"mediacja"').words[0].text == "mediacja"  # a one-word phrase is a word


def test_highlight_escapes_then_marks_and_shows_the_densest_window():
    from elearn.core.search import highlight

    text = "Wstęp " * 50 + "o <mediacji> i mediacją w & sporach " + "koniec " * 50
    html = str(highlight(text, parse_query("mediacja"), window=10))
    assert html.startswith("… ") and html.endswith(" …")
    assert "&lt;<mark>mediacji</mark>&gt; i <mark>mediacją</mark> w &amp; sporach" in html
    assert str(highlight("Etapy mediacji", parse_query("etap"))) == "<mark>Etapy</mark> mediacji"
