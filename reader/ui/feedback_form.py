"""The feedback form, and the worker that empties the outbox without freezing the window.

The original page ended with a form, "Your comments are private." (its words are kept in
reader.feedback). This reader is often offline, so the form also says that a message waits
on this computer until it can be emailed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from reader.config import SmtpSettings
from reader.feedback import (
    INTRO,
    MAX_COMMENTS,
    MAX_EMAIL,
    MAX_LINE_FIELD,
    PRIVACY,
    FeedbackInput,
    InvalidFeedback,
    problems,
)
from reader.mailer import deliver_pending
from reader.outbox import Outbox, OutboxError

log = logging.getLogger(__name__)

OFFLINE_NOTE = ("Your message is kept on this computer until it can be emailed to the "
                "Ketamine Advocacy Network.")
THANKS = ("Thank you. Your comments are saved on this computer and will be emailed to the "
          "Ketamine Advocacy Network.")


class FeedbackForm(QDialog):
    """Your Username, Your Name (required), Your email (optional), Your comments.

    `submit(entry)` must store the message durably (the window passes Outbox.submit); the
    thank-you shows only after it returns, and then every field is emptied, undo history
    included. If it raises OutboxError or OSError, what was typed stays and the reason shows.
    """

    submitted = Signal()

    def __init__(self, submit: Callable[[FeedbackInput], object], parent=None):
        super().__init__(parent)
        self._submit = submit
        self._page_id = self._page_title = ""
        self._sized_by_parent = False
        self.setObjectName("feedbackForm")
        self.setWindowTitle("Feedback")
        self.setAccessibleName("Feedback form")
        # Two pages shown one at a time; not a QStackedWidget, which ignores the wrapped
        # labels' height-for-width and lets the error lines overlap the fields.
        self._form_page, self._thanks_page = self._build_form(), self._build_thanks()
        self._thanks_page.hide()
        # at 300 % text the form is taller than a laptop screen: it scrolls, never overlaps
        self._scroll = QScrollArea(self)
        self._scroll.setWidget(self._form_page)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self._scroll)
        layout.addWidget(self._thanks_page)

    # --- building -----------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        page = QWidget(self)
        intro = self._text(INTRO.replace("@", "@\u200b"), "feedbackIntro")  # may wrap at @
        intro.setAccessibleName(INTRO)
        privacy = self._text(f"<b>{PRIVACY}</b> {OFFLINE_NOTE}", "feedbackPrivacy")
        self.page_label = self._text("", "feedbackPage")
        self.page_label.hide()

        self.username = self._line("feedbackUsername", MAX_LINE_FIELD)
        self.name = self._line("feedbackName", MAX_LINE_FIELD)
        self.email = self._line("feedbackEmail", MAX_EMAIL)
        self.comments = QPlainTextEdit(page)
        self.comments.setObjectName("feedbackComments")
        self.comments.setTabChangesFocus(True)
        self.comments.setMinimumHeight(140)
        self.counter = self._text("", "feedbackCounter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.status = self._text("", "feedbackStatus")
        self.status.hide()

        self.fields = {"username": self.username, "name": self.name, "email": self.email,
                       "comments": self.comments}
        labels = {"username": "Your Username", "name": "Your Name (required)",
                  "email": "Your email (optional)", "comments": "Your comments about this page"}
        self._hints = {"username": "", "name": "Required.",
                       "email": "Optional, if you would like a reply.",
                       "comments": f"Required, at most {MAX_COMMENTS} characters."}
        self.errors: dict[str, QLabel] = {}
        form = QVBoxLayout()
        form.setSpacing(4)
        for key, widget in self.fields.items():
            label = QLabel(labels[key], page)
            label.setBuddy(widget)
            widget.setAccessibleName(labels[key])
            widget.setAccessibleDescription(self._hints[key])
            error = self._text("", widget.objectName() + "Error")
            error.setProperty("role", "error")  # for the theme: QLabel[role="error"]
            font = error.font()
            font.setBold(True)
            error.setFont(font)
            error.hide()
            self.errors[key] = error
            form.addSpacing(6)
            form.addWidget(label)
            form.addWidget(widget, 1 if widget is self.comments else 0)
            form.addWidget(error)
        form.addWidget(self.counter)

        self.submit_button = QPushButton("Save and send", page)
        self.submit_button.setObjectName("feedbackSubmit")
        self.submit_button.setDefault(True)
        self.submit_button.setAccessibleDescription(OFFLINE_NOTE)
        cancel = QPushButton("Close", page)
        cancel.setObjectName("feedbackClose")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.submit_button)

        layout = QVBoxLayout(page)
        for widget in (intro, privacy, self.page_label):
            layout.addWidget(widget)
        layout.addLayout(form, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.submit_button.clicked.connect(self._on_submit)
        cancel.clicked.connect(self.reject)
        self.comments.textChanged.connect(self._update_counter)
        for key, widget in self.fields.items():
            signal = widget.textChanged
            signal.connect(lambda *_, key=key: self._recheck(key))
        self._update_counter()
        return page

    def _build_thanks(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("feedbackThanks")
        thank_you, rest = THANKS.split(". ", 1)
        self.thanks_label = self._text(
            f"<p style='font-size: x-large'><b>{thank_you}.</b></p><p>{rest}</p>",
            "feedbackThanksText")
        self.thanks_label.setAccessibleName(THANKS)
        another = QPushButton("Write another message", page)
        another.setObjectName("feedbackAnother")
        close = QPushButton("Close", page)
        close.setObjectName("feedbackThanksClose")
        another.clicked.connect(self.reset)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(another)
        buttons.addWidget(close)
        layout = QVBoxLayout(page)
        layout.addWidget(self.thanks_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _text(self, text: str, name: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText if "<b>" in text else Qt.TextFormat.PlainText)
        return label

    def _line(self, name: str, limit: int) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setMaxLength(limit)
        return field

    # --- public -------------------------------------------------------------------------

    def fill_parent(self, max_width: int) -> None:
        """Kiosk: shown as a page of the window, sized by its layout; the text keeps a
        readable width in the middle."""
        self._sized_by_parent = True
        self._scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        for page in (self._form_page, self._thanks_page):
            page.setMaximumWidth(max_width)
        self.layout().setAlignment(self._thanks_page, Qt.AlignmentFlag.AlignHCenter)

    def set_page(self, section_id: str, title: str) -> None:
        """The question the reader was on; recorded with the message."""
        self._page_id, self._page_title = section_id, title
        self.page_label.setText(f"About: {title}" if title else "")
        self.page_label.setVisible(bool(title))

    def entry(self) -> FeedbackInput:
        return FeedbackInput(
            name=self.name.text(), comments=self.comments.toPlainText(),
            email=self.email.text(), username=self.username.text(),
            page_id=self._page_id, page_title=self._page_title,
        )

    def showing_thanks(self) -> bool:
        return self._thanks_page.isVisibleTo(self)

    def clear_all(self) -> None:
        """Empty every field so that nothing can be read back, not even with undo."""
        for field in (self.username, self.name, self.email):
            field.setText("")  # unlike clear(), setText drops the undo history
        self.comments.setPlainText("")
        self.comments.document().clearUndoRedoStacks()
        for key in self.fields:
            self._show_error(key, "")
        self.status.hide()
        self.status.setText("")

    def reset(self) -> None:
        """Back to an empty form (e.g. when a kiosk session ends)."""
        self.clear_all()
        self._show_page(thanks=False)
        self.name.setFocus()

    # --- behaviour ----------------------------------------------------------------------

    def _update_counter(self) -> None:
        count = len(self.comments.toPlainText())
        over = count > MAX_COMMENTS
        self.counter.setText(f"{count} / {MAX_COMMENTS}" + (" (too long)" if over else ""))
        self.counter.setProperty("role", "error" if over else "")
        self.counter.style().polish(self.counter)
        self.counter.setAccessibleName(f"{count} of {MAX_COMMENTS} characters used")

    def _recheck(self, key: str) -> None:
        """Once an error shows, it goes away as soon as the field is fixed."""
        if self.errors[key].text():
            self._show_error(key, problems(self.entry()).get(key, ""))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_height()

    def _show_page(self, thanks: bool) -> None:
        self._scroll.setVisible(not thanks)
        self._thanks_page.setVisible(thanks)
        # the short thank-you in a dialog sized for the form looked empty, and back again
        self._fit_height(shrink=thanks)

    def _fit_height(self, shrink: bool = False) -> None:
        """As tall as the page needs (wrapped labels need height for width, error lines
        add to it), up to nine tenths of the screen; the form scrolls beyond that."""
        if self._sized_by_parent:
            return
        screen = self.screen().availableGeometry()
        width = min(max(self.width(), self.fontMetrics().averageCharWidth() * 50),
                    screen.width() * 9 // 10)
        page = self._thanks_page if self._thanks_page.isVisibleTo(self) else self._form_page
        page.layout().activate()
        margins = self.layout().contentsMargins()
        inner = width - margins.left() - margins.right()
        needed = page.layout().totalHeightForWidth(inner) + margins.top() + margins.bottom()
        height = min(needed, screen.height() * 9 // 10)
        if self.height() < height or shrink or width != self.width():
            self.resize(width, max(height, self.height() if not shrink else 0))

    def _show_error(self, key: str, message: str) -> None:
        label, field = self.errors[key], self.fields[key]
        label.setText(message)
        label.setVisible(bool(message))
        field.setAccessibleDescription(message or self._hints[key])
        field.setProperty("invalid", bool(message))
        field.style().polish(field)  # dynamic properties need a re-polish to restyle

    def _on_submit(self) -> None:
        entry = self.entry()
        errors = problems(entry)
        if not errors:
            try:
                self._submit(entry)
            except InvalidFeedback as exc:
                errors = exc.errors
            except (OutboxError, OSError) as exc:
                self.status.setText(
                    "Your message could not be saved on this computer, so it has not been "
                    f"sent. What you wrote is still here. Please tell a staff member. ({exc})"
                )
                self.status.setProperty("role", "error")
                self.status.style().polish(self.status)
                self.status.show()
                self.submit_button.setFocus()
                return
        for key in self.fields:
            self._show_error(key, errors.get(key, ""))
        self._fit_height()
        if errors:
            first = next(key for key in self.fields if key in errors)
            self.fields[first].setFocus()
            return
        self.clear_all()
        self._show_page(thanks=True)
        self.thanks_label.setFocus()
        self.submitted.emit()


class OutboxWorker(QObject):
    """Sends the outbox on a worker thread: call start() once, kick() after each
    submission; it retries on the backoff timer by itself. Emits statusChanged with a
    short line for staff ("2 messages waiting"), never what anyone wrote."""

    statusChanged = Signal(str)
    deliveryFinished = Signal(object)  # the DeliveryReport of each run
    _done = Signal(object)

    def __init__(self, outbox: Outbox, settings: SmtpSettings, parent=None):
        super().__init__(parent)
        self._outbox, self._settings = outbox, settings
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.kick)
        self._running = self._again = self._stopping = False
        self._done.connect(self._finished)
        self.status_text = ""

    def start(self) -> None:
        self.refresh()
        self.kick()

    def kick(self) -> None:
        """Send what is due now, on the worker thread (or right after the current run)."""
        if self._stopping:
            return
        if not self._settings.configured:
            self.refresh()
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._timer.stop()
        self._pool.start(self._run)

    def stop(self, wait_ms: int = 5000) -> bool:
        """No new runs; waits for the current one (it stops between messages)."""
        self._stopping = True
        self._timer.stop()
        return self._pool.waitForDone(wait_ms)

    def is_busy(self) -> bool:
        return self._running

    def refresh(self) -> None:
        try:
            status = self._outbox.status()
        except OutboxError as exc:
            self._set_status(f"Feedback outbox cannot be read: {exc}")
            return
        line = status.describe()
        if status.waiting and not self._settings.configured:
            line += " (email is not set up)"
        elif status.queued and status.next_attempt:
            line += time.strftime(", next try at %H:%M", time.localtime(status.next_attempt))
        self._set_status(line)

    def _set_status(self, line: str) -> None:
        if line != self.status_text:
            self.status_text = line
            self.statusChanged.emit(line)

    def _run(self) -> None:  # on the worker thread
        try:
            result = deliver_pending(self._outbox, self._settings,
                                     should_stop=lambda: self._stopping)
        except Exception as exc:  # a thread boundary: report, never die silently
            log.warning("feedback delivery stopped: %s", exc)
            result = exc
        self._done.emit(result)

    def _finished(self, result) -> None:  # back on the window's thread
        self._running = False
        self.refresh()
        if isinstance(result, Exception):
            self._schedule(60)
        else:
            self.deliveryFinished.emit(result)
            if result.next_attempt is not None:
                delay = result.next_attempt - time.time()
                self._schedule(max(delay, 60) if result.error else delay)
        if self._again:
            self._again = False
            self.kick()

    def _schedule(self, seconds: float) -> None:
        if not self._stopping:
            self._timer.start(int(min(max(seconds, 1.0), 3600.0) * 1000))
