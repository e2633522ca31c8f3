"""Lesson HTML keeps only the ids and classes the renderer itself generates (issue 9, finding 14)."""

from __future__ import annotations

import html
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


# --- inline content (quiz text, learning outcomes) ---------------------------------------------------------------


def test_inline_renders_the_lessons_inline_syntax():
    from elearn.core.markdown import render_inline

    assert render_inline("upodmiotowienie (*empowerment*{lang=en}), **ważne**, `kod`") == (
        'upodmiotowienie (<em lang="en">empowerment</em>), <strong>ważne</strong>, <code>kod</code>'
    )
    assert render_inline("pierwsza linia\n  druga linia\n") == "pierwsza linia druga linia"
    assert render_inline(None) == render_inline("   ") == ""


@pytest.mark.parametrize(
    "text",
    ["# nie nagłówek", "- nie lista", "* nie lista", "+ nie lista", "1. nie lista", "12) nie lista", "> nie cytat"],
)
def test_inline_makes_no_blocks(text):
    from elearn.core.markdown import render_inline

    assert html.unescape(render_inline(text)) == text


@pytest.mark.parametrize(
    ("payload", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "<img"),
        ("[kliknij](javascript:alert(1))", "javascript:"),
        ("*x*{onclick=alert(1) lang=en}", "onclick"),
        ("*x*{#main .button}", 'id="main"'),
        ('<a href="https://evil.example">a</a>', "<a "),
    ],
)
def test_inline_shows_html_as_text_and_keeps_no_script(payload, forbidden):
    from elearn.core.markdown import render_inline

    out = render_inline(f"Pytanie {payload} koniec")
    assert forbidden not in out
    assert out.startswith("Pytanie ") and out.endswith(" koniec")
    if payload.startswith("<"):
        assert html.unescape(out) == f"Pytanie {payload} koniec"  # shown as typed


def test_inline_content_is_rendered_once_per_process(monkeypatch):
    from elearn.core import markdown as md

    conversions: list[str] = []
    real = md._inline_converter

    def counting():
        converter = real()
        convert = converter.convert
        monkeypatch.setattr(converter, "convert", lambda source: conversions.append(source) or convert(source))
        return converter

    monkeypatch.setattr(md, "_inline_converter", counting)
    text = "Czym jest *empowerment*{lang=en} w pracy środowiskowej? (pytanie testowe 7f3a)"
    first = md.render_inline(text)
    assert md.render_inline(text) == first == md.render_inline(f"  {text}\n")  # the same line, however wrapped
    assert len(conversions) == 1
    assert 'lang="en"' in first and "<em" in first
