"""WCAG 2.2 contrast, measured on the colours the reader really uses: the theme's palette,
resources/app.qss and resources/document.css with the theme's colours filled in.

Text at least 4.5:1 (1.4.3; 7:1 in high contrast, 1.4.6), control borders and the focus
ring at least 3:1 (1.4.11) against what they are drawn on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette

from reader.ui import theme
from reader.ui.presenter import SLIDE_COLOURS

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
THEMES = list(theme.COLOURS)
R = QPalette.ColorRole
PALETTE_PAIRS = [(R.Text, R.Base), (R.WindowText, R.Window), (R.ButtonText, R.Button),
                 (R.Text, R.Window), (R.Text, R.AlternateBase), (R.ButtonText, R.Window),
                 (R.HighlightedText, R.Highlight), (R.PlaceholderText, R.Base),
                 (R.ToolTipText, R.ToolTipBase), (R.Link, R.Base), (R.Link, R.Window)]


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    q = QColor(colour)
    return (0.2126 * channel(q.redF()) + 0.7152 * channel(q.greenF())
            + 0.0722 * channel(q.blueF()))


def ratio(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_minimum(name: str) -> float:
    return 7.0 if name == "contrast" else 4.5


def rules(template: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, {property: value}) for every rule of a stylesheet template."""
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", template,
                                                                   flags=re.S)):
        props = dict((k.strip(), v.strip()) for k, v in
                     (p.split(":", 1) for p in body.split(";") if ":" in p))
        found.append((" ".join(selector.split()), props))
    return found


def colour_name(value: str) -> str | None:
    match = re.search(r"\$(\w+)", value)
    return match.group(1) if match else None


def stylesheet_pairs(template: str, page: str) -> list[tuple[str, str, str, str]]:
    """(kind, foreground, background, where): every text colour and every border colour of
    the stylesheet, against the background its rule sets, else every background it may sit
    on (`page`: the answer's base for document.css, the window and fields for app.qss)."""
    pairs = []
    for selector, props in rules(template):
        background = colour_name(props.get("background", "") or props.get("background-color", ""))
        if ":selected:focus" in selector:
            grounds = ["highlight"]
        elif background:
            grounds = [background]
        else:
            grounds = ["base"] if page == "base" else ["window", "base"]
        disabled = ":disabled" in selector
        for prop, value in props.items():
            name = colour_name(value)
            if not name or prop in ("background", "background-color"):
                continue
            kind = "border" if prop.startswith("border") else "text"
            if kind == "text" and disabled:
                continue  # WCAG exempts controls that cannot be used (checked below instead)
            if "transparent" in value or name.endswith("_pt"):
                continue
            if kind == "border" and ":focus" in selector:
                kind = "focus"
            around = grounds
            if kind != "text" and ":selected" not in selector:  # its inside and its outside
                around = list(dict.fromkeys(grounds + ["window", "base"]))
            pairs += [(kind, name, ground, selector) for ground in around]
    return pairs


APP_PAIRS = stylesheet_pairs((RESOURCES / "app.qss").read_text(encoding="utf-8"), "window")
DOCUMENT_PAIRS = stylesheet_pairs((RESOURCES / "document.css").read_text(encoding="utf-8"),
                                  "base")


def test_the_stylesheets_have_pairs_to_measure():
    kinds = {kind for kind, *_ in APP_PAIRS}
    assert kinds == {"text", "border", "focus"}
    assert ("text", "link", "base", "a") in DOCUMENT_PAIRS
    assert ("focus", "focus", "window", "QTreeWidget#sidebar::item:focus, "
            "QListWidget#searchResults::item:focus, QListWidget#answerLinks::item:focus"
            ) in APP_PAIRS


@pytest.mark.parametrize("name", THEMES)
def test_stylesheet_text_borders_and_focus_rings_have_contrast(name):
    colours = theme.COLOURS[name]
    failures = []
    for kind, fg, bg, where in APP_PAIRS + DOCUMENT_PAIRS:
        need = text_minimum(name) if kind == "text" else 3.0
        got = ratio(colours[fg], colours[bg])
        if got < need:
            failures.append(f"{where}: {kind} {fg} {colours[fg]} on {bg} {colours[bg]} "
                            f"is {got:.2f}:1, needs {need}:1")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", THEMES)
def test_palette_text_has_contrast(name):
    palette = theme.palette(name)
    need = text_minimum(name)
    for fg, bg in PALETTE_PAIRS:
        got = ratio(palette.color(fg).name(), palette.color(bg).name())
        assert got >= need, (fg, bg, got)


@pytest.mark.parametrize("name", THEMES)
def test_search_highlights_have_contrast(name):
    c = theme.COLOURS[name]
    for ground in ("match", "current_match"):
        assert ratio(c["match_text"], c[ground]) >= text_minimum(name)


@pytest.mark.parametrize("name", THEMES)
def test_the_focused_link_in_the_answer_stands_out_from_the_page(name):
    """QTextBrowser shows the focused link as a selection: Highlight behind HighlightedText."""
    c = theme.COLOURS[name]
    assert ratio(c["highlight"], c["base"]) >= 3.0
    assert ratio(c["highlighted_text"], c["highlight"]) >= text_minimum(name)


@pytest.mark.parametrize("name", THEMES)
def test_a_disabled_control_looks_disabled(name):
    c = theme.COLOURS[name]
    assert ratio(c["disabled"], c["text"]) >= 1.5  # visibly dimmer than usable text
    app = dict(rules((RESOURCES / "app.qss").read_text(encoding="utf-8")))
    assert "dashed" in app["QPushButton:disabled"]["border"]


def test_high_contrast_fields_keep_a_border_without_focus():
    c = theme.COLOURS["contrast"]
    app = dict(rules((RESOURCES / "app.qss").read_text(encoding="utf-8")))
    border = app["QLineEdit, QPlainTextEdit"]["border"]
    assert "solid" in border and ratio(c[colour_name(border)], c["base"]) >= 7.0


@pytest.mark.parametrize("slide", list(SLIDE_COLOURS))
def test_presentation_slides_have_contrast(slide):
    c = SLIDE_COLOURS[slide]
    need = 7.0  # read from the back of a room
    for fg in ("text", "heading", "muted"):
        assert ratio(c[fg], c["background"]) >= need, fg
