"""The one Markdown renderer: Python-Markdown for structure, nh3 (an allowlist) for safety."""

from __future__ import annotations

import functools
import html
import re
import threading

import markdown
import nh3

EXTENSIONS = ["tables", "footnotes", "def_list", "toc", "admonition", "sane_lists", "attr_list", "fenced_code"]
EXTENSION_CONFIGS = {
    "toc": {"permalink": False, "toc_depth": "2-4"},
    "footnotes": {"BACKLINK_TITLE": "Wróć do miejsca przypisu %d"},
}

# Raise when the HTML this module produces changes, so cached lesson HTML is rendered again (courses' render key).
RENDERER_VERSION = "3"  # 2: prefixed heading ids, only generated ids and classes kept; 3: tables in scroll regions

# Admonition types trainers may use, with the Polish label shown when no title is given.
CALLOUTS = {"przyklad": "Przykład", "uwaga": "Uwaga", "cwiczenie": "Ćwiczenie", "lektura": "Do poczytania", "definicja": "Definicja"}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s",
    "section", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},  # ids pass _generated_ids_only; classes only through ALLOWED_CLASSES
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# Only what the renderer itself writes: an author's own id or class could overwrite a page global or imitate the
# app's buttons and messages. Headings get ids prefixed HEADING_PREFIX; footnotes get fn:/fnref: ids.
HEADING_PREFIX = "h-"
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
FOOTNOTE_ID = re.compile(r"^fn(ref\d*)?:[\w-]+$")
ALLOWED_CLASSES = {
    "div": {"admonition", "footnote", "toc", *CALLOUTS},
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
}

_local = threading.local()


def _converter() -> markdown.Markdown:
    """Converters are not thread-safe but are costly to build: one per thread, reset between uses."""
    md = getattr(_local, "md", None)
    if md is None:
        from markdown.extensions.toc import slugify_unicode

        def slugify(value: str, separator: str) -> str:
            return HEADING_PREFIX + slugify_unicode(value, separator)

        configs = {**EXTENSION_CONFIGS, "toc": {**EXTENSION_CONFIGS["toc"], "slugify": slugify}}
        md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=configs, output_format="html")
        _local.md = md
    md.reset()
    return md


def _localise_callouts(text: str) -> str:
    # `!!! przyklad` without a title gets its Polish label instead of the capitalised type name.
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("!!! "):
            parts = stripped[4:].split(None, 1)
            if len(parts) == 1 and parts[0].lower() in CALLOUTS:
                indent = line[: len(line) - len(line.lstrip())]
                line = f'{indent}!!! {parts[0]} "{CALLOUTS[parts[0].lower()]}"'
        out.append(line)
    return "\n".join(out)


def _generated_ids_only(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "id":
        return value
    if tag in HEADINGS and value.startswith(HEADING_PREFIX):
        return value
    if tag in ("sup", "li") and FOOTNOTE_ID.match(value):
        return value
    return None


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_generated_ids_only,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# A course's own files are referenced relative to its folder (`![Schemat](media/schemat.png)`); the caller says
# where they are served from. Only the sanitised output's src/href attributes are rewritten.
_MEDIA_LINK_RE = re.compile(r'(<(?:img|a)\b[^>]*?\s(?:src|href)=")media/')


def _with_media(html: str, media_base: str | None) -> str:
    return _MEDIA_LINK_RE.sub(lambda m: m.group(1) + media_base, html) if media_base else html


# --- reflow (WCAG 1.4.10): a wide table scrolls inside its own focusable, named region, never the whole page ------

_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
REGION_LABEL_LENGTH = 90


def _region_label(number: int, table: str) -> str:
    # Content is Polish (its block carries lang="pl"), so the label is too: "Tabela 2: Rola, Zadania, Narzędzia".
    head = table.split("</thead>", 1)[0] if "</thead>" in table else ""
    headers = [" ".join(html.unescape(nh3.clean(cell, tags=set())).split()) for cell in _HEADER_CELL.findall(head)]
    label = f"Tabela {number}"
    if any(headers):
        label += ": " + ", ".join(h for h in headers if h)
    if len(label) > REGION_LABEL_LENGTH:
        label = label[: REGION_LABEL_LENGTH - 1].rstrip(" ,") + "…"
    return html.escape(label, quote=True)


def wrap_tables(markup: str) -> str:
    """Put every table of sanitised HTML in a keyboard-focusable scroll region labelled by its column headers.

    Runs after nh3, on markup only this module wrote: authors cannot set the attributes themselves."""
    count = 0

    def wrap(match: re.Match) -> str:
        nonlocal count
        count += 1
        label = _region_label(count, match.group(1))
        return f'<div class="table-wrap" role="region" tabindex="0" aria-label="{label}">{match.group(0)}</div>'

    return _TABLE.sub(wrap, markup)


_SUBHEADING = re.compile(r"<(/?)h([3-6])\b")


def promote_headings(markup: str) -> str:
    """A lesson's ### sections (## is the lesson title in the file format) as h2 under the page's h1, so the outline
    has no h1 → h3 jump (WCAG 1.3.1)."""
    return _SUBHEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) - 1}", markup)


