"""Geometry of the server-rendered heatmap: every cell carries its printed value, so colour is never the only cue."""

from __future__ import annotations

from dataclasses import dataclass

from .suppression import SUPPRESSED, Table

CELL_W, CELL_H, LABEL_W, HEAD_H = 64, 32, 220, 40
SHADES = ("#f7f7f7", "#fde0c5", "#facba6", "#f59e72", "#c0392b", "#8e1b24")
DARK = {"#c0392b", "#8e1b24"}  # white text on these, near-black on the rest: 4.5:1 or better either way


@dataclass
class Cell:
    x: int
    y: int
    text: str
    fill: str

    @property
    def ink(self) -> str:
        return "#ffffff" if self.fill in DARK else "#1a1a1a"


@dataclass
class Heatmap:
    width: int
    height: int
    columns: list[tuple[int, str]]  # (x of the column centre, label)
    rows: list[tuple[int, str]]  # (y of the row centre, label)
    cells: list[Cell]
    cell_w: int = CELL_W
    cell_h: int = CELL_H


def _shade(value, top: int) -> str:
    if value == SUPPRESSED or not top:
        return SHADES[0]
    return SHADES[min(len(SHADES) - 1, 1 + (len(SHADES) - 2) * int(value) // top)] if value else SHADES[0]


def layout(table: Table, row_labels: list[str], col_labels: list[str]) -> Heatmap:
    shown = [table.cell(r, c) for r in table.rows for c in table.cols]
    top = max([v for v in shown if isinstance(v, int)] or [0])
    cells = []
    for i, row in enumerate(table.rows):
        for j, col in enumerate(table.cols):
            value = table.cell(row, col)
            cells.append(Cell(LABEL_W + j * CELL_W, HEAD_H + i * CELL_H, str(value), _shade(value, top)))
    columns = [(LABEL_W + j * CELL_W + CELL_W // 2, label) for j, label in enumerate(col_labels)]
    rows = [(HEAD_H + i * CELL_H + CELL_H // 2, label) for i, label in enumerate(row_labels)]
    return Heatmap(LABEL_W + len(table.cols) * CELL_W, HEAD_H + len(table.rows) * CELL_H, columns, rows, cells)
