"""QR codes for verification URLs, as runs of dark modules drawn as vector rectangles.

Choosing the mask is most of segno's work (it scores all eight); verification URLs all have the same shape,
so a fixed mask and error level keep encoding cheap and the code readable.
"""

from __future__ import annotations

from functools import lru_cache

import segno

QR_ERROR = "m"
QR_MASK = 0


@lru_cache(maxsize=256)
def qr_runs(content: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(size in modules, ((row, first column, length) of each horizontal run of dark modules))."""
    code = segno.make_qr(content, error=QR_ERROR, mask=QR_MASK, boost_error=False)
    runs: list[tuple[int, int, int]] = []
    size = 0
    for row, line in enumerate(code.matrix):
        size = len(line)
        start = None
        for col, dark in enumerate(line):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                runs.append((row, start, col - start))
                start = None
        if start is not None:
            runs.append((row, start, size - start))
    return size, tuple(runs)


def draw_qr(canvas, content: str, x: float, y: float, width: float) -> None:
    """Draw the code with its lower-left corner at (x, y) and the given side length (quiet zone included)."""
    size, runs = qr_runs(content)
    modules = size + 8  # four-module quiet zone on each side
    unit = width / modules
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row, col, length in runs:
        path.rect(x + (col + 4) * unit, y + width - (row + 5) * unit, length * unit, unit)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
