"""The one way the app writes spreadsheets (CSV and XLSX) and answers with them as downloads.

Every cell that a spreadsheet would read as a formula (a leading =, +, -, @, tab or carriage return) gets a
leading apostrophe (OWASP "CSV injection"), so a job title or course title can never run in Excel or LibreOffice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook

CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


def neutralise(cell: Cell) -> Cell:
    """A text cell that cannot start a formula; numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, delimiter: str = ";") -> bytes:
    """UTF-8 with a byte-order mark and CRLF, as Polish Excel opens it without an import dialogue."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in header])
    for row in rows:
        writer.writerow(["" if c is None else neutralise(c) for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.append([neutralise(c) for c in header])
    for row in rows:
        sheet.append([neutralise(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(body: bytes | str, filename: str, mimetype: str) -> Response:
    """An attachment with an ASCII file name and its UTF-8 form (RFC 6266), charset declared once for text."""
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response = Response(body, headers={"Content-Disposition": disposition})
    response.headers["Content-Type"] = f"{mimetype}; charset=utf-8" if mimetype.startswith("text/") else mimetype
    return response


def csv_download(header: Sequence[str], rows: Iterable[Sequence[Cell]], filename: str, *, delimiter: str = ";") -> Response:
    return download(csv_bytes(header, rows, delimiter=delimiter), filename, CSV_MIMETYPE)


def xlsx_download(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]], filename: str) -> Response:
    return download(xlsx_bytes(sheet_title, header, rows), filename, XLSX_MIMETYPE)
