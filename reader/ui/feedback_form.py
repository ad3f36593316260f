"""The feedback form (reader/ui/sender.py empties the outbox without freezing the window).

The original page ended with a form, "Your comments are private." (its words are kept in
reader.feedback). This reader is often offline, and often has no mail server at all, so the
form says where a message goes: to the configured address when this computer is online, or,
with no email set up, nowhere but this computer (staff can export it); at home the reader
may then send it with their own email program or copy it.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from reader.crisis import QT_TRANSLATE_NOOP, CrisisText, CrisisWords
from reader.feedback import (
    INTRO,
    MAX_COMMENTS,
    MAX_EMAIL,
    MAX_LINE_FIELD,
    PRIVACY,
    FeedbackInput,
    InvalidFeedback,
    mailto_url,
    message_text,
    problems,
)
from reader.outbox import OutboxError
from reader.ui.accessibility import announce
from reader.ui.crisis_card import FORM_NOTE, CrisisCard
from reader.ui.wrap import WrappingButton

log = logging.getLogger(__name__)

USERNAME_HINT = QT_TRANSLATE_NOOP(
    "FeedbackForm", "Optional: the name you use on the Ketamine Advocacy Network's website "
    "and forums, if you have one.")
CRISIS_CHECK_MS = 150


def _tr(text: str) -> str:
    """The feedback checks' sentences (reader.feedback marks them) in the reader's language."""
    return QCoreApplication.translate("feedback", text)


@dataclass(frozen=True)
class Delivery:
    """Where a message goes. `recipient` is empty when no mail server is set up."""

    recipient: str = ""
    address: str = "feedback@ketaminenetwork.org"  # the network's, for one's own email program
    own_mail_program: bool = True  # offer mailto: and copying (never on a kiosk)

    def where(self) -> str:
        if self.recipient:
            return QCoreApplication.translate(
                "Delivery", "It is saved on this computer, then sent to {recipient} when this "
                "computer is online.").format(recipient=self.recipient)
        return QCoreApplication.translate(
            "Delivery", "Email is not set up on this computer, so your message is saved here "
            "only, where staff can export it.")

    def thanks(self) -> str:
        if self.recipient:
            return QCoreApplication.translate(
                "Delivery", "Thank you. Your message is saved on this computer and will be sent "
                "to {recipient} when this computer is online.").format(recipient=self.recipient)
        more = (" " + QCoreApplication.translate(
            "Delivery", "To send it now, use your own email program (to {address}) or copy "
            "it.").format(address=self.address) if self.own_mail_program else "")
        return QCoreApplication.translate(
            "Delivery", "Thank you. Your message is saved on this computer only: email is not "
            "set up here, so it has not been sent. Staff can export it.") + more


def first_sentence(text: str) -> tuple[str, str]:
    """("Thank you.", the rest): the first sentence ends at . ! or ? before a space, in any
    translation ("¡Gracias! Su mensaje…"); a text of one sentence has no rest."""
    found = _SENTENCE_END.search(text)
    if found is None:
        return text, ""
    return text[:found.start()], text[found.end():]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class FeedbackForm(QDialog):
    """Your Username, Your Name (required), Your email (optional), Your comments.

    `submit(entry)` must store the message durably (the window passes Outbox.submit); the
    thank-you shows only after it returns, and then every field is emptied, undo history
    included. If it raises OutboxError or OSError, what was typed stays and the reason shows.
    """

    submitted = Signal()

    def __init__(self, submit: Callable[[FeedbackInput], object], parent=None,
                 delivery: Delivery | None = None, crisis: CrisisText | None = None,
                 crisis_words: CrisisWords | None = None, language: str = "en"):
        super().__init__(parent)
        self._language = language
        self._submit = submit
        self.delivery = delivery or Delivery()
        self._crisis = crisis or CrisisText("")
        self._crisis_words = crisis_words or CrisisWords.built_in()
        self._sent: FeedbackInput | None = None  # for one's own email program, until reset
        self._page_id = self._page_title = ""
        self._sized_by_parent = False
        self.setObjectName("feedbackForm")
        self.setWindowTitle(self.tr("Feedback"))
        self.setAccessibleName(self.tr("Feedback form"))
        # Two pages shown one at a time; not a QStackedWidget, which ignores the wrapped
        # labels' height-for-width and lets the error lines overlap the fields.
        self._form_page, self._thanks_page = self._build_form(), self._build_thanks()
        self._thanks_page.hide()
        # at 300 % text the form, or the thank-you with its crisis card, is taller than a
        # laptop screen: it scrolls, never overlaps
        self._pages = QWidget(self)
        pages_layout = QVBoxLayout(self._pages)
        pages_layout.setContentsMargins(0, 0, 0, 0)
        for page in (self._form_page, self._thanks_page):
            pages_layout.addWidget(page)
        self._scroll = QScrollArea(self)
        self._scroll.setWidget(self._pages)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._box = layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self._scroll)

    # --- building -----------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        page = QWidget(self)
        intro = self._text(_tr(INTRO).replace("@", "@\u200b"), "feedbackIntro")  # may wrap at @
        intro.setAccessibleName(_tr(INTRO))
        privacy = self._text(f"<b>{_tr(PRIVACY)}</b> {self.delivery.where()}", "feedbackPrivacy")
        self.crisis_card = CrisisCard(self._crisis, FORM_NOTE, page)
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

        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {
            "username": self.username, "name": self.name, "email": self.email,
            "comments": self.comments}
        labels = {"username": self.tr("Your Username"), "name": self.tr("Your Name (required)"),
                  "email": self.tr("Your email (optional)"),
                  "comments": self.tr("Your comments about this page")}
        self._hints = {"username": self.tr(USERNAME_HINT), "name": self.tr("Required."),
                       "email": self.tr("Optional, if you would like a reply."),
                       "comments": self.tr("Required, at most {limit} characters.").format(
                           limit=MAX_COMMENTS)}
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
            if key == "username":
                form.addWidget(self._text(self.tr(USERNAME_HINT), "feedbackUsernameHint"))
            form.addWidget(widget, 1 if widget is self.comments else 0)
            form.addWidget(error)
        form.addWidget(self.counter)

        self.submit_button = QPushButton(self.tr("Save and send"), page)
        self.submit_button.setObjectName("feedbackSubmit")
        self.submit_button.setDefault(True)
        self.submit_button.setAccessibleDescription(self.delivery.where())
        cancel = QPushButton(self.tr("Close"), page)
        cancel.setObjectName("feedbackClose")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.submit_button)

        self._form_layout = layout = QVBoxLayout(page)
        for part in (self.crisis_card, intro, privacy, self.page_label):
            layout.addWidget(part)
        layout.addLayout(form, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.submit_button.clicked.connect(self._on_submit)
        cancel.clicked.connect(self.reject)
        self.comments.textChanged.connect(self._update_counter)
        self._crisis_timer = QTimer(self, singleShot=True, interval=CRISIS_CHECK_MS)
        self._crisis_timer.timeout.connect(self._check_crisis)
        self.comments.textChanged.connect(self._crisis_timer.start)
        for key, widget in self.fields.items():
            signal = widget.textChanged
            signal.connect(lambda *_, key=key: self._recheck(key))
        self._update_counter()
        return page

    def _build_thanks(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("feedbackThanks")
        thanks = self.delivery.thanks()
        thank_you, rest = first_sentence(thanks)
        self.thanks_label = self._text(
            f"<p style='font-size: x-large'><b>{html.escape(thank_you)}</b></p>"
            f"<p>{html.escape(rest)}</p>", "feedbackThanksText")
        self.thanks_label.setAccessibleName(thanks)
        self.thanks_crisis = CrisisCard(self._crisis, parent=page)
        self.mail_button = WrappingButton(self.tr("Send with my email program"), page)
        self.mail_button.setObjectName("feedbackMailProgram")
        self.mail_button.setAccessibleDescription(
            self.tr("Opens your email program with this message to {address}").format(
                address=self.delivery.address))
        self.mail_button.clicked.connect(self._open_mail_program)
        self.copy_button = WrappingButton(self.tr("Copy the message"), page)
        self.copy_button.setObjectName("feedbackCopy")
        self.copy_button.clicked.connect(self._copy_message)
        self._own_program = not self.delivery.recipient and self.delivery.own_mail_program
        self.mail_button.setVisible(self._own_program)
        self.copy_button.setVisible(self._own_program)
        another = WrappingButton(self.tr("Write another message"), page)
        another.setObjectName("feedbackAnother")
        close = QPushButton(self.tr("Close"), page)
        close.setObjectName("feedbackThanksClose")
        another.clicked.connect(self.reset)
        close.clicked.connect(self.accept)
        own_buttons = QHBoxLayout()
        own_buttons.addWidget(self.mail_button)
        own_buttons.addWidget(self.copy_button)
        own_buttons.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(another)
        buttons.addWidget(close)
        self._thanks_layout = layout = QVBoxLayout(page)
        layout.addWidget(self.thanks_crisis)
        layout.addWidget(self.thanks_label)
        layout.addLayout(own_buttons)
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
        # the crisis card above the scrolled fields: always in view, and the field typed in
        # scrolls below it (an on-screen keyboard stays up while the card shows)
        self._form_layout.removeWidget(self.crisis_card)
        self.crisis_card.setParent(self)
        # as wide as the form's text (an aligned widget gets only its hint's width, and the
        # card's lines, wrapped narrower, took the height the fields and keyboard need)
        self.crisis_card.setMaximumWidth(max_width)
        policy = self.crisis_card.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
        self.crisis_card.setSizePolicy(policy)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.crisis_card, 1000)
        row.addStretch(1)
        self._box.insertLayout(0, row)
        self.crisis_card.hide()
        self._scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        for page in (self._form_page, self._thanks_page, self._pages):
            page.setMaximumWidth(max_width)

    def set_page(self, section_id: str, title: str, question: str = "") -> None:
        """What the message is about: the answer it was opened from (recorded with the
        message), or the question the FAQ could not answer; nothing for general feedback."""
        self._page_id, self._page_title = section_id, title
        about = title or (f"“{question}”" if question else "")
        self.page_label.setText(self.tr("About: {title}").format(title=about) if about else "")
        self.page_label.setVisible(bool(about))

    def ask(self, question: str) -> None:
        """Fill in a question the FAQ could not answer (after "Ask the network" was tapped)."""
        if not self.comments.toPlainText().strip():
            self.comments.setPlainText(
                self.tr("My question, which the FAQ does not answer: {question}").format(
                    question=question))
        self.comments.moveCursor(QTextCursor.MoveOperation.End)  # what is added goes after it
        self.name.setFocus()

    def entry(self) -> FeedbackInput:
        return FeedbackInput(
            name=self.name.text(), comments=self.comments.toPlainText(),
            email=self.email.text(), username=self.username.text(),
            page_id=self._page_id, page_title=self._page_title, language=self._language,
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
        self._crisis_timer.stop()
        self.crisis_card.set_shown(False)

    def reset(self) -> None:
        """Back to an empty form (e.g. when a kiosk session ends)."""
        self.clear_all()
        self._sent = None
        self.thanks_crisis.set_shown(False)
        self._show_page(thanks=False)
        self.name.setFocus()

    # --- behaviour ----------------------------------------------------------------------

    def _update_counter(self) -> None:
        count = len(self.comments.toPlainText())
        over = count > MAX_COMMENTS
        self.counter.setText(f"{count} / {MAX_COMMENTS}" + (self.tr(" (too long)") if over else ""))
        self.counter.setProperty("role", "error" if over else "")
        self.counter.style().polish(self.counter)
        self.counter.setAccessibleName(self.tr("{count} of {limit} characters used").format(
            count=count, limit=MAX_COMMENTS))

    def _check_crisis(self) -> None:
        found = self._crisis_words.find(self.comments.toPlainText(), prefer=self._crisis.language)
        shown, was_hidden = found is not None, self.crisis_card.isHidden()
        self.crisis_card.set_shown(shown, found.language if found else "")
        if shown == was_hidden:  # it appeared or went
            self._fit_height()
            if shown:  # at the top of a form that may be scrolled down to the comments
                QTimer.singleShot(0, self, self._show_crisis_card)

    def _show_crisis_card(self) -> None:
        self._scroll.ensureWidgetVisible(self.comments, 0, 0)
        self._scroll.ensureWidgetVisible(self.crisis_card, 0, 0)  # the card wins the room

    def _open_mail_program(self) -> None:
        if self._sent is not None:
            url = QUrl.fromEncoded(mailto_url(self._sent, self.delivery.address).encode())
            QDesktopServices.openUrl(url)

    def _copy_message(self) -> None:
        if self._sent is not None:
            QApplication.clipboard().setText(message_text(self._sent))
            self.copy_button.setText(self.tr("Copied"))

    def _recheck(self, key: str) -> None:
        """Once an error shows, it goes away as soon as the field is fixed."""
        if self.errors[key].text():
            self._show_error(key, problems(self.entry(), _tr).get(key, ""))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_height()

    def _show_page(self, thanks: bool) -> None:
        self._form_page.setVisible(not thanks)
        self._thanks_page.setVisible(thanks)
        self._scroll.verticalScrollBar().setValue(0)
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
        thanks = self._thanks_page.isVisibleTo(self)
        page_layout = self._thanks_layout if thanks else self._form_layout
        page_layout.activate()
        margins = self._box.contentsMargins()
        inner = width - margins.left() - margins.right()
        needed = page_layout.totalHeightForWidth(inner) + margins.top() + margins.bottom()
        height = min(needed, screen.height() * 9 // 10)
        if self.height() < height or shrink or width != self.width():
            self.resize(width, max(height, self.height() if not shrink else 0))
        frame = self.frameGeometry()  # and all of it on the screen, title bar included
        x = max(screen.left(), min(frame.x(), screen.right() + 1 - frame.width()))
        y = max(screen.top(), min(frame.y(), screen.bottom() + 1 - frame.height()))
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def _show_error(self, key: str, message: str) -> None:
        label, field = self.errors[key], self.fields[key]
        label.setText(message)
        label.setVisible(bool(message))
        field.setAccessibleDescription(message or self._hints[key])
        field.setProperty("invalid", bool(message))
        field.style().polish(field)  # dynamic properties need a re-polish to restyle

    def _on_submit(self) -> None:
        entry = self.entry()
        errors = problems(entry, _tr)
        if not errors:
            try:
                self._submit(entry)
            except InvalidFeedback as exc:
                errors = exc.errors
            except (OutboxError, OSError) as exc:
                self.status.setText(self.tr(
                    "Your message could not be saved on this computer, so it has not been "
                    "sent. What you wrote is still here. Please tell a staff member. ({reason})"
                ).format(reason=exc))
                self.status.setProperty("role", "error")
                self.status.style().polish(self.status)
                self.status.show()
                announce(self, self.status.text())  # said at once, not only shown
                self.submit_button.setFocus()
                return
        for key in self.fields:
            self._show_error(key, errors.get(key, ""))
        self._fit_height()
        if errors:
            first = next(key for key in self.fields if key in errors)
            self.fields[first].setFocus()
            return
        self._sent = entry if self._own_program else None
        found = self._crisis_words.find(entry.comments, prefer=self._crisis.language)
        self.thanks_crisis.set_shown(found is not None, found.language if found else "")
        self.copy_button.setText(self.tr("Copy the message"))
        self.clear_all()
        self._show_page(thanks=True)
        self.thanks_label.setFocus()
        self.submitted.emit()
