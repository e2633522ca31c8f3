"""Documents of every accepted type, written here so tests know exactly which words are inside them."""

from __future__ import annotations

import io
from pathlib import Path

import elearn

FONT = Path(elearn.__file__).parent / "static" / "fonts" / "DejaVuSans.ttf"


def pdf_with(*paragraphs: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "TestDejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestDejaVu", str(FONT)))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("TestDejaVu", 11)
    for i, text in enumerate(paragraphs):
        pdf.drawString(60, 780 - 20 * i, text)
    pdf.save()
    return buffer.getvalue()


def docx_with(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_with(*paragraphs: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for text in paragraphs:
        document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def xlsx_with(*cells: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row, text in enumerate(cells, start=1):
        book.active.cell(row=row, column=1, value=text)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
