"""Real screens: the first window fits, frame included, on the screens people have.

Each case starts Xvfb at a screen size with a window manager (openbox, whose title bar and
borders are the frame) and opens the reader's window there (tests/screen_probe.py); 4K runs
at QT_SCALE_FACTOR=2 as a 4K laptop does. The rest (menus, the splitter, keyboard focus)
needs no real screen and runs offscreen.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPalette
from PySide6.QtWidgets import QMenu

from reader.settings import Preferences, load_preferences, save_preferences
from reader.ui import theme
from tests.test_contrast import ratio
from tests.test_window import _at

PROBE = Path(__file__).resolve().parent / "screen_probe.py"
SCREENS = {"1024x768": ("1024x768", 1), "1366x768": ("1366x768", 1),
           "1280x800": ("1280x800", 1), "1920x1080": ("1920x1080", 1),
           "4K at 200%": ("3840x2160", 2)}


def probe(size: str, data: Path, *args: str, scale_factor: int = 1) -> dict:
    """Open the window on a fresh Xvfb of `size` with openbox; what screen_probe saw."""
    missing = [tool for tool in ("Xvfb", "openbox") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"real-screen tests need {' and '.join(missing)}: install the Debian "
                    "packages xvfb openbox (python3 dev.py test does it when run as root)")
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", f"{size}x24",
                             "-nolisten", "tcp"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    number = xvfb.stdout.readline().decode().strip()
    xvfb.stdout.close()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("QT_", "WAYLAND", "DBUS_"))}
    env.update(DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=str(scale_factor),
               HOME=str(data))
    openbox = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        result = subprocess.run([sys.executable, str(PROBE), str(data), *args], env=env,
                                capture_output=True, text=True, timeout=60)
    finally:
        for process in (openbox, xvfb):
            process.terminate()
            process.wait(10)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def inside(inner: list[int], outer: list[int]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


def assert_whole_window_shows(seen: dict) -> None:
    assert seen["frame"] != seen["inner"], "the window manager framed the window"
    assert inside(seen["frame"], seen["screen"]), seen
    footer = seen["footer"]
    assert footer["visible"] and footer["height"] >= footer["needed"], footer
    assert footer["bottom"] < seen["window_height"]
    assert seen["feedback_visible"] and not seen["toolbar_overflow"]


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_first_window_fits_the_screen_frame_included(tmp_path, screen):
    size, factor = SCREENS[screen]
    seen = probe(size, tmp_path, scale_factor=factor)
    assert_whole_window_shows(seen)
    if screen in ("1920x1080", "4K at 200%"):  # room to spare: the usual size, not less
        assert seen["inner"][2:] == [1280, 800]


def test_a_saved_geometry_that_no_longer_fits_is_fitted(tmp_path):
    big = probe("1920x1080", tmp_path, "--geometry", "200,100,1700,960", "--save")
    assert big["inner"][2:] == [1700, 960]
    assert load_preferences(tmp_path / "settings.json").geometry
    laptop = probe("1366x768", tmp_path)  # the same settings on a smaller screen
    assert_whole_window_shows(laptop)
    assert laptop["inner"][2] <= 1366 and laptop["inner"][3] < 768


def test_at_300_percent_the_footer_grows_and_the_question_list_widens(tmp_path):
    normal = probe("1366x768", tmp_path / "a", "100")
    large = probe("1366x768", tmp_path / "b", "300")
    assert_whole_window_shows(large)
    assert large["footer"]["font_px"] > normal["footer"]["font_px"]
    assert large["sidebar_width"] > normal["sidebar_width"] * 1.4
    # titles of 12 or more ems a line, not a word or two
    assert large["sidebar_width"] / large["sidebar_font_px"] >= 12


# --- offscreen: menus, the remembered splitter ---------------------------------------------


def test_the_footer_grows_with_every_text_size_step():
    from reader.ui.window import SCALE_STEPS

    sizes = [theme.footer_point_size(step) for step in SCALE_STEPS if step >= 100]
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    for step in SCALE_STEPS:  # as large as the text up to 150 % (a kiosk's size)
        assert theme.footer_point_size(step) == theme.ui_point_size(min(step, 150)) \
            or theme.footer_point_size(step) > theme.ui_point_size(150)




def ink_width(image: QImage, rect: QRect, ground: QColor) -> int:
    """From the first to the last column of `rect` where anything differs from `ground`."""
    columns = [x for x in range(rect.left(), rect.right())
               if any(_differs(image.pixelColor(x, y), ground)
                      for y in range(rect.top(), rect.bottom()))]
    return columns[-1] - columns[0] + 1 if columns else 0


def _differs(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) > 90


def drawn_width(menu: QMenu, text: str, ground: QColor) -> int:
    """The ink width of `text` as the menu's font draws it."""
    metrics = QFontMetrics(menu.font())
    image = QImage(metrics.horizontalAdvance(text) + 40, metrics.height() + 8,
                   QImage.Format.Format_RGB32)
    image.fill(ground)
    painter = QPainter(image)
    painter.setFont(menu.font())
    painter.setPen(menu.palette().color(QPalette.ColorRole.Text))
    painter.drawText(20, 4 + metrics.ascent(), text)
    painter.end()
    return ink_width(image, image.rect(), ground)


