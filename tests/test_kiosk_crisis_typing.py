"""Typing a crisis phrase on the kiosk by tapping its keys, on real screen sizes, at the
default and the largest text, in English and Spanish: the keyboard stays up and still, no
keystroke is lost, no tap lands on the page below, the window stays the screen's size, and
the crisis card is whole (every line shown, none drawn over another)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PHRASES = {"en": ("i want to kill myself", " now"), "es": ("no quiero vivir", " ya")}

CHILD = r"""
import json, sys, tempfile, time
from pathlib import Path
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel
sys.path.insert(0, sys.argv[1])
from touch_helpers import Finger
from reader.config import KioskSettings, Settings
from reader.paths import resolve_paths
from reader.ui.i18n import install_translators
from reader.ui.kiosk import open_kiosk
from reader.ui.session import ReaderSession

phrases = json.loads(sys.argv[2])
app = QApplication(sys.argv[:1])
app.setStyle("Fusion")


class Bot:  # what Finger needs of qtbot
    @staticmethod
    def wait(ms):
        until(lambda: False, ms / 1000)


def until(condition, seconds=10.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.005)
    return condition()


def box(widget):
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def run(language, scale, first, more):
    install_translators(app, language)
    tmp = Path(tempfile.mkdtemp())
    paths = resolve_paths(data_dir=tmp / "data", config=tmp / "reader.toml")
    settings = Settings(kiosk=KioskSettings(enabled=True, text_scale=scale))
    window, kiosk = open_kiosk(ReaderSession.for_paths(paths, settings, language=language),
                               600_000, 60_000)
    window.open_initial(None)
    kiosk.show_window()
    window.activateWindow()
    until(window.isActiveWindow)
    finger, keyboard, panel = Finger(Bot), kiosk.keyboard, window.search_panel
    card = panel.crisis_card
    screen = window.screen().geometry()
    problems = []
    page = window.current_id

    def check(when):
        if box(window) != screen:
            problems.append(f"{when}: window {box(window).getRect()} on {screen.getRect()}")
        if not keyboard.isVisible():
            problems.append(f"{when}: the keyboard closed")
        elif not screen.contains(box(keyboard)):
            problems.append(f"{when}: keyboard {box(keyboard).getRect()} off the screen")
        if box(panel.field).bottom() >= box(keyboard).top() or not panel.field.isVisible():
            problems.append(f"{when}: the field is not in view above the keyboard")

    finger.tap(panel.field)
    until(keyboard.isVisible, 3)
    keys = {id(k): box(k) for k in keyboard.findChildren(type(keyboard.space)) if k.isVisible()}
    typed = ""
    card_at = None
    for char in first + more:
        if char == " ":
            target = keyboard.space
        else:
            target = next(k for k in keyboard.char_keys if k.isVisible() and k.text() == char)
        finger.tap(target)
        typed += char
        if panel.field.text() != typed:
            problems.append(f"after {typed!r}: the field holds {panel.field.text()!r}")
            break
        if card_at is None and card.isVisible():
            card_at = len(typed)
        if card_at is None and len(typed) == len(first):  # the phrase: wait for the card
            if not until(card.isVisible):
                problems.append("no crisis card")
                break
            card_at = len(typed)
        check(f"after {typed!r}")
    moved = [k.text() for k in keyboard.findChildren(type(keyboard.space))
             if k.isVisible() and keys.get(id(k)) != box(k)]
    if moved:
        problems.append(f"keys moved: {moved[:5]}")
    if window.current_id != page or window.feedback_form is not None:
        problems.append("a tap landed on the page below")
    if card.isVisible():
        whole = box(card)
        if not screen.contains(whole) or whole.bottom() >= box(keyboard).top():
            problems.append(f"card {whole.getRect()} not whole above the keyboard")
        if card.visibleRegion().boundingRect() != card.rect():
            problems.append("card clipped by what holds it")
        lines = sorted(((box(label), label.objectName()) for label in card.findChildren(QLabel)
                        if label.isVisible()), key=lambda line: line[0].top())
        for label in card.findChildren(QLabel):
            if label.isVisible() and label.height() < label.heightForWidth(label.width()):
                problems.append(f"{label.objectName()} cut: {label.height()} px for "
                                f"{label.heightForWidth(label.width())}")
        for (above, name), (below, next_name) in zip(lines, lines[1:]):
            if above.bottom() >= below.top():
                problems.append(f"card lines drawn over each other: {name} "
                                f"{above.getRect()}, {next_name} {below.getRect()}")
    results = {"language": language, "scale": scale, "problems": problems,
               "card_after": card_at, "window": box(window).getRect(),
               "keyboard": box(keyboard).getRect(), "card": box(card).getRect()}
    kiosk.allow_exit()
    panel.wait_idle()
    window.close()
    window.deleteLater()
    until(lambda: False, 0.05)
    return results


print(json.dumps([run(lang, scale, *phrases[lang]) for lang in ("en", "es")
                  for scale in (150, 300)]))
"""


@pytest.mark.parametrize("screen", ["1024x768", "1366x768", "1280x1024", "1080x1920"])
def test_a_crisis_phrase_typed_by_taps_on_every_screen(tmp_path, screen):
    width, height = (int(n) for n in screen.split("x"))
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "kiosk", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96,
                                               "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "tests"),
                             json.dumps(PHRASES)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    runs = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(runs) == 4  # two languages, two text sizes
    for run in runs:
        assert run["problems"] == [], run
        assert run["card_after"] is not None and run["card_after"] <= len(
            PHRASES[run["language"]][0])  # the card came mid-typing, and typing went on
