"""The needs table as a spreadsheet: the same suppressed cells as the page, one row per powiat or institution type.
Every export is written to the audit log by the caller's transaction."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from sqlalchemy.orm import Session

from ...core.audit import audit
from ...core.exports import Cell, csv_bytes, xlsx_bytes
from ...directory.models import INSTITUTION_TYPES
from . import indicators as indicator_service
from . import needs as needs_service

BY_POWIAT, BY_TYPE = "powiat", "institution-type"
BY = (BY_POWIAT, BY_TYPE)
FORMATS = ("csv", "xlsx")


def needs_rows(session: Session, scope: needs_service.Scope, by: str) -> tuple[list[str], list[list[Cell]]]:
    """Header and rows of workers behind: powiats × institution types (or transposed), with totals, suppressed."""
    analysis = needs_service.analyse(session, scope)
    table = needs_service.heat_table(analysis)
    powiats = {r: needs_service.row_label(analysis, r) for r in table.rows}
    types = {c: str(INSTITUTION_TYPES[c]) for c in table.cols}
    if by == BY_POWIAT:
        header = ["Powiat", *types.values(), "Razem"]
        rows = [[powiats[r], *(table.cell(r, c) for c in table.cols), table.row_cell(r)] for r in table.rows]
        rows.append(["Razem", *(table.col_cell(c) for c in table.cols), table.grand_cell()])
    else:
        header = ["Typ instytucji", *powiats.values(), "Razem"]
        rows = [[types[c], *(table.cell(r, c) for r in table.rows), table.col_cell(c)] for c in table.cols]
        rows.append(["Razem", *(table.row_cell(r) for r in table.rows), table.grand_cell()])
    return header, rows


def export_needs(session: Session, scope: needs_service.Scope, *, by: str, fmt: str, actor_id: int | None) -> bytes:
    """The file's bytes; the export is audited with its scope so ROPS can show who took which numbers out."""
    header, rows = needs_rows(session, scope, by)
    body = csv_bytes(header, rows) if fmt == "csv" else xlsx_bytes("Potrzeby szkoleniowe", header, rows)
    audit(session, "analytics.needs_export", actor_id=actor_id, by=by, format=fmt, **{k: v for k, v in asdict(scope).items() if v})
    return body


INDICATOR_HEADERS = {
    "persons": "Osoby objęte wsparciem",
    "institutions": "Instytucje objęte wsparciem",
    "places": "Miejsca szkoleniowe",
    "raised": "Osoby, które podniosły kwalifikacje",
    "advisory": "Zamknięte sprawy doradcze (wsparcie instytucji)",
}


def export_indicators(
    session: Session, start: date, end: date, *, fmt: str, actor_id: int | None, targets: dict[str, int] | None = None
) -> bytes:
    """The indicators of a period (suppressed as on the page), one row each with its target; audited."""
    header = ["Wskaźnik", "Wartość", "Wartość docelowa", "Od", "Do"]
    rows = [
        [INDICATOR_HEADERS[i.key], i.shown, i.target, start.isoformat(), end.isoformat()]
        for i in indicator_service.indicators(session, start, end, targets)
    ]
    body = csv_bytes(header, rows) if fmt == "csv" else xlsx_bytes("Wskaźniki", header, rows)
    audit(session, "analytics.indicators_export", actor_id=actor_id, format=fmt, start=start.isoformat(), end=end.isoformat())
    return body
