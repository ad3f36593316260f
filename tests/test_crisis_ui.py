"""The crisis card, the unanswered question, and honest feedback wording, in the real window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # until tests/conftest.py sets it

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPushButton

from reader.config import KioskSettings, Settings, SmtpSettings
from reader.crisis import CrisisText, crisis_matcher
from reader.ui.feedback_form import Delivery, FeedbackForm
from reader.ui.session import WindowPolicy
from reader.ui.window import MainWindow

CONTENT = Path(__file__).resolve().parent.parent / "content"
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def make_window(qtbot, new_session):
    windows = []

    def make(settings: Settings | None = None, kiosk: bool = False,
             language: str = "") -> MainWindow:
        session = new_session(settings=settings, language=language)
        policy = WindowPolicy(kiosk=True, remember=False,
                              crisis_note=session.settings.kiosk.crisis_note) if kiosk else None
        window = MainWindow(session, policy)
        qtbot.addWidget(window, before_close_func=lambda w: w.search_panel.wait_idle())
        window.open_initial(None)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.feedback_form is not None:
            window.feedback_form.close()
    windows.clear()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def type_search(qtbot, window, text):
    """Typed key by key into the search field, as a person does."""
    panel = window.search_panel
    panel.field.setFocus()
    with qtbot.waitSignal(panel.searched, timeout=10_000) as blocker:
        qtbot.keyClicks(panel.field, text)
    while panel.field.text() != text or blocker.args[0].query != text:  # a late answer
        with qtbot.waitSignal(panel.searched, timeout=10_000) as blocker:
            pass
    return blocker.args[0]


def card(widget) -> QFrame:
    return widget.findChild(QFrame, "crisisCard")


def test_crisis_card_above_results(qtbot, make_window):
    window = make_window()
    type_search(qtbot, window, "i want to kill myself")
    panel = window.search_panel
    shown = panel.crisis_card
    assert shown is card(panel) and shown.isVisible()
    line = shown.findChild(QLabel, "crisisLine")
    assert line.text().startswith("In crisis? Call or text 988")
    assert line.font().pointSizeF() > panel.field.font().pointSizeF() * 1.3  # large type
    assert shown.findChild(QLabel, "crisisDanger").text() == "If you are in danger now, call 911."
    assert shown.findChild(QLabel, "crisisStaffNote") is None  # not a kiosk
    assert panel.results.isVisible() and panel.results.count() >= 1  # results still below
    assert shown.geometry().bottom() <= panel.results.geometry().top()
    assert not panel.status.isVisible() or "Did you mean" not in panel.status.text()
    assert "988" in shown.accessibleName()  # what a screen reader speaks when it appears


def test_no_did_you_mean_for_a_misspelt_crisis(qtbot, make_window):
    window = make_window()
    response = type_search(qtbot, window, "sucidal thougths")
    assert response.crisis and response.suggestion is None
    assert window.search_panel.crisis_card.isVisible()
    assert "Did you mean" not in window.search_panel.status.text()


def test_card_goes_with_the_search(qtbot, make_window):
    window = make_window()
    type_search(qtbot, window, "suicide")
    assert window.search_panel.crisis_card.isVisible()
    qtbot.keyClick(window.search_panel.field, Qt.Key.Key_Escape)
    assert not window.search_panel.crisis_card.isVisible()
    type_search(qtbot, window, "kill pain")
    assert not window.search_panel.crisis_card.isVisible()


@pytest.mark.parametrize("screen, typed, own, other", [
    ("en", "no quiero vivir", "In crisis? Call or text 988", "marque 2 para español"),
    ("es", "i want to kill myself", "¿Está en crisis?", "In crisis? Call or text 988"),
    ("es", "dont wanna live", "¿Está en crisis?", "If you are in danger now, call 911."),
])
def test_the_other_language_is_caught_and_answered_in_both(qtbot, make_window, screen, typed,
                                                           own, other):
    window = make_window(language=screen)
    response = type_search(qtbot, window, typed)
    shown = window.search_panel.crisis_card
    assert response.crisis and response.suggestion is None and shown.isVisible()
    assert shown.findChild(QLabel, "crisisLine").text().startswith(own)
    extra = shown.findChild(QLabel, "crisisOtherLine")
    assert extra is not None and extra.isVisible() and other in extra.text()
    assert other in shown.accessibleName()
    window.search_panel.clear()
    type_search(qtbot, window, "suicidio" if screen == "es" else "suicide")  # the screen's own
    assert shown.isVisible() and not extra.isVisible()
    assert other not in shown.accessibleName()


def test_a_clinic_line_is_not_joined_by_the_contents_other_line(qtbot, make_window):
    from reader.config import ContentSettings

    settings = Settings(content=ContentSettings(crisis_line="Call the clinic on 555-0100."))
    window = make_window(settings)
    type_search(qtbot, window, "quiero morir")
    shown = window.search_panel.crisis_card
    assert shown.isVisible() and shown.findChild(QLabel, "crisisOtherLine") is None


def test_kiosk_card_has_the_staff_note(qtbot, make_window):
    note = "Tell the front desk, we are here to help."
    window = make_window(Settings(kiosk=KioskSettings(enabled=True, crisis_note=note)),
                         kiosk=True)
    type_search(qtbot, window, "suicidal")
    staff = window.search_panel.crisis_card.findChild(QLabel, "crisisStaffNote")
    assert staff is not None and staff.text() == note and staff.isVisible()


def test_staff_note_only_on_a_kiosk(qtbot, make_window):
    settings = Settings(kiosk=KioskSettings(crisis_note="Tell the front desk."))
    window = make_window(settings, kiosk=False)
    assert window.search_panel.crisis_card.findChild(QLabel, "crisisStaffNote") is None


def test_no_results_offers_to_ask(qtbot, make_window):
    window = make_window()
    type_search(qtbot, window, "pregnant")
    panel = window.search_panel
    status = panel.status.text()
    assert "No results for “pregnant”" in status and "2015" in status and "doctor" in status
    ask = panel.findChild(QPushButton, "askQuestionButton")
    assert ask.isVisible() and ask.text() == "Ask the Ketamine Advocacy Network"
    assert window.feedback_form is None  # only when tapped
    qtbot.mouseClick(ask, Qt.MouseButton.LeftButton)
    form = window.feedback_form
    assert form is not None and form.isVisible()
    assert "pregnant" in form.comments.toPlainText()
    assert form.focusWidget() is form.name  # the name is the field still to fill


def test_ask_button_hidden_when_there_are_results(qtbot, make_window):
    window = make_window()
    type_search(qtbot, window, "insurance")
    assert not window.search_panel.ask_button.isVisible()


@pytest.mark.parametrize("screen, typed, word", [
    ("en", "can i drive after treatment", "“drive”"),
    ("en", "is it safe while breastfeeding", "“breastfeeding”"),
    ("es", "puedo conducir despues del tratamiento", "“conducir”"),  # as keys type it
])
def test_a_partial_answer_says_so_before_the_related_answers(qtbot, make_window, screen, typed,
                                                             word):
    window = make_window(language=screen)
    response = type_search(qtbot, window, typed)
    panel = window.search_panel
    assert response.results and response.unmatched
    status = panel.status.text()
    assert panel.status.isVisible() and f"does not mention {word}" in status
    assert "doctor" in status
    assert panel.often_asked.isVisible() and panel.often_asked.text().startswith("Related answers")
    assert panel.status.geometry().bottom() <= panel.results.geometry().top()  # said first
    assert panel.often_asked.geometry().bottom() <= panel.results.geometry().top()
    ask = panel.ask_button
    assert ask.isVisible() and ask.width() >= ask.sizeHint().width()  # its label whole
    qtbot.mouseClick(ask, Qt.MouseButton.LeftButton)
    assert window.feedback_form is not None and typed in window.feedback_form.comments.toPlainText()


def test_the_ask_label_wraps_rather_than_being_cut(qtbot, make_window):
    window = make_window()
    type_search(qtbot, window, "pregnant")
    panel, ask = window.search_panel, window.search_panel.ask_button
    assert ask.sizeHint().width() <= panel.width()
    panel.setFixedWidth(170)  # a narrow column, or large kiosk text
    qtbot.waitUntil(lambda: "\n" in QPushButton.text(ask))  # the words it draws
    assert ask.geometry().right() < panel.width()  # every line whole, inside the panel
    assert ask.width() >= ask.minimumSizeHint().width()
    assert ask.height() >= ask.heightForWidth(ask.width())
    assert " ".join(QPushButton.text(ask).split()) == "Ask the Ketamine Advocacy Network"
    assert ask.text() == "Ask the Ketamine Advocacy Network"
    assert ask.accessibleName() == "Ask the Ketamine Advocacy Network"


def test_a_covered_question_and_a_crisis_never_get_the_note(qtbot, make_window):
    window = make_window()
    panel = window.search_panel
    type_search(qtbot, window, "how long does an infusion last")
    assert not panel.status.isVisible() and not panel.ask_button.isVisible()
    panel.clear()
    response = type_search(qtbot, window, "i want to drive off a bridge")
    assert response.crisis and panel.crisis_card.isVisible()
    assert "does not mention" not in panel.status.text()


def test_spravato_note_above_results(qtbot, make_window):
    window = make_window()
    type_search(qtbot, window, "spravato")
    panel = window.search_panel
    assert panel.note.isVisible() and "2019" in panel.note.text()
    assert "ask a doctor" in panel.note.text().lower()
    assert panel.note.geometry().bottom() <= panel.status.geometry().top()
    assert panel.ask_button.isVisible()


# --- the feedback form --------------------------------------------------------------


def make_form(qtbot, outbox, delivery: Delivery) -> FeedbackForm:
    form = FeedbackForm(outbox.submit, delivery=delivery,
                        crisis=CrisisText("In crisis? Call or text 988."),
                        crisis_words=crisis_matcher(CONTENT))
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def test_form_shows_the_card_as_soon_as_comments_hold_crisis_words(qtbot, outbox):
    form = make_form(qtbot, outbox, Delivery())
    shown = form.crisis_card
    assert shown.objectName() == "crisisCard" and not shown.isVisible()
    form.comments.setFocus()
    qtbot.keyClicks(form.comments, "Thanks. Some days I feel sucidal")
    qtbot.waitUntil(shown.isVisible, timeout=2000)
    assert "read days later" in shown.findChild(QLabel, "crisisFormNote").text()
    assert shown.findChild(QLabel, "crisisLine").text() == "In crisis? Call or text 988."
    for _ in range(len("sucidal")):
        qtbot.keyClick(form.comments, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not shown.isVisible(), timeout=2000)


def test_form_on_the_english_screen_answers_spanish_crisis_words_in_both(qtbot, outbox):
    from reader.content import crisis_text, load_document

    form = FeedbackForm(outbox.submit, delivery=Delivery(),
                        crisis=crisis_text(load_document(CONTENT)),
                        crisis_words=crisis_matcher(CONTENT))
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.comments.setFocus()
    qtbot.keyClicks(form.comments, "gracias pero ya no quiero vivir")
    shown = form.crisis_card
    qtbot.waitUntil(shown.isVisible, timeout=2000)
    other = shown.findChild(QLabel, "crisisOtherLine")
    assert other.isVisible() and "marque 2 para español" in other.text()
    assert shown.findChild(QLabel, "crisisLine").text().startswith("In crisis? Call or text 988")
    qtbot.keyClicks(form.name, "Ana")
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert form.showing_thanks() and "marque 2 para español" in form.thanks_crisis.message()


def test_thank_you_repeats_the_line(qtbot, outbox):
    form = make_form(qtbot, outbox, Delivery())
    qtbot.keyClicks(form.name, "Ana")
    qtbot.keyClicks(form.comments, "I want to end my life")
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert form.showing_thanks()
    assert form.thanks_crisis.isVisible()
    assert "988" in form.thanks_crisis.message()
    form.reset()
    assert not form.thanks_crisis.isVisible() and not form.crisis_card.isVisible()


def test_no_card_in_the_thank_you_for_ordinary_feedback(qtbot, outbox):
    form = make_form(qtbot, outbox, Delivery())
    qtbot.keyClicks(form.name, "Ana")
    qtbot.keyClicks(form.comments, "The answer on insurance helped.")
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert form.showing_thanks() and not form.thanks_crisis.isVisible()


def test_wording_with_email_configured(qtbot, outbox):
    form = make_form(qtbot, outbox, Delivery(recipient="feedback@ketaminenetwork.org"))
    privacy = form.findChild(QLabel, "feedbackPrivacy").text()
    assert "sent to feedback@ketaminenetwork.org when this computer is online" in privacy
    qtbot.keyClicks(form.name, "Ana")
    qtbot.keyClicks(form.comments, "Clear answers.")
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    thanks = form.thanks_label.text()
    assert "will be sent to feedback@ketaminenetwork.org" in thanks
    assert not form.mail_button.isVisible() and not form.copy_button.isVisible()


class MailProgram(QObject):
    """Stands where the system's email program is: Qt hands it the mailto: URL."""

    def __init__(self):
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def mail_program():
    program = MailProgram()
    QDesktopServices.setUrlHandler("mailto", program, "open")
    yield program
    QDesktopServices.unsetUrlHandler("mailto")