def shows_whole(menu: QMenu, action, words: str, elided: str) -> bool:
    """True when the action's row is as wide in ink as `words` in full, not as `elided`."""
    image = menu.grab().toImage()
    row = menu.actionGeometry(action).adjusted(3, 2, -3, -2)  # inside the menu's frame
    ground = image.pixelColor(row.right() - 1, row.center().y())
    ink = ink_width(image, row, ground)
    full, short = drawn_width(menu, words, ground), drawn_width(menu, elided, ground)
    assert full != short
    return abs(ink - full) < abs(ink - short) and abs(ink - full) <= 2


@pytest.mark.parametrize("scale", [100, 300])
def test_menu_items_are_not_cut_at_any_text_size(qtbot, make_window, tmp_path, scale):
    save_preferences(tmp_path / "data" / "settings.json",
                     Preferences(text_scale=scale, theme="light"))
    window = make_window()
    colours = next(menu for menu in window.findChildren(QMenu) if menu.title() == "&Colours")
    colours.ensurePolished()
    colours.resize(colours.sizeHint())
    follow = window.theme_actions["system"]  # unchecked: nothing but its words in the row
    assert shows_whole(colours, follow, "Follow the system", "Follow … system")


def test_the_question_list_width_is_remembered_in_ems(qtbot, make_window, tmp_path):
    window = make_window()
    window.splitter.moveSplitter(200, 1)  # what dragging the handle does
    ems = window.prefs.sidebar_ems
    assert ems == pytest.approx(200 / window._text_px(), abs=0.2)
    window.close()
    prefs = load_preferences(tmp_path / "data" / "settings.json")
    assert prefs.sidebar_ems == ems
    prefs.text_scale = 150
    save_preferences(tmp_path / "data" / "settings.json", prefs)
    again = make_window()  # larger text: the same width in ems, so wider
    assert again.splitter.sizes()[0] == pytest.approx(ems * again._text_px(), abs=2)
    assert again.splitter.sizes()[0] > 280


def test_keys_and_focus_in_the_question_list(qtbot, make_window):
    window = make_window()
    sidebar = window.sidebar
    sidebar.setFocus()
    qtbot.waitUntil(sidebar.hasFocus)
    qtbot.keyClick(sidebar, Qt.Key.Key_Down)
    focused, open_row = sidebar.currentItem(), sidebar._items[window.current_id]
    assert focused is not open_row and not focused.isSelected() and open_row.isSelected()
    # they look different: the open one filled, the focused one ringed
    colours = theme.COLOURS[theme.resolve_theme(window.prefs.theme)]
    image = sidebar.viewport().grab().toImage()
    open_rect, focus_rect = sidebar.visualItemRect(open_row), sidebar.visualItemRect(focused)
    highlight, ring = QColor(colours["highlight"]), QColor(colours["focus"])
    assert image.pixelColor(open_rect.center().x(), open_rect.center().y() - 2) == highlight
    assert image.pixelColor(focus_rect.center().x(), focus_rect.center().y() - 2) != highlight
    edge = [image.pixelColor(focus_rect.center().x(), focus_rect.top() + dy) for dy in (0, 1)]
    assert ring in edge, (edge, ring)
    with qtbot.waitSignal(window.sectionOpened) as opened:
        qtbot.keyClick(sidebar, Qt.Key.Key_Space)
    assert opened.args == [focused.data(0, Qt.ItemDataRole.UserRole)]
    assert focused.isSelected()


@pytest.mark.parametrize("name", ["light", "dark", "contrast"])
def test_the_focused_link_in_the_answer_is_clearly_visible(qtbot, make_window, tmp_path, name):
    save_preferences(tmp_path / "data" / "settings.json", Preferences(theme=name))
    window = make_window()
    viewer = window.viewer
    viewer.setFocus()
    qtbot.waitUntil(viewer.hasFocus)
    before = viewer.viewport().grab().toImage()
    qtbot.keyClick(viewer, Qt.Key.Key_Tab)  # Tab goes from link to link in the answer
    cursor = viewer.textCursor()
    assert cursor.selectedText() == "safe track record"
    after = viewer.viewport().grab().toImage()
    mark = QColor(theme.COLOURS[name]["highlight"])
    marked = [(x, y) for x in range(0, after.width(), 2) for y in range(after.height())
              if after.pixelColor(x, y) == mark and before.pixelColor(x, y) != mark]
    assert len(marked) > 500, "the focused link is filled with the highlight colour"
    first, last = (viewer.cursorRect(_at(viewer, n)) for n in (cursor.selectionStart(),
                                                               cursor.selectionEnd()))
    assert all(first.top() - 4 <= y <= last.bottom() + 4 for _x, y in marked)
    ys = {y for _x, y in marked}
    assert max(ys) - min(ys) + 1 >= 2  # at least 2 px thick
    assert ratio(mark.name(), theme.COLOURS[name]["base"]) >= 3.0
    viewer.clearFocus()  # the mark goes with the focus
    qtbot.waitUntil(lambda: not viewer.extraSelections())


# --- presenting ------------------------------------------------------------------------------


def test_the_first_slide_is_in_large_type_and_the_footer_reads_from_the_back(tmp_path):
    seen = probe("1366x768", tmp_path, "--present")["presenter"]
    assert seen["full_screen"]
    # the first slide as large as when the facilitator comes back to it
    assert seen["first_px"] == seen["again_px"] >= 0.72 * seen["base_px"]
    assert seen["footer_px"] >= 0.6 * seen["base_px"] and seen["footer_wraps"]
