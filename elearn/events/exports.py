"""The participant list as CSV/XLSX, with spreadsheet formulas neutralised (the core export helper is not in this
checkout yet; this module keeps to its described API so it can move there)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook


def neutralise(cell: object) -> str:
    """Keep spreadsheet formulas out of exported text (CSV injection)."""
    text = "" if cell is None else str(cell)
    return "'" + text if text and text[0] in "=+-@\t\r" else text


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a BOM and semicolons, as Polish Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence], sheet_name: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
