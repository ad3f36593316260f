"""Draw the app icon and write resources/icon.{png,ico,icns,svg}.

A calm, simple mark: a rounded square in soft teal with a white speech bubble holding a
teal question mark ("ask a question"). One geometry, drawn twice: with QPainter into PNGs
(packed by hand into .ico and .icns, which both accept PNG images, so neither Pillow nor
iconutil is needed) and as SVG text with the same numbers.

Run from the repo root after changing the design, and commit the outputs:
    .venv/bin/python build_spec/make_icons.py
"""

from __future__ import annotations

import math
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QLinearGradient, QPainter, QPainterPath, QPen

RESOURCES = Path(__file__).resolve().parent.parent / "resources"

# Design on a 1024 x 1024 canvas.
CANVAS = 1024
TILE = (64, 64, 896, 896)  # x, y, w, h of the rounded square
TILE_RADIUS = 200
TEAL_TOP, TEAL_BOTTOM = "#5bb8ad", "#2f8a83"
MARK = "#2f8a83"  # the question mark, the tile's deeper teal
BUBBLE = (208, 224, 608, 472)  # x, y, w, h of the bubble's body
BUBBLE_RADIUS = 150
TAIL = ((330, 680), (282, 834), (470, 690))  # bubble tail: from body, tip, back to body
Q_CENTRE, Q_RADIUS, Q_START, Q_SWEEP = (512, 392), 90, 160, -220  # degrees, Qt convention
Q_END = (512, 548)  # the stem's foot
Q_STROKE = 64
DOT = ((512, 624), 38)

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# .icns element types holding PNG data, by pixel size (the @2x ones reuse the same pixels)
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)


def _arc_point(degrees: float) -> tuple[float, float]:
    cx, cy = Q_CENTRE
    rad = math.radians(degrees)
    return cx + Q_RADIUS * math.cos(rad), cy - Q_RADIUS * math.sin(rad)


def _bubble_path() -> QPainterPath:
    path = QPainterPath()
    x, y, w, h = BUBBLE
    path.addRoundedRect(QRectF(x, y, w, h), BUBBLE_RADIUS, BUBBLE_RADIUS)
    tail = QPainterPath()
    tail.moveTo(*TAIL[0])
    tail.lineTo(*TAIL[1])
    tail.lineTo(*TAIL[2])
    tail.closeSubpath()
    return path.united(tail)


def _question_path() -> QPainterPath:
    cx, cy = Q_CENTRE
    path = QPainterPath()
    path.moveTo(*_arc_point(Q_START))
    path.arcTo(QRectF(cx - Q_RADIUS, cy - Q_RADIUS, 2 * Q_RADIUS, 2 * Q_RADIUS), Q_START, Q_SWEEP)
    end_x, end_y = _arc_point(Q_START + Q_SWEEP)
    path.quadTo(QPointF(Q_END[0], end_y + 24), QPointF(*Q_END))
    return path


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / CANVAS, size / CANVAS)
    x, y, w, h = TILE
    gradient = QLinearGradient(0, y, 0, y + h)
    gradient.setColorAt(0, QColor(TEAL_TOP))
    gradient.setColorAt(1, QColor(TEAL_BOTTOM))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(gradient))
    painter.drawRoundedRect(QRectF(x, y, w, h), TILE_RADIUS, TILE_RADIUS)
    painter.setBrush(QColor("white"))
    painter.drawPath(_bubble_path())
    pen = QPen(QColor(MARK), Q_STROKE, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(_question_path())
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(MARK))
    (dx, dy), dr = DOT
    painter.drawEllipse(QPointF(dx, dy), dr, dr)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("PNG encoding failed")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + entries, each image stored as PNG (Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(header) + 16 * len(ICO_SIZES)
    entries, images = b"", b""
    for size in ICO_SIZES:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def svg_text() -> str:
    x, y, w, h = TILE
    bx, by, bw, bh = BUBBLE
    (sx, sy), (ex, ey) = _arc_point(Q_START), _arc_point(Q_START + Q_SWEEP)
    large = 1 if abs(Q_SWEEP) > 180 else 0
    sweep = 1 if Q_SWEEP < 0 else 0  # Qt's negative sweep is clockwise on screen
    (dx, dy), dr = DOT
    tail = " ".join(f"{px},{py}" for px, py in TAIL)
    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CANVAS} {CANVAS}" \
width="{CANVAS}" height="{CANVAS}">
  <title>Ketamine FAQ Reader</title>
  <defs>
    <linearGradient id="tile" x1="0" y1="{y}" x2="0" y2="{y + h}" gradientUnits="userSpaceOnUse">
      <stop offset="0" stop-color="{TEAL_TOP}"/>
      <stop offset="1" stop-color="{TEAL_BOTTOM}"/>
    </linearGradient>
  </defs>
  <rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{TILE_RADIUS}" fill="url(#tile)"/>
  <g fill="#ffffff">
    <rect x="{bx}" y="{by}" width="{bw}" height="{bh}" rx="{BUBBLE_RADIUS}"/>
    <polygon points="{tail}"/>
  </g>
  <path d="M {sx:.2f} {sy:.2f} A {Q_RADIUS} {Q_RADIUS} 0 {large} {sweep} {ex:.2f} {ey:.2f} \
Q {Q_END[0]} {ey + 24:.2f} {Q_END[0]} {Q_END[1]}" fill="none" stroke="{MARK}" \
stroke-width="{Q_STROKE}" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="{dx}" cy="{dy}" r="{dr}" fill="{MARK}"/>
</svg>
"""


def main(out_dir: Path = RESOURCES) -> int:
    pngs = {size: png_bytes(render(size)) for size in PNG_SIZES}
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        "icon.png": pngs[256],  # the window icon (Qt scales it); PNG is built into QtGui
        "icon.ico": ico_bytes(pngs),  # Windows executable icon
        "icon.icns": icns_bytes(pngs),  # macOS .app icon
        "icon.svg": svg_text().encode("utf-8"),  # the same design as vector, for docs/web
    }
    for name, data in outputs.items():
        (out_dir / name).write_bytes(data)
        print(f"{out_dir / name}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else RESOURCES))
