"""QR codes for verification URLs, as runs of dark modules drawn as vector rectangles.

Choosing the mask is most of segno's work (it scores all eight); verification URLs all have the same shape,
so a fixed mask and error level keep encoding cheap and the code readable.
"""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.pathobject import PDFPathObject

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
    """Draw the code with its lower-left corner at (x, y) and the given side length (quiet zone included).

    One filled path of rectangles. A code has a few hundred runs but only as many distinct columns, rows and lengths
    as it has modules, so each coordinate is formatted once (fp_str, as ReportLab's path.rect would) and the
    rectangles are joined from those strings: the same content stream, without a method call per run."""
    size, runs = qr_runs(content)
    modules = size + 8  # four-module quiet zone on each side
    unit = width / modules
    xs = [fp_str(x + (col + 4) * unit) for col in range(size)]
    ys = [fp_str(y + width - (row + 5) * unit) for row in range(size)]
    lengths = [fp_str(length * unit) for length in range(size + 1)]
    side = fp_str(unit)
    code = ["n"]
    code.extend(f"{xs[col]} {ys[row]} {lengths[length]} {side} re" for row, col, length in runs)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(PDFPathObject(code=code), stroke=0, fill=1)
    canvas.restoreState()
