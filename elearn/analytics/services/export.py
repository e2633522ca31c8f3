"""The needs table as a spreadsheet: the same suppressed cells as the page, one row per powiat or institution type.
Every export is written to the audit log by the caller's transaction."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...accounts.models import User
from ...core.audit import audit
from ...core.exports import Cell, csv_bytes, xlsx_bytes
from ...directory.models import INSTITUTION_TYPES
from . import breakdowns as breakdown_service
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
    "lpdi": "Samorządy z przyjętym LPDI (%)",
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


PARTICIPANT_HEADER = [
    "Identyfikator",
    "Imię i nazwisko",
    "E-mail",
    "Płeć",
    "Grupa wieku",
    "Stanowisko",
    "Instytucja",
    "Typ instytucji",
    "Powiat",
    "Rola (ostatnia samoocena)",
    "Miejsca szkoleniowe w okresie",
    "Ważny certyfikat wydany w okresie",
    "Okres od",
    "Okres do",
]


def participant_rows(session: Session, start: date, end: date) -> list[list[Cell]]:
    """One row per person supported in the period, by name; places counted per person; ISO dates."""
    found = indicator_service.reach(session, start, end)
    if not found.persons:
        return []
    facts = breakdown_service.person_facts(session, found.persons, start)
    labels = {d: breakdown_service.labels(session, d) for d in breakdown_service.DIMENSIONS}
    places: dict[int, int] = {}
    for uid in found.places:
        places[uid] = places.get(uid, 0) + 1
    certified = indicator_service.certified_on(session, start, end)
    people = session.scalars(select(User).where(User.id.in_(found.persons)).order_by(User.full_name, User.id))
    rows: list[list[Cell]] = []
    for user in people:
        fact = facts[user.id]
        rows.append(
            [
                user.id,
                user.full_name,
                user.email,
                labels["sex"][fact["sex"]],
                labels["age_band"][fact["age_band"]],
                user.job_title or "",
                user.institution.name if user.institution else "",
                labels["institution_type"][fact["institution_type"]],
                labels["powiat"].get(fact["powiat"], ""),
                labels["role"].get(fact["role"], fact["role"]),
                places.get(user.id, 0),
                certified[user.id].isoformat() if user.id in certified else "",
                start.isoformat(),
                end.isoformat(),
            ]
        )
    return rows


def export_participants(session: Session, start: date, end: date, *, fmt: str, actor_id: int | None) -> bytes:
    """Personal data leaves the platform here: ROPS staff only (the view's role check), each export audited."""
    rows = participant_rows(session, start, end)
    body = csv_bytes(PARTICIPANT_HEADER, rows) if fmt == "csv" else xlsx_bytes("Uczestnicy", PARTICIPANT_HEADER, rows)
    audit(
        session,
        "analytics.participants_export",
        actor_id=actor_id,
        format=fmt,
        start=start.isoformat(),
        end=end.isoformat(),
        persons=len(rows),
    )
    return body
