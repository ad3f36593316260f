"""Light, dark and high-contrast themes: the Qt palette and the answer's CSS."""

from __future__ import annotations

from pathlib import Path
from string import Template

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

UI_POINT_SIZE = 10.5
DOCUMENT_POINT_SIZE = 13.0
FOOTER_MAX_SCALE = 150  # the notice stays readable without taking the screen at 300%

COLOURS = {
    "light": {
        "base": "#fbfaf7", "text": "#1f2328", "muted": "#555d66", "heading": "#17324d",
        "link": "#0b57a4", "surface": "#eef1f4", "window": "#f2f1ee", "button": "#e6e8eb",
        "highlight": "#1f5f99", "highlighted_text": "#ffffff", "match": "#ffe27a",
        "match_text": "#1f2328", "current_match": "#ff9f43", "error": "#b3261e",
    },
    "dark": {
        "base": "#1c1e22", "text": "#e8e6e3", "muted": "#a5acb4", "heading": "#d6e6ff",
        "link": "#8ec5ff", "surface": "#2a2d33", "window": "#24272c", "button": "#33373e",
        "highlight": "#3d6ea8", "highlighted_text": "#ffffff", "match": "#7a6300",
        "match_text": "#ffffff", "current_match": "#b35900", "error": "#ff8a80",
    },
    "contrast": {
        "base": "#000000", "text": "#ffffff", "muted": "#ffffff", "heading": "#ffffff",
        "link": "#ffff00", "surface": "#000000", "window": "#000000", "button": "#000000",
        "highlight": "#ffff00", "highlighted_text": "#000000", "match": "#00ffff",
        "match_text": "#000000", "current_match": "#ff00ff", "error": "#ffff00",
    },
}


def resolve_theme(preference: str) -> str:
    """'system' follows the desktop's light or dark setting."""
    if preference in COLOURS:
        return preference
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def palette(name: str) -> QPalette:
    c = {k: QColor(v) for k, v in COLOURS[name].items()}
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: c["window"],
        QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.Base: c["base"],
        QPalette.ColorRole.AlternateBase: c["surface"],
        QPalette.ColorRole.Text: c["text"],
        QPalette.ColorRole.PlaceholderText: c["muted"],
        QPalette.ColorRole.Button: c["button"],
        QPalette.ColorRole.ButtonText: c["text"],
        QPalette.ColorRole.ToolTipBase: c["surface"],
        QPalette.ColorRole.ToolTipText: c["text"],
        QPalette.ColorRole.Highlight: c["highlight"],
        QPalette.ColorRole.HighlightedText: c["highlighted_text"],
        QPalette.ColorRole.Link: c["link"],
        QPalette.ColorRole.BrightText: c["match"],
    }
    for role, colour in roles.items():
        pal.setColor(role, colour)
    disabled = QColor(c["muted"])
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return pal


def document_point_size(text_scale: int) -> float:
    return DOCUMENT_POINT_SIZE * text_scale / 100


def document_css(resources_dir: Path, name: str, text_scale: int = 100) -> str:
    """The answer's CSS. Headings get a fixed step above the body (Qt ignores % sizes), so
    at 300% text a question still fits on a few lines."""
    body = document_point_size(text_scale)
    sizes = {"h1_pt": round(body + 8, 1), "h2_pt": round(body + 4, 1),
             "h3_pt": round(body + 2, 1), "small_pt": round(body * 0.88, 1)}
    template = Template((resources_dir / "document.css").read_text(encoding="utf-8"))
    return template.safe_substitute(COLOURS[name], **sizes)


def ui_point_size(text_scale: int) -> float:
    return round(max(9.0, UI_POINT_SIZE * text_scale / 100), 1)


def footer_point_size(text_scale: int) -> float:
    return ui_point_size(min(text_scale, FOOTER_MAX_SCALE))


def crisis_point_size(text_scale: int) -> float:
    """The crisis line: larger than the rest at normal sizes, never a wall of type at 300%."""
    ui = ui_point_size(text_scale)
    return round(max(ui, min(ui * 1.4, 18.0)), 1)


def app_stylesheet(resources_dir: Path, name: str, text_scale: int) -> str:
    """Widget styling; the font size lives here so that dialogs grow with the text too."""
    template = Template((resources_dir / "app.qss").read_text(encoding="utf-8"))
    return template.safe_substitute(COLOURS[name], font_pt=ui_point_size(text_scale),
                                    footer_pt=footer_point_size(text_scale),
                                    crisis_pt=crisis_point_size(text_scale))
