"""The certificate PDF (A4, ReportLab), drawn from a frozen snapshot only: this module never touches the database.

Every string is measured with pdfmetrics.stringWidth before it is drawn; long names and titles shrink, then wrap
(breaking even a single over-long word), so nothing runs past the margins. Each draw is checked against the
margins and recorded in an optional trace, which the tests read. Invariant mode makes the bytes depend only on
the snapshot, so the SHA-256 stored in the register proves a copy is unchanged.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .pdfa import PDF_FORMAT_PDFA, link, make_pdfa
from .qr import draw_qr
from .snapshot import EVENT, CertificateSnapshot, RoleSnapshot

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
PAGE_W, PAGE_H = A4
MARGIN = 50.0
CONTENT_W = PAGE_W - 2 * MARGIN
FOOTER_TOP = MARGIN + 130  # the signature, date and QR block lives below this line on page 1
TABLE_SIZE, TABLE_LEADING = 9.0, 11.5
QR_SIDE = 82.0

_fonts_lock = threading.Lock()
_fonts_ready = False


def register_fonts() -> None:
    """Register DejaVu once per process; ReportLab embeds only the glyphs used (a subset)."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _fonts_lock:
        if not _fonts_ready:
            pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
            _fonts_ready = True


class LayoutError(RuntimeError):
    """A string would have been drawn outside the printable area."""


@dataclass(frozen=True)
class TextDraw:
    page: int
    text: str
    x0: float
    x1: float
    y: float
    font: str
    size: float


# Most strings are the same on every certificate of a course (the fixed wording, the issuer, the signatory, the
# topics and competences): their widths and wrapped lines are kept per process (bounded) instead of being measured on
# every render. Strings of one holder or one certificate (name, birth, number, verification address) are passed with
# personal=True and never kept.
_CACHED = 4096


def width(text: str, font: str, size: float, *, personal: bool = False) -> float:
    return pdfmetrics.stringWidth(text, font, size) if personal else _kept_width(text, font, size)


@lru_cache(maxsize=_CACHED)
def _kept_width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def wrap(text: str, font: str, size: float, max_width: float, *, personal: bool = False) -> list[str]:
    """Greedy word wrap; a word wider than the line is split between characters."""
    return list(_wrap(text, font, size, max_width) if personal else _kept_wrap(text, font, size, max_width))


def _wrap(text: str, font: str, size: float, max_width: float) -> tuple[str, ...]:
    measure = pdfmetrics.stringWidth
    lines: list[str] = []
    current = ""
    for word in text.split():
        while measure(word, font, size) > max_width:
            cut = len(word)
            while cut > 1 and measure(word[:cut], font, size) > max_width:
                cut -= 1
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if measure(candidate, font, size) <= max_width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return tuple(lines) or ("",)


_kept_wrap = lru_cache(maxsize=_CACHED)(_wrap)


def fit(
    text: str, font: str, max_size: float, min_size: float, max_width: float, max_lines: int, *, personal: bool = False
) -> tuple[float, tuple[str, ...]]:
    """The largest size (in half points) at which the text fits in max_lines; else the smallest size, wrapped."""
    if personal:
        return _fit(text, font, max_size, min_size, max_width, max_lines)
    return _kept_fit(text, font, max_size, min_size, max_width, max_lines)


def _fit(text: str, font: str, max_size: float, min_size: float, max_width: float, max_lines: int) -> tuple[float, tuple[str, ...]]:
    size = max_size
    while size >= min_size:
        lines = _wrap(text, font, size, max_width)
        if len(lines) <= max_lines:
            return size, lines
        size -= 0.5
    return min_size, _wrap(text, font, min_size, max_width)


_kept_fit = lru_cache(maxsize=_CACHED)(_fit)


def format_date(value: date) -> str:
    return f"{value:%d.%m.%Y} r."


def format_hours(hours: float) -> str:
    text = f"{hours:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def hours_phrase(hours: float) -> str:
    return f"{format_hours(hours)} {'godziny' if hours == 1 else 'godzin'}"


