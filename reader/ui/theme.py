"""Light, dark and high-contrast themes: the Qt palette and the answer's CSS.

tests/test_contrast.py measures every pair: text at least 4.5:1 (7:1 in high contrast)
against what it is drawn on, control borders and the focus ring at least 3:1.
"border" outlines fields and buttons, "focus" is the focus ring, "disabled" the text (and
dashed border) of a control that cannot be used.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from reader.settings import Preferences

UI_POINT_SIZE = 10.5
DOCUMENT_POINT_SIZE = 13.0
FOOTER_FULL_SCALE = 150  # the footer grows as the text up to here, then more slowly
# the answer's line spacing (Qt's percent of the font's own line height, 1.16 em in DejaVu
# Sans): 150 % (1.75 em) up to 150 % text, then closer, to 125 % (1.45 em) at 300 %: large
# type needs less air between its lines, and eight of them fit on a 768-px-tall screen
LINE_HEIGHTS = ((150, 150), (300, 125))

COLOURS = {
    "light": {
        "base": "#fbfaf7", "text": "#1f2328", "muted": "#555d66", "heading": "#17324d",
        "link": "#0b57a4", "surface": "#eef1f4", "window": "#f2f1ee", "button": "#e6e8eb",
        "highlight": "#1f5f99", "highlighted_text": "#ffffff", "match": "#ffe27a",
        "match_text": "#1f2328", "current_match": "#ff9f43", "error": "#b3261e",
        "border": "#6e737a", "focus": "#1f5f99", "disabled": "#6e737a",
    },
    "dark": {
        "base": "#1c1e22", "text": "#e8e6e3", "muted": "#a5acb4", "heading": "#d6e6ff",
        "link": "#8ec5ff", "surface": "#2a2d33", "window": "#24272c", "button": "#33373e",
        "highlight": "#3d6ea8", "highlighted_text": "#ffffff", "match": "#7a6300",
        "match_text": "#ffffff", "current_match": "#b35900", "error": "#ff8a80",
        "border": "#8a929c", "focus": "#8ec5ff", "disabled": "#8a929c",
    },
    "contrast": {
        "base": "#000000", "text": "#ffffff", "muted": "#ffffff", "heading": "#ffffff",
        "link": "#ffff00", "surface": "#000000", "window": "#000000", "button": "#000000",
        "highlight": "#ffff00", "highlighted_text": "#000000", "match": "#00ffff",
        "match_text": "#000000", "current_match": "#ff80ff", "error": "#ff9e9e",
        "border": "#ffffff", "focus": "#ffff00", "disabled": "#a0a0a0",
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
    disabled = QColor(c["disabled"])
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return pal


@cache
def _template(path: Path) -> Template:
    """A stylesheet template, read once."""
    return Template(path.read_text(encoding="utf-8"))


def document_point_size(text_scale: int) -> float:
    return DOCUMENT_POINT_SIZE * text_scale / 100


def line_height(text_scale: int) -> int:
    """The answer's line spacing in percent (see LINE_HEIGHTS)."""
    (low, most), (high, least) = LINE_HEIGHTS
    share = min(1.0, max(0.0, (text_scale - low) / (high - low)))
    return round(most - share * (most - least))


def document_css(resources_dir: Path, name: str, text_scale: int = 100) -> str:
    """The answer's CSS. Headings get a fixed step above the body (Qt ignores % sizes), so
    at 300% text a question still fits on a few lines."""
    body = document_point_size(text_scale)
    sizes = {"h1_pt": round(body + 8, 1), "h2_pt": round(body + 4, 1),
             "h3_pt": round(body + 2, 1), "small_pt": round(body * 0.88, 1),
             "line_height": line_height(text_scale)}
    return _template(resources_dir / "document.css").safe_substitute(COLOURS[name], **sizes)


def ui_point_size(text_scale: int) -> float:
    return round(max(9.0, UI_POINT_SIZE * text_scale / 100), 1)


def footer_point_size(text_scale: int) -> float:
    """The notice and the crisis line, and the desktop's menu bar and toolbar, grow with the
    text: as the text up to 150 %, then at a third of its pace (200 % at 300 %), large and
    still leaving room for the answer."""
    if text_scale > FOOTER_FULL_SCALE:
        text_scale = FOOTER_FULL_SCALE + (text_scale - FOOTER_FULL_SCALE) // 3
    return ui_point_size(text_scale)


def crisis_point_size(text_scale: int) -> float:
    """The crisis line: larger than the rest at normal sizes, never a wall of type at 300%."""
    ui = ui_point_size(text_scale)
    return round(max(ui, min(ui * 1.4, 18.0)), 1)


def app_stylesheet(resources_dir: Path, name: str, text_scale: int) -> str:
    """Widget styling; the font size lives here so that dialogs grow with the text too."""
    font_pt = ui_point_size(text_scale)
    return _template(resources_dir / "app.qss").safe_substitute(COLOURS[name], font_pt=font_pt,
                                    footer_pt=footer_point_size(text_scale),
                                    chrome_pt=footer_point_size(text_scale),
                                    # narrower at large text: one toolbar row on 1024 px
                                    tool_pad=10 if text_scale <= FOOTER_FULL_SCALE else 6,
                                    button_pad=14 if text_scale <= FOOTER_FULL_SCALE else 10,
                                    menu_icon_px=round(font_pt * 96 / 72),
                                    crisis_pt=crisis_point_size(text_scale))


class ThemeManager(QObject):
    """Owns the application's palette and stylesheet (from the preferences' theme and text
    size, plus a kiosk's extra sheet) and announces each change: the window restyles the
    answer, the presenter its slides, the kiosk its touch sizes."""

    changed = Signal()

    def __init__(self, resources_dir: Path, prefs: Preferences, extra_stylesheet: str = "",
                 parent: QObject | None = None):
        super().__init__(parent)
        self.resources_dir, self.prefs = resources_dir, prefs
        self.extra_stylesheet = extra_stylesheet
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    @property
    def name(self) -> str:
        return resolve_theme(self.prefs.theme)

    @property
    def colours(self) -> dict[str, str]:
        return COLOURS[self.name]

    @property
    def text_scale(self) -> int:
        return self.prefs.text_scale

    def document_css(self) -> str:
        return document_css(self.resources_dir, self.name, self.text_scale)

    def apply(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.setPalette(palette(self.name))
        app.setStyleSheet(app_stylesheet(self.resources_dir, self.name, self.text_scale)
                          + self.extra_stylesheet)
        self.changed.emit()

    def set_theme(self, name: str) -> None:
        self.prefs.theme = name
        self.apply()

    def set_text_scale(self, percent: int) -> None:
        if percent != self.prefs.text_scale:  # restyling every widget takes long
            self.prefs.text_scale = percent
            self.apply()

    def _system_changed(self, _scheme) -> None:
        if self.prefs.theme == "system":
            self.apply()
