"""The role certificate PDF: the specialty and role on page 1, the competences with level, evidence and date, the
contributing courses and events, and the indicators met in the annex. Drawn from a RoleSnapshot only, with the
measuring, margin-checking page of pdf.py, so the same snapshot always gives the same bytes."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from .pdf import (
    CONTENT_W,
    FONT,
    FONT_BOLD,
    FOOTER_TOP,
    MARGIN,
    PAGE_H,
    PAGE_W,
    TABLE_LEADING,
    TABLE_SIZE,
    TextDraw,
    _footer,
    _header,
    _Page,
    describe,
    fit,
    format_date,
    format_hours,
    register_fonts,
    wrap,
)
from .snapshot import RoleSnapshot

GAP = 6.0


def _rule(page: _Page, y: float) -> None:
    page.canvas.setLineWidth(0.5)
    page.canvas.line(MARGIN, y, PAGE_W - MARGIN, y)


def _table(
    page: _Page, y: float, title: str, columns: list[tuple[str, float]], rows: list[list[str]], new_page: Callable[[], float]
) -> float:
    """A table of wrapped cells: columns are (heading, width); rows that would pass the bottom margin go on a new page."""

    def ensure(height: float, y: float) -> float:
        if y - height >= MARGIN:
            return y
        page.new_page()
        return new_page()

    y = ensure(22 + 2 * TABLE_LEADING + 20, y)
    page.text(title, MARGIN, y, FONT_BOLD, 11)
    y -= 18
    x = MARGIN + 2
    heading_lines = [wrap(h, FONT_BOLD, TABLE_SIZE, w - GAP) for h, w in columns]
    for (_heading, w), lines in zip(columns, heading_lines, strict=True):
        page.lines(lines, x, y, FONT_BOLD, TABLE_SIZE, TABLE_LEADING)
        x += w
    y -= max(len(lines) for lines in heading_lines) * TABLE_LEADING - TABLE_LEADING
    _rule(page, y - 4)
    y -= TABLE_LEADING + 4
    for row in rows:
        cells = [wrap(text, FONT, TABLE_SIZE, w - GAP) for text, (_h, w) in zip(row, columns, strict=True)]
        height = max(len(c) for c in cells) * TABLE_LEADING
        y = ensure(height + 4, y)
        x = MARGIN + 2
        for lines, (_h, w) in zip(cells, columns, strict=True):
            page.lines(lines, x, y, FONT, TABLE_SIZE, TABLE_LEADING)
            x += w
        y -= height
        _rule(page, y + TABLE_LEADING - 4)
        y -= 4
    return y - 12


def _indicators(page: _Page, y: float, snapshot: RoleSnapshot, new_page: Callable[[], float]) -> float:
    """Per competence, its name and level, then each behavioural indicator of that level as a bullet."""

    def ensure(height: float, y: float) -> float:
        if y - height >= MARGIN:
            return y
        page.new_page()
        return new_page()

    y = ensure(40, y)
    page.text("Wskaźniki osiągnięte w każdej kompetencji (poziom potwierdzony)", MARGIN, y, FONT_BOLD, 11)
    y -= 18
    for item in snapshot.competences:
        heading = wrap(f"{item.code} {item.name} – poziom {item.level} ({item.level_name})", FONT_BOLD, TABLE_SIZE, CONTENT_W)
        bullets = [wrap(text, FONT, TABLE_SIZE, CONTENT_W - 14) for text in item.indicators] or [["—"]]
        y = ensure((len(heading) + len(bullets[0])) * TABLE_LEADING + 4, y)
        y = page.lines(heading, MARGIN, y, FONT_BOLD, TABLE_SIZE, TABLE_LEADING)
        for lines in bullets:
            y = ensure(len(lines) * TABLE_LEADING, y)
            page.text("•", MARGIN + 4, y, FONT, TABLE_SIZE)
            y = page.lines(lines, MARGIN + 14, y, FONT, TABLE_SIZE, TABLE_LEADING)
        y -= 6
    return y


def render_role_certificate(
    snapshot: RoleSnapshot, *, logo_dir: Path | None = None, trace: list[TextDraw] | None = None, revoked_on: date | None = None
) -> bytes:
    """The PDF bytes of a role certificate; page 1 is the certificate, the annex lists what it rests on.

    With `revoked_on` every page carries the same revocation stamp as a course certificate."""
    register_fonts()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1, initialFontName=FONT, initialFontSize=11)
    describe(c, snapshot, f"Zaświadczenie {snapshot.number}", snapshot.title)
    page = _Page(c, trace, revoked_on)
    centre = PAGE_W / 2

    y = _header(page, snapshot, logo_dir) - 40
    page.text("ZAŚWIADCZENIE", centre, y, FONT_BOLD, 28, "center")
    y -= 20
    page.text("o potwierdzeniu kompetencji zawodowych", centre, y, FONT, 11, "center")
    y -= 16
    page.text(f"nr {snapshot.number}", centre, y, FONT, 11, "center", personal=True)
    y -= 30
    page.text("Zaświadcza się, że", centre, y, FONT, 12, "center")
    y -= 28
    size, lines = fit(snapshot.holder_name, FONT_BOLD, 22, 11, CONTENT_W, 2, personal=True)
    y = page.lines(lines, centre, y, FONT_BOLD, size, size + 4, "center", personal=True) - 4
    birth = []
    if snapshot.birth_date:
        birth.append(f"urodzony(a) dnia {format_date(snapshot.birth_date)}")
    if snapshot.birth_place:
        birth.append(f"{'w' if birth else 'urodzony(a) w'} miejscowości {snapshot.birth_place}")
    if birth:
        size, lines = fit(" ".join(birth), FONT, 11, 8, CONTENT_W, 2, personal=True)
        y = page.lines(lines, centre, y, FONT, size, size + 3, "center", personal=True)
    y -= 8
    page.text("potwierdził(a) kompetencje wymagane w specjalności", centre, y, FONT, 12, "center")
    y -= 24
    size, lines = fit(f"„{snapshot.specialty}”", FONT_BOLD, 15, 9, CONTENT_W, 2)
    y = page.lines(lines, centre, y, FONT_BOLD, size, size + 4, "center") - 4
    page.text("w roli", centre, y, FONT, 12, "center")
    y -= 24
    size, lines = fit(snapshot.role_name, FONT_BOLD, 18, 10, CONTENT_W, 2)
    y = page.lines(lines, centre, y, FONT_BOLD, size, size + 4, "center") - 6
    body = (
        f"Wszystkie kompetencje profilu roli ({len(snapshot.competences)}) zostały potwierdzone na wymaganym poziomie "
        f"ocenionymi dowodami (nie samooceną), według modelu „{snapshot.framework_title}”, wersja {snapshot.framework_version}."
    )
    if snapshot.contributions:
        body += f" Łączny wymiar szkoleń, które się do tego przyczyniły: {format_hours(snapshot.hours)} godz."
    size, lines = fit(body, FONT, 10.5, 8, CONTENT_W, 5)
    y = page.lines(lines, centre, y, FONT, size, size + 4, "center") - 8
    validity = f"Zaświadczenie ważne do {format_date(snapshot.valid_until)}" if snapshot.valid_until else "Zaświadczenie bezterminowe"
    page.text(validity, centre, y, FONT_BOLD, 11, "center")
    y -= 18
    if y - 12 > FOOTER_TOP:
        page.text("Wykaz kompetencji, dowodów i wskaźników – w załączniku.", centre, y, FONT, 9, "center")
    _footer(page, snapshot)

    def annex_header() -> float:
        top = PAGE_H - MARGIN - 12
        page.text(f"Załącznik do zaświadczenia nr {snapshot.number}", MARGIN, top, FONT_BOLD, 11, personal=True)
        size, lines = fit(f"wydanego dla: {snapshot.holder_name} – {snapshot.role_name}", FONT, 9, 6.5, CONTENT_W, 2, personal=True)
        return page.lines(lines, MARGIN, top - 16, FONT, size, size + 2, personal=True) - 16

    page.new_page()
    y = annex_header()
    widths = [CONTENT_W - 250, 80, 105, 65]
    y = _table(
        page,
        y,
        "Potwierdzone kompetencje",
        list(zip(["Kompetencja", "Poziom (wymagany)", "Rodzaj dowodu", "Data"], widths, strict=True)),
        [
            [
                f"{k.code} {k.name}",
                f"{k.level} – {k.level_name} ({k.required_level})",
                k.evidence_label,
                k.evidence_date.strftime("%d.%m.%Y"),
            ]
            for k in snapshot.competences
        ],
        annex_header,
    )
    if snapshot.contributions:
        kinds = {"course": "kurs e-learningowy", "event": "szkolenie stacjonarne"}
        widths = [CONTENT_W - 220, 100, 65, 55]
        y = _table(
            page,
            y,
            "Szkolenia, które się przyczyniły",
            list(zip(["Szkolenie", "Forma", "Ukończono", "Godziny"], widths, strict=True)),
            [
                [k.title, kinds.get(k.kind, k.kind), k.completed_on.strftime("%d.%m.%Y") if k.completed_on else "–", format_hours(k.hours)]
                for k in snapshot.contributions
            ],
            annex_header,
        )
    _indicators(page, y, snapshot, annex_header)
    c.showPage()
    c.save()
    return buffer.getvalue()
