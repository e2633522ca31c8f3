"""The printable attendance list (lista obecności): one page group per session with a signature column.

Uses the certificate's DejaVu fonts (registered once by certificates.pdf); every user-supplied string is escaped
before ReportLab's Paragraph parses it as markup."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ...certificates.pdf import FONT, FONT_BOLD, register_fonts
from ...core.timeutil import to_local
from ..models import Event, Registration

NORMAL = ParagraphStyle("normal", fontName=FONT, fontSize=9, leading=11)
HEADER = ParagraphStyle("header", fontName=FONT_BOLD, fontSize=9, leading=11)
TITLE = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=14, leading=18)
SUB = ParagraphStyle("sub", fontName=FONT, fontSize=10, leading=13)


def _p(text: str, style: ParagraphStyle = NORMAL) -> Paragraph:
    return Paragraph(escape(text or ""), style)


def attendance_list_pdf(event: Event, registrations: list[Registration]) -> bytes:
    """The list for every session of the event, participants in alphabetical order."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Lista obecności – {event.title}",
        invariant=True,
    )
    story = []
    for number, part in enumerate(event.sessions, start=1):
        if number > 1:
            story.append(PageBreak())
        start, end = to_local(part.starts_at), to_local(part.ends_at)
        story.append(_p("Lista obecności", TITLE))
        story.append(_p(event.title, SUB))
        story.append(_p(f"Sesja {number} z {len(event.sessions)}: {start:%d.%m.%Y}, godz. {start:%H:%M}–{end:%H:%M}", SUB))
        story.append(_p(event.place_label or "online", SUB))
        story.append(_p("Prowadzący: " + (", ".join(t.full_name for t in event.trainers) or "—"), SUB))
        story.append(Spacer(1, 6 * mm))
        rows = [[_p("Lp.", HEADER), _p("Imię i nazwisko", HEADER), _p("Instytucja", HEADER), _p("Podpis", HEADER)]]
        for index, registration in enumerate(registrations, start=1):
            institution = registration.institution.name if registration.institution else ""
            rows.append([_p(str(index)), _p(registration.user.full_name), _p(institution), ""])
        table = Table(rows, colWidths=[12 * mm, 55 * mm, 63 * mm, 50 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white]),
                    ("TOPPADDING", (0, 1), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), 8),
                ]
            )
        )
        story.append(table)
    doc.build(story)
    return buffer.getvalue()