def test_wording_without_email_and_own_mail_program(qtbot, outbox, mail_program):
    form = make_form(qtbot, outbox, Delivery())
    privacy = form.findChild(QLabel, "feedbackPrivacy").text()
    assert "Email is not set up on this computer" in privacy and "saved here only" in privacy
    assert "will be emailed" not in privacy
    qtbot.keyClicks(form.name, "Ana")
    qtbot.keyClicks(form.comments, "Please add a page on cost & insurance?")
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    thanks = form.thanks_label.text()
    assert "saved on this computer only" in thanks and "has not been sent" in thanks
    assert form.mail_button.isVisible() and form.copy_button.isVisible()
    qtbot.mouseClick(form.mail_button, Qt.MouseButton.LeftButton)
    assert len(mail_program.urls) == 1
    url = mail_program.urls[0]
    assert url.scheme() == "mailto" and url.path() == "feedback@ketaminenetwork.org"
    encoded = bytes(url.toEncoded()).decode()
    assert "body=Please%20add%20a%20page%20on%20cost%20%26%20insurance%3F" in encoded
    qtbot.mouseClick(form.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert copied.startswith("Please add a page on cost & insurance?") and "From: Ana" in copied
    QApplication.clipboard().clear()
    form.reset()
    assert form._sent is None  # nothing of the message is kept once the form starts over


def test_kiosk_never_offers_the_mail_program(qtbot, make_window, mail_program):
    window = make_window(Settings(kiosk=KioskSettings(enabled=True)), kiosk=True)
    window.open_feedback()
    form = window.feedback_form
    qtbot.keyClicks(form.name, "Ana")
    qtbot.keyClicks(form.comments, "Clear.")
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert form.showing_thanks()
    assert not form.mail_button.isVisible() and not form.copy_button.isVisible()
    form.mail_button.click()  # even if reached somehow, nothing is kept to send
    assert mail_program.urls == []


def test_window_wording_follows_the_smtp_settings(qtbot, make_window):
    window = make_window(Settings(smtp=SmtpSettings(host="smtp.example.org",
                                                    recipient="team@example.org")))
    window.open_feedback()
    privacy = window.feedback_form.findChild(QLabel, "feedbackPrivacy").text()
    assert "sent to team@example.org" in privacy


def test_username_is_explained(qtbot, outbox):
    form = make_form(qtbot, outbox, Delivery())
    hint = form.findChild(QLabel, "feedbackUsernameHint")
    assert hint.isVisible() and "website and forums" in hint.text()
    assert "website and forums" in form.username.accessibleDescription()
