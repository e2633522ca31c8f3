"""Statistical confidentiality: no published number may describe fewer than five people.

Primary suppression hides every count from 1 to 4 (and every cell whose population is under 5). Secondary
suppression then hides complements: a row or column whose total is published and that holds exactly one hidden
cell would let a reader subtract it back, so the smallest other visible cell (a non-zero one first) is hidden too,
repeated until no row or column has a lone hidden cell. A line with no cell left to hide hides its total instead.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

THRESHOLD = 5
SUPPRESSED = "< 5"

Key = Hashable


def too_small(value: int, base: int | None = None, threshold: int = THRESHOLD) -> bool:
    """A count of 1–4 people, or any count taken over a population of 1–4 people."""
    return 0 < value < threshold or (base is not None and 0 < base < threshold)


def show(value: int, base: int | None = None) -> int | str:
    """A single published aggregate: the number, or "< 5"."""
    return SUPPRESSED if too_small(value, base) else value


@dataclass
class Table:
    """A two-way table of counts with its margins, and which of them may not be published."""

    rows: Sequence[Key]
    cols: Sequence[Key]
    values: dict[tuple[Key, Key], int]
    bases: dict[tuple[Key, Key], int] = field(default_factory=dict)
    hidden: set[tuple[Key, Key]] = field(default_factory=set)
    hidden_rows: set[Key] = field(default_factory=set)
    hidden_cols: set[Key] = field(default_factory=set)
    hidden_grand: bool = False

    def value(self, row: Key, col: Key) -> int:
        return self.values.get((row, col), 0)

    def row_total(self, row: Key) -> int:
        return sum(self.value(row, c) for c in self.cols)

    def col_total(self, col: Key) -> int:
        return sum(self.value(r, col) for r in self.rows)

    @property
    def grand_total(self) -> int:
        return sum(self.row_total(r) for r in self.rows)

    def cell(self, row: Key, col: Key) -> int | str:
        return SUPPRESSED if (row, col) in self.hidden else self.value(row, col)

    def row_cell(self, row: Key) -> int | str:
        return SUPPRESSED if row in self.hidden_rows else self.row_total(row)

    def col_cell(self, col: Key) -> int | str:
        return SUPPRESSED if col in self.hidden_cols else self.col_total(col)

    def grand_cell(self) -> int | str:
        return SUPPRESSED if self.hidden_grand else self.grand_total


def suppress(table: Table, threshold: int = THRESHOLD, *, column_totals: bool = True) -> Table:
    """Mark the table's primary and secondary suppressions in place and return it.

    Without published column totals (rows that overlap, such as competences one person can lack several of) only
    rows need complements."""
    _primary(table, threshold)
    lines = [(table.hidden_rows, r, [(r, c) for c in table.cols]) for r in table.rows]
    if column_totals:
        lines += [(table.hidden_cols, c, [(r, c) for r in table.rows]) for c in table.cols]
    while _complement_pass(table, lines):
        pass
    return table


def _primary(table: Table, threshold: int) -> None:
    for row in table.rows:
        for col in table.cols:
            if too_small(table.value(row, col), table.bases.get((row, col)), threshold):
                table.hidden.add((row, col))
    table.hidden_rows = {r for r in table.rows if 0 < table.row_total(r) < threshold}
    table.hidden_cols = {c for c in table.cols if 0 < table.col_total(c) < threshold}
    table.hidden_grand = 0 < table.grand_total < threshold


def _complement_pass(table: Table, lines: list) -> bool:
    """One sweep over rows and columns: give each lone hidden cell a complement; True when anything changed."""
    changed = False
    for hidden_totals, key, cells in lines:
        if key in hidden_totals or sum(1 for k in cells if k in table.hidden) != 1:
            continue
        complement = _complement(table, cells)
        if complement is None:
            hidden_totals.add(key)
        else:
            table.hidden.add(complement)
        changed = True
    return changed


def _complement(table: Table, cells: list[tuple[Key, Key]]) -> tuple[Key, Key] | None:
    """The smallest visible cell of a line, non-zero cells first, earliest on ties."""
    visible = [(table.values.get(k, 0) == 0, table.values.get(k, 0), i, k) for i, k in enumerate(cells) if k not in table.hidden]
    return min(visible)[3] if visible else None