class _Page:
    """A canvas wrapper that measures, checks and records every string it draws."""

    def __init__(self, canvas: Canvas, trace: list[TextDraw] | None, revoked_on: date | None = None):
        self.canvas = canvas
        self.trace = trace
        self.number = 1
        self.revoked_on = revoked_on

    def text(self, text: str, x: float, y: float, font: str, size: float, align: str = "left", *, personal: bool = False) -> None:
        w = width(text, font, size, personal=personal)
        x0 = {"left": x, "center": x - w / 2, "right": x - w}[align]
        if x0 < MARGIN - 0.01 or x0 + w > PAGE_W - MARGIN + 0.01 or y < MARGIN - size - 0.01 or y > PAGE_H - MARGIN:
            raise LayoutError(f"{text!r} at ({x0:.1f}, {y:.1f}) leaves the printable area")
        self.canvas.setFont(font, size)
        self.canvas.drawString(x0, y, text)
        if self.trace is not None:
            self.trace.append(TextDraw(self.number, text, x0, x0 + w, y, font, size))

    def lines(
        self,
        lines: Iterable[str],
        x: float,
        y: float,
        font: str,
        size: float,
        leading: float,
        align: str = "left",
        *,
        personal: bool = False,
    ) -> float:
        """Draw lines downwards from baseline y; return the baseline below the last one."""
        for line in lines:
            self.text(line, x, y, font, size, align, personal=personal)
            y -= leading
        return y

    def finish_page(self) -> None:
        if self.revoked_on is not None:
            _revoked_stamp(self.canvas, self.revoked_on)
        self.canvas.showPage()

    def new_page(self) -> None:
        self.finish_page()
        self.number += 1


REVOKED_RED = (0.75, 0.05, 0.05)


def describe(c: Canvas, snapshot: CertificateSnapshot | RoleSnapshot, title: str, subject: str) -> None:
    """Document information; PDF/A-2b (XMP, output intent, pl-PL, the issue date as creation date) since pdf_format 2."""
    if snapshot.pdf_format >= PDF_FORMAT_PDFA:
        make_pdfa(c, title=title, author=snapshot.issuer_name, subject=subject, issued=snapshot.issue_date)
        return
    c.setTitle(title)
    c.setAuthor(snapshot.issuer_name)
    c.setSubject(subject)
    c.setCreator("elearn")


def _revoked_stamp(canvas: Canvas, revoked_on: date) -> None:
    """Over the whole page: a large diagonal UNIEWAŻNIONE with the date, and a plain line in the top margin."""
    when = f"Zaświadczenie unieważnione dnia {format_date(revoked_on)}"
    canvas.saveState()
    canvas.setFillColorRGB(*REVOKED_RED)
    canvas.setFont(FONT_BOLD, 9)
    canvas.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN / 2 - 3, f"UNIEWAŻNIONE – {when.lower()}; dokument nie jest ważny.")
    canvas.setFillAlpha(0.35)
    canvas.setStrokeColorRGB(*REVOKED_RED)
    canvas.setStrokeAlpha(0.5)
    canvas.translate(PAGE_W / 2, PAGE_H / 2)
    canvas.rotate(35)
    canvas.setFont(FONT_BOLD, 58)
    canvas.drawCentredString(0, 0, "UNIEWAŻNIONE")
    canvas.setFont(FONT_BOLD, 15)
    canvas.drawCentredString(0, -28, when)
    half = width("UNIEWAŻNIONE", FONT_BOLD, 58) / 2 + 14
    canvas.setLineWidth(3)
    canvas.rect(-half, -44, 2 * half, 104, stroke=1, fill=0)
    canvas.restoreState()


def _table_rows(snapshot: CertificateSnapshot) -> tuple[list[tuple[list[str], str, str]], list[tuple[list[str], str]]]:
    topic_w = CONTENT_W - 28 - 62 - 8
    topics = [
        (wrap(t.title, FONT, TABLE_SIZE, topic_w), str(i), format_hours(t.hours) if t.hours else "–")
        for i, t in enumerate(snapshot.topics, 1)
    ]
    comp_w = CONTENT_W - 120 - 8
    competences = [(wrap(f"{c.code} {c.name}", FONT, TABLE_SIZE, comp_w), f"{c.level} – {c.level_name}") for c in snapshot.competences]
    return topics, competences


def _tables_height(snapshot: CertificateSnapshot) -> float:
    topics, competences = _table_rows(snapshot)
    height = 0.0
    if topics:
        height += 22 + TABLE_LEADING + 6 + sum(len(r[0]) * TABLE_LEADING + 4 for r in topics) + TABLE_LEADING + 6
    if competences:
        height += 22 + TABLE_LEADING + 6 + sum(len(r[0]) * TABLE_LEADING + 4 for r in competences)
    return height


