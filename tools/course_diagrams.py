"""Draw the diagrams shipped with the courses (PNG: the upload checks accept no SVG) — run after changing one.

    .venv/bin/python tools/course_diagrams.py

Pillow draws them with the DejaVu Sans font (Polish letters); the output is deterministic, so an unchanged diagram
leaves the file byte for byte the same and the course sync sees no change.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
INK, ACCENT, PAPER, PALE = (33, 37, 41), (0, 84, 147), (255, 255, 255), (225, 236, 246)


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), size)
    raise SystemExit(f"{name} not found: install fonts-dejavu-core")


def _arrow(draw: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float], width: int = 5) -> None:
    draw.line([start, end], fill=ACCENT, width=width)
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    size = 18
    left = (end[0] - size * math.cos(angle - 0.45), end[1] - size * math.sin(angle - 0.45))
    right = (end[0] - size * math.cos(angle + 0.45), end[1] - size * math.sin(angle + 0.45))
    draw.polygon([end, left, right], fill=ACCENT)


def osl_cycle(target: Path) -> None:
    """The five phases of the OSL process as the courses use them, as a cycle (01-czym-jest-osl.md)."""
    phases = [
        ("Rozpoznanie", "Kim są mieszkańcy,", "czego potrzebują?"),
        ("Planowanie", "Czym się zajmiemy", "i jak?"),
        ("Działanie", "Robimy to razem", ""),
        ("Ewaluacja", "Co się udało,", "co zmienić?"),
        ("Usamodzielnienie", "Czy poradzicie sobie", "bez nas?"),
    ]
    width, height = 1000, 700
    image = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(image)
    title, name, note = _font(True, 30), _font(True, 24), _font(False, 19)
    draw.text((width / 2, 36), "Proces organizowania społeczności lokalnej", font=title, fill=INK, anchor="mm")
    centre, rx, ry = (width / 2, 410), 345, 255
    box_w, box_h = 290, 104
    places = []
    for index in range(len(phases)):
        angle = -math.pi / 2 + index * 2 * math.pi / len(phases)
        places.append((centre[0] + rx * math.cos(angle), centre[1] + ry * math.sin(angle)))
    for index, (x, y) in enumerate(places):
        nx, ny = places[(index + 1) % len(places)]
        dx, dy = nx - x, ny - y
        # leave each box where the line crosses its edge, plus a gap
        edge = min(box_w / 2 / abs(dx) if dx else math.inf, box_h / 2 / abs(dy) if dy else math.inf) + 0.04
        _arrow(draw, (x + dx * edge, y + dy * edge), (nx - dx * edge, ny - dy * edge))
    for index, ((x, y), (label, first, second)) in enumerate(zip(places, phases, strict=True), start=1):
        box = (x - box_w / 2, y - box_h / 2, x + box_w / 2, y + box_h / 2)
        draw.rounded_rectangle(box, radius=18, fill=PALE, outline=ACCENT, width=3)
        draw.text((x, y - 26), f"{index}. {label}", font=name, fill=INK, anchor="mm")
        draw.text((x, y + 6), first, font=note, fill=INK, anchor="mm")
        if second:
            draw.text((x, y + 30), second, font=note, fill=INK, anchor="mm")
    draw.text(centre, "ewaluacja jednego cyklu", font=note, fill=INK, anchor="mm")
    draw.text((centre[0], centre[1] + 26), "jest rozpoznaniem następnego", font=note, fill=INK, anchor="mm")
    image.save(target, format="PNG", optimize=True)


if __name__ == "__main__":
    osl_cycle(ROOT / "courses" / "wprowadzenie-do-osl" / "media" / "cykl-procesu-osl.png")
