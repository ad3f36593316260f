"""A finger on a touch screen: real touch events, delivered to the window at a point.

Widgets that take no touch (buttons, fields) get the mouse events Qt makes from it, as on a
real kiosk; the press lands on whatever is under the point, as a finger's does.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QInputDevice, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget


class Finger:
    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.device = QPointingDevice(
            "kiosk touch screen", 1, QInputDevice.DeviceType.TouchScreen,
            QPointingDevice.PointerType.Finger, QInputDevice.Capability.Position, 10, 0)

    def _at(self, widget: QWidget, pos: QPoint | None) -> tuple[QWidget, QPoint]:
        window = widget.window()
        point = pos if pos is not None else widget.rect().center()
        return window, widget.mapTo(window, point)

    def press(self, widget: QWidget, pos: QPoint | None = None, process: bool = True) -> None:
        window, point = self._at(widget, pos)
        QTest.touchEvent(window, self.device).press(0, point, window).commit(process)

    def release(self, widget: QWidget, pos: QPoint | None = None, process: bool = True) -> None:
        window, point = self._at(widget, pos)
        QTest.touchEvent(window, self.device).release(0, point, window).commit(process)

    def tap(self, widget: QWidget, pos: QPoint | None = None, process: bool = True) -> None:
        self.press(widget, pos, process)
        self.release(widget, pos, process)

    def long_press(self, widget: QWidget, pos: QPoint | None = None, ms: int = 900) -> None:
        self.press(widget, pos)
        self.qtbot.wait(ms)
        self.release(widget, pos)

    def swipe(self, widget: QWidget, start: QPoint, end: QPoint, steps: int = 12) -> None:
        window, first = self._at(widget, start)
        QTest.touchEvent(window, self.device).press(0, first, window).commit()
        for step in range(1, steps + 1):
            self.qtbot.wait(16)
            point = start + (end - start) * (step / steps)
            QTest.touchEvent(window, self.device).move(0, widget.mapTo(window, point),
                                                       window).commit()
        _, last = self._at(widget, end)
        QTest.touchEvent(window, self.device).release(0, last, window).commit()