def _draw_tables(page: _Page, snapshot: CertificateSnapshot, y: float, bottom: float, annex_header) -> float:
    """Draw the programme and competence tables from baseline y, starting a new annex page when a row would pass bottom."""
    c = page.canvas
    topics, competences = _table_rows(snapshot)

    def ensure(height: float, y: float) -> float:
        if y - height >= bottom:
            return y
        page.new_page()
        return annex_header()

    def rule(y: float) -> None:
        c.setLineWidth(0.5)
        c.line(MARGIN, y, PAGE_W - MARGIN, y)

    if topics:
        y = ensure(22 + 2 * TABLE_LEADING + 20, y)
        page.text("Zakres tematyczny szkolenia", MARGIN, y, FONT_BOLD, 11)
        y -= 18
        page.text("Lp.", MARGIN + 2, y, FONT_BOLD, TABLE_SIZE)
        page.text("Temat", MARGIN + 30, y, FONT_BOLD, TABLE_SIZE)
        page.text("Liczba godzin", PAGE_W - MARGIN - 2, y, FONT_BOLD, TABLE_SIZE, "right")
        rule(y - 4)
        y -= TABLE_LEADING + 4
        for lines, index, hours in topics:
            y = ensure(len(lines) * TABLE_LEADING + 4, y)
            page.text(index + ".", MARGIN + 2, y, FONT, TABLE_SIZE)
            page.text(hours, PAGE_W - MARGIN - 2, y, FONT, TABLE_SIZE, "right")
            y = page.lines(lines, MARGIN + 30, y, FONT, TABLE_SIZE, TABLE_LEADING)
            rule(y + TABLE_LEADING - 4)
            y -= 4
        y = ensure(TABLE_LEADING + 6, y)
        page.text("Razem", MARGIN + 30, y, FONT_BOLD, TABLE_SIZE)
        page.text(format_hours(snapshot.hours), PAGE_W - MARGIN - 2, y, FONT_BOLD, TABLE_SIZE, "right")
        y -= TABLE_LEADING + 12
    if competences:
        y = ensure(22 + 2 * TABLE_LEADING + 20, y)
        page.text("Kompetencje osiągnięte w wyniku szkolenia", MARGIN, y, FONT_BOLD, 11)
        y -= 18
        page.text("Kompetencja", MARGIN + 2, y, FONT_BOLD, TABLE_SIZE)
        page.text("Poziom", PAGE_W - MARGIN - 118, y, FONT_BOLD, TABLE_SIZE)
        rule(y - 4)
        y -= TABLE_LEADING + 4
        for lines, level in competences:
            y = ensure(len(lines) * TABLE_LEADING + 4, y)
            page.text(level, PAGE_W - MARGIN - 118, y, FONT, TABLE_SIZE)
            y = page.lines(lines, MARGIN + 2, y, FONT, TABLE_SIZE, TABLE_LEADING)
            rule(y + TABLE_LEADING - 4)
            y -= 4
    return y


def _header(page: _Page, snapshot: CertificateSnapshot, logo_dir: Path | None) -> float:
    c = page.canvas
    top = PAGE_H - MARGIN
    text_x, text_w, align = PAGE_W / 2, CONTENT_W, "center"
    logo = (logo_dir / snapshot.logo_file) if logo_dir and snapshot.logo_file else None
    if logo is not None and logo.is_file():
        c.drawImage(ImageReader(str(logo)), MARGIN, top - 62, width=62, height=62, preserveAspectRatio=True, anchor="nw", mask="auto")
        text_x, text_w, align = MARGIN + 72, CONTENT_W - 72, "left"
    size, lines = fit(snapshot.issuer_name, FONT_BOLD, 12, 8, text_w, 2)
    y = page.lines(lines, text_x, top - size, FONT_BOLD, size, size + 2, align)
    for address_line in snapshot.issuer_address[:4]:
        size, lines = fit(address_line, FONT, 9, 6.5, text_w, 1)
        y = page.lines(lines, text_x, y, FONT, size, size + 2, align)
    y = min(y, top - 66)
    c.setLineWidth(0.8)
    c.line(MARGIN, y, PAGE_W - MARGIN, y)
    return y


def _footer(page: _Page, snapshot: CertificateSnapshot) -> None:
    c = page.canvas
    right_x = PAGE_W - MARGIN - CONTENT_W / 4  # centre of the right half
    half = CONTENT_W / 2 - 10
    page.text("Weryfikacja autentyczności:", MARGIN, MARGIN + QR_SIDE + 26, FONT, 7.5)
    draw_qr(c, snapshot.verification_url, MARGIN, MARGIN + 20, QR_SIDE)
    short_url = snapshot.verification_url.split("://", 1)[-1]
    size, lines = fit(short_url, FONT, 7, 5, half, 2, personal=True)
    page.lines(lines, MARGIN, MARGIN + 12, FONT, size, size + 1.5, personal=True)
    if snapshot.pdf_format >= PDF_FORMAT_PDFA and snapshot.verification_url:
        # The QR code and the printed address both open the verification page.
        bottom = MARGIN + 12 - (len(lines) - 1) * (size + 1.5) - 2
        link(c, snapshot.verification_url, MARGIN, bottom, MARGIN + half, MARGIN + 20 + QR_SIDE)
    size, lines = fit(f"{snapshot.place_of_issue}, {format_date(snapshot.issue_date)}", FONT, 11, 7, half, 2)
    page.lines(lines, right_x, MARGIN + 112, FONT, size, size + 2, "center")
    c.setDash(1, 2)
    c.setLineWidth(0.6)
    c.line(right_x - 90, MARGIN + 62, right_x + 90, MARGIN + 62)
    c.setDash()
    page.text("(podpis osoby upoważnionej)", right_x, MARGIN + 54, FONT, 6.5, "center")
    size, lines = fit(snapshot.signatory_name, FONT_BOLD, 10, 7, half, 1)
    y = page.lines(lines, right_x, MARGIN + 40, FONT_BOLD, size, size + 2, "center")
    size, lines = fit(snapshot.signatory_function, FONT, 8.5, 6.5, half, 2)
    page.lines(lines, right_x, y, FONT, size, size + 1.5, "center")
    size, lines = fit(f"Nr w rejestrze zaświadczeń: {snapshot.number}", FONT, 8, 6, half, 1, personal=True)
    page.lines(lines, right_x, MARGIN + 4, FONT, size, size, "center", personal=True)


