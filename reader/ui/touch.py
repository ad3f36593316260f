"""What the window's kiosk body and the kiosk's chrome both need for fingers: a finger's
size, and swipe scrolling."""

from __future__ import annotations

import functools
import sys

import shiboken6
from PySide6.QtWidgets import QScroller, QWidget

TOUCH_PX = 44


def grab_swipe(viewport: QWidget) -> None:
    """A swipe (a finger, or the mouse held down) scrolls the viewport.

    PySide turns the gesture type QScroller.grabGesture returns, new for every viewport, into
    a new Python enum class that is never freed (2.6 KiB each, a language switch makes five):
    on Linux the same Qt function is called without passing through PySide."""
    swipe = QScroller.ScrollerGestureType.LeftMouseButtonGesture
    grab = _qt_grab_gesture()
    if grab is None:
        QScroller.grabGesture(viewport, swipe)
    else:
        grab(shiboken6.getCppPointer(viewport)[0], swipe.value)


@functools.cache
def _qt_grab_gesture():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: the desktop window, which imports this module, grabs no swipe

    try:  # already loaded by QtWidgets: dlopen finds it by its soname
        grab = ctypes.CDLL("libQt6Widgets.so.6")[
            "_ZN9QScroller11grabGestureEP7QObjectNS_19ScrollerGestureTypeE"]
    except (OSError, AttributeError):
        return None
    grab.restype, grab.argtypes = ctypes.c_int, [ctypes.c_void_p, ctypes.c_int]
    return grab
