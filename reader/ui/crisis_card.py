"""The crisis card: shown above search results, and in the feedback form, when what a person
types holds crisis words. Calm, large, and first in reading order."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from reader.crisis import QT_TRANSLATE_NOOP, CrisisText
from reader.ui import accessibility

HEADING = QT_TRANSLATE_NOOP("CrisisCard", "Help is available now")
FORM_NOTE = QT_TRANSLATE_NOOP("CrisisCard",
                              "Messages sent with this form are read days later, not now. "
                              "If you need someone to talk to now, call or text the line above.")

HEADING_GAP = 12  # between the heading and a button beside it


def lines_height(label: QLabel, width: int) -> int:
    """How tall `label`'s wrapped lines are at `width`. Not label.heightForWidth, which
    never goes below the label's minimum height: a minimum set at a narrow width (while
    a window is laid out) would stay, and the card would grow with every change."""
    margins = label.contentsMargins()
    inner = width - margins.left() - margins.right() - 2 * label.margin()
    rect = label.fontMetrics().boundingRect(
        0, 0, max(1, inner), 1_000_000, int(label.alignment() | Qt.TextFlag.TextWordWrap),
        label.text())
    return rect.height() + margins.top() + margins.bottom() + 2 * label.margin()


class CrisisCard(QFrame):
    appeared = Signal()  # a kiosk makes room for it (the on-screen keyboard steps aside)
    ACCESSIBLE = "notification"  # Orca speaks a notification the moment it is shown

    def __init__(self, text: CrisisText, extra: str = "", parent=None):
        accessibility.install()
        super().__init__(parent)
        self.setObjectName("crisisCard")
        self.crisis = text
        self._beside: QWidget | None = None  # a button beside the heading
        self._box = layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        lines = [("crisisHeading", self.tr(HEADING)), ("crisisLine", text.line),
                 ("crisisDanger", QCoreApplication.translate("CrisisText", text.danger)),
                 ("crisisStaffNote", text.staff_note), ("crisisFormNote", self.tr(extra)),
                 ("crisisOtherLine", " " if text.others else "")]  # filled by set_shown
        self.labels: dict[str, QLabel] = {}
        for name, words in lines:
            if not words:
                continue
            label = QLabel(words, self, wordWrap=True)
            label.setObjectName(name)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            layout.addWidget(label)
            self.labels[name] = label
        if "crisisOtherLine" in self.labels:  # the line in the language typed in, if not ours
            self.labels["crisisOtherLine"].hide()
        self.setAccessibleName(self.message())  # all of it: a screen reader speaks the name
        self.hide()

    def put_beside_heading(self, button: QWidget) -> None:
        """A button (read aloud) at the heading's right: the card is a row shorter, and
        on a kiosk's 768-px screen the form's fields keep a line above the keyboard."""
        heading = self.labels["crisisHeading"]
        self._box.removeWidget(heading)
        row = QHBoxLayout()
        row.setSpacing(HEADING_GAP)
        row.addWidget(heading, 1)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self._box.insertLayout(0, row)
        self._beside = button
        button.installEventFilter(self)  # its width is what the heading has left

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if obj is self._beside and event.type() in (QEvent.Type.Resize, QEvent.Type.Show,
                                                    QEvent.Type.Hide):
            self._keep_height()
        return False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._keep_height()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._keep_height()

    def _keep_height(self) -> None:
        """As tall as its wrapped lines need at this width: a crowded layout (a kiosk with
        its keyboard, large text) squeezes the results below it, never the crisis line."""
        margins = self._box.contentsMargins()
        inner = self.contentsRect().width() - margins.left() - margins.right()  # in the border
        if inner <= 0:
            return
        beside = self._beside
        for label in self.labels.values():  # the box layout alone gives them their hint
            width = inner
            if label.objectName() == "crisisHeading" and beside is not None \
                    and not beside.isHidden():  # what the button beside it leaves
                width = max(label.minimumSizeHint().width(), inner - beside.width()
                            - HEADING_GAP)
            needed = lines_height(label, width)
            if needed > 0 and needed != label.minimumHeight():
                label.setMinimumHeight(needed)

    def message(self) -> str:
        """Every line shown, each ending as a sentence (a screen reader pauses between them)."""
        lines = [label.text().strip() for label in self.labels.values() if not label.isHidden()]
        return " ".join(line if line.endswith((".", "!", "?", ":")) else line + "."
                        for line in lines if line)

    def set_shown(self, shown: bool, typed_in: str = "") -> None:
        """Show or hide; showing it is what a screen reader speaks at once (a notification's
        "showing" state: Orca 43 ignores Alert and Announcement events). `typed_in`: the
        language of the crisis words; when it is not the screen's, the card also gives the
        line in that language."""
        other = self.labels.get("crisisOtherLine")
        if other is not None:
            words = self.crisis.other_line(typed_in) if shown else ""
            if words != other.text().strip():
                other.setText(words)
                other.setVisible(bool(words))
                self.setAccessibleName(self.message())
                self._keep_height()
        if shown != self.isHidden():
            return
        self.setVisible(shown)
        if shown:
            self.appeared.emit()