def render_markdown(text: str, media_base: str | None = None) -> str:
    """Markdown source to safe HTML (raw HTML in the source is escaped or stripped, never executed).

    media_base: the URL prefix (ending in "/") that relative `media/…` links and images point to."""
    html = _converter().convert(_localise_callouts(text or ""))
    return _with_media(wrap_tables(sanitise_html(html)), media_base)


def render_markdown_with_toc(text: str, media_base: str | None = None) -> tuple[str, list[dict]]:
    """Rendered HTML plus the table of contents tokens (level, id, name) of its headings."""
    md = _converter()
    html = md.convert(_localise_callouts(text or ""))
    toc = _flatten(getattr(md, "toc_tokens", []))
    return _with_media(wrap_tables(sanitise_html(html)), media_base), toc


def _flatten(tokens: list[dict]) -> list[dict]:
    flat: list[dict] = []
    for token in tokens:
        flat.append({"level": token["level"], "id": token["id"], "name": nh3.clean(token["name"], tags=set())})
        flat.extend(_flatten(token.get("children", [])))
    return flat


# --- inline content: a quiz question, an answer, its feedback, a learning outcome --------------------------------

INLINE_TAGS = {"a", "abbr", "b", "br", "code", "del", "em", "i", "ins", "kbd", "mark", "s", "small", "span", "strong", "sub", "sup", "u"}
INLINE_ATTRIBUTES = {"*": {"lang", "title"}, "a": {"href", "hreflang"}}
# What would start a block (heading, list, numbered list) at the start of the text is written as a literal.
_BLOCK_START = re.compile(r"^(?:#|[-+*](?=\s|$)|(\d+)(?=[.)](?:\s|$)))")


def _inline_converter() -> markdown.Markdown:
    md = getattr(_local, "inline_md", None)
    if md is None:
        md = markdown.Markdown(extensions=["attr_list"], output_format="html")
        _local.inline_md = md
    md.reset()
    return md


INLINE_CACHE_SIZE = 4096


def render_inline(text: str | None) -> str:
    """One line of content as safe HTML with the lessons' inline syntax: *emphasis*, **bold**, `code`, [links](…)
    and attributes such as `*empowerment*{lang=en}` (language of parts, WCAG 3.1.2). Everything else is text: HTML
    in it is shown, not run (it is escaped before Markdown sees it), and no block (heading, list) is made.

    Its texts are course content (quiz questions and answers, learning outcomes), the same on every request: the
    result is kept per process (bounded LRU), since Markdown and nh3 cost more than the rest of a quiz page."""
    source = " ".join(line.strip() for line in (text or "").splitlines() if line.strip())
    return _render_inline(source) if source else ""


@functools.lru_cache(maxsize=INLINE_CACHE_SIZE)
def _render_inline(source: str) -> str:
    source = _BLOCK_START.sub(lambda m: f"{m.group(1)}\\" if m.group(1) else f"\\{m.group(0)}", html.escape(source, quote=False), 1)
    out = _inline_converter().convert(source)
    out = out.removeprefix("<p>").removesuffix("</p>")
    return nh3.clean(
        out, tags=INLINE_TAGS, attributes=INLINE_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )  # fmt: skip


def inline_plain_text(text: str | None) -> str:
    """Inline content as the reader sees it, without markup (for search)."""
    return " ".join(html.unescape(nh3.clean(render_inline(text), tags=set())).split())