def render_certificate(
    snapshot: CertificateSnapshot, *, logo_dir: Path | None = None, trace: list[TextDraw] | None = None, revoked_on: date | None = None
) -> bytes:
    """The PDF bytes for a snapshot; the same snapshot (and logo file) always gives the same bytes.

    With `revoked_on` every page carries a revocation stamp; the register's hash is of the unstamped original.
    """
    register_fonts()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1, initialFontName=FONT, initialFontSize=11)
    describe(c, snapshot, f"Zaświadczenie {snapshot.number}", snapshot.course_title)
    page = _Page(c, trace, revoked_on)
    centre = PAGE_W / 2

    y = _header(page, snapshot, logo_dir) - 44
    page.text("ZAŚWIADCZENIE", centre, y, FONT_BOLD, 30, "center")
    if snapshot.kind == EVENT:
        y -= 20
        page.text("o udziale w wydarzeniu szkoleniowym", centre, y, FONT_BOLD, 13, "center")
    y -= 22
    page.text(f"nr {snapshot.number}", centre, y, FONT, 11, "center", personal=True)
    y -= 34
    page.text("Zaświadcza się, że", centre, y, FONT, 12, "center")
    y -= 30
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
    event = snapshot.kind == EVENT
    page.text("wziął(ęła) udział w wydarzeniu szkoleniowym" if event else "ukończył(a) szkolenie", centre, y, FONT, 12, "center")
    y -= 24
    size, lines = fit(f"„{snapshot.course_title}”", FONT_BOLD, 16, 9, CONTENT_W, 3)
    y = page.lines(lines, centre, y, FONT_BOLD, size, size + 4, "center") - 6
    body = (
        f"zorganizowane przez {snapshot.organiser} w okresie od {format_date(snapshot.period_from)} "
        f"do {format_date(snapshot.period_to)} w łącznym wymiarze {hours_phrase(snapshot.hours)}."
    )
    if event:
        body = (
            f"({snapshot.event_type}) zorganizowanym przez {snapshot.organiser} w dniach: {'; '.join(snapshot.sessions)}, "
            f"miejsce: {snapshot.place}; obecność w łącznym wymiarze {hours_phrase(snapshot.hours)} dydaktycznych "
            f"po 45 minut ({format_hours(snapshot.clock_hours or 0)} godz. zegarowych)."
        )
    size, lines = fit(body, FONT, 11, 8, CONTENT_W, 4)
    y = page.lines(lines, centre, y, FONT, size, size + 4, "center") - 14

    def annex_header() -> float:
        top = PAGE_H - MARGIN - 12
        page.text(f"Załącznik do zaświadczenia nr {snapshot.number}", MARGIN, top, FONT_BOLD, 11, personal=True)
        size, lines = fit(f"wydanego dla: {snapshot.holder_name}", FONT, 9, 6.5, CONTENT_W, 2, personal=True)
        return page.lines(lines, MARGIN, top - 16, FONT, size, size + 2, personal=True) - 16

    fits_on_first = _tables_height(snapshot) <= y - FOOTER_TOP
    if fits_on_first:
        _draw_tables(page, snapshot, y, FOOTER_TOP, annex_header)
    elif snapshot.topics or snapshot.competences:
        page.text("Zakres tematyczny szkolenia i osiągnięte kompetencje – w załączniku.", centre, y, FONT, 9, "center")
    _footer(page, snapshot)
    if not fits_on_first and (snapshot.topics or snapshot.competences):
        page.new_page()
        _draw_tables(page, snapshot, annex_header(), MARGIN, annex_header)
    page.finish_page()
    c.save()
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
