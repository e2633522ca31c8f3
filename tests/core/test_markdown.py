"""Lesson HTML keeps only the ids and classes the renderer itself generates (issue 9, finding 14)."""

from __future__ import annotations

import re

import pytest

from elearn.core.markdown import render_markdown, render_markdown_with_toc


@pytest.mark.parametrize(
    "source",
    [
        '<span id="__xss">x</span>',
        '<p class="button">Kliknij</p>',
        "Akapit\n{: #__xss .button }",
        "## Nagłówek {: #main .button }",
        '<div id="lesson-nav" class="flash flash-error">x</div>',
    ],
)
def test_author_cannot_set_ids_or_classes(source):
    html = render_markdown(source)
    assert "__xss" not in html
    assert "button" not in html
    assert 'id="main"' not in html
    assert 'id="lesson-nav"' not in html
    assert "flash" not in html


def test_generated_heading_anchors_are_prefixed_and_kept():
    html, toc = render_markdown_with_toc("## Wprowadzenie\n\ntekst\n\n### Podrozdział\n")
    ids = re.findall(r'id="([^"]+)"', html)
    assert ids == [entry["id"] for entry in toc]
    assert all(i.startswith("h-") for i in ids)
    assert 'id="h-wprowadzenie"' in html


def test_callouts_and_footnotes_keep_their_classes():
    html = render_markdown("!!! przyklad\n    Treść przykładu.\n\nTekst[^1].\n\n[^1]: Przypis.\n")
    assert 'class="admonition przyklad"' in html
    assert 'class="admonition-title"' in html
    assert 'class="footnote"' in html
    assert 'class="footnote-ref"' in html
    assert re.search(r'id="fn:1"', html)


def test_unknown_callout_type_loses_its_class():
    html = render_markdown("!!! button\n    Treść.\n")
    assert "button" not in html.split(">", 1)[0]
    assert 'class="admonition"' in html


def test_every_table_scrolls_in_its_own_named_focusable_region():
    html = render_markdown("| Rola | Zadania & narzędzia |\n|---|---|\n| animator | mapa zasobów |\n\n| A |\n|---|\n| b |\n")
    regions = re.findall(r'<div class="table-wrap" role="region" tabindex="0" aria-label="([^"]*)"><table>', html)
    assert regions == ["Tabela 1: Rola, Zadania &amp; narzędzia", "Tabela 2: A"]
    assert html.count("</table></div>") == 2


def test_an_author_cannot_forge_the_region_attributes():
    html = render_markdown('<div class="table-wrap" role="region" tabindex="0" aria-label="x">tekst</div>')
    assert 'role="region"' not in html and "tabindex" not in html
