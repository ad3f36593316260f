"""The feedback form and the outbox worker, offscreen, with a real outbox and SMTP server."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QPushButton  # noqa: E402
from smtp_helpers import Inbox, settings_for, smtp_server  # noqa: E402

from reader.config import SmtpSettings  # noqa: E402
from reader.outbox import OutboxError  # noqa: E402
from reader.ui.feedback_form import FeedbackForm  # noqa: E402
from reader.ui.sender import OutboxWorker  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
# the offscreen platform says this whenever a dialog is shown; it is not our warning
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def form(qtbot, outbox):
    widget = FeedbackForm(outbox.submit)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def fill(form, name="Ana", comments="This answer was clear.", email="", username=""):
    form.username.setText(username)
    form.name.setText(name)
    form.email.setText(email)
    form.comments.setPlainText(comments)


def visible_errors(form) -> dict[str, str]:
    return {key: label.text() for key, label in form.errors.items() if label.isVisible()}


def test_object_names_labels_and_sentences(form):
    assert form.objectName() == "feedbackForm"
    for name, kind in [("feedbackUsername", QLineEdit), ("feedbackName", QLineEdit),
                       ("feedbackEmail", QLineEdit), ("feedbackComments", QPlainTextEdit),
                       ("feedbackSubmit", QPushButton)]:
        assert isinstance(form.findChild(kind, name), kind)
    # a zero-width space lets the address wrap at 300 % text; it is invisible
    texts = [label.text().replace("\u200b", "") for label in form.findChildren(QLabel)]
    for text in ("Your Username", "Your Name (required)", "Your email (optional)",
                 "Your comments about this page"):
        assert text in texts
        buddy = next(lb for lb in form.findChildren(QLabel) if lb.text() == text).buddy()
        assert buddy is not None and buddy.accessibleName() == text
    joined = " ".join(texts)
    assert ("Use this form to tell us what you think of this page, or send an email to "
            "feedback@ketaminenetwork.org.") in joined
    assert "Your comments are private." in joined
    assert form.counter.text() == "0 / 5000"


def test_original_sentences_are_kept_literally_in_the_source():
    source = (REPO / "reader" / "feedback.py").read_text(encoding="utf-8")
    for sentence in (
        "Use the form below to critique this webpage, or send an email to "
        "feedback@ketaminenetwork.org.",
        "Use this form to tell us what you think of this page, or send an email to "
        "feedback@ketaminenetwork.org.",
        "Your comments are private.",
    ):
        assert sentence in source


def test_required_fields_and_inline_errors(form, outbox, qtbot):
    fill(form, name="   ", comments="", email="not an address")
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    errors = visible_errors(form)
    assert set(errors) == {"name", "email", "comments"}
    assert "name" in errors["name"] and "email" in errors["email"].lower()
    assert form.name.accessibleDescription() == errors["name"]
    assert form.name.hasFocus()
    assert outbox.status().queued == 0 and not form.showing_thanks()
    form.name.setText("Ana")  # fixing a field clears its message at once
    assert "name" not in visible_errors(form)
    assert form.name.accessibleDescription() == "Required."


def test_email_must_be_one_address(form, outbox):
    fill(form, email="ana@example.org, eve@example.org")
    form.submit_button.click()
    assert set(visible_errors(form)) == {"email"}
    form.email.setText("ana@example.org")
    form.submit_button.click()
    assert outbox.messages()[0].email == "ana@example.org"


def test_counter_and_limit(form, outbox):
    form.comments.setPlainText("x" * 12)
    assert form.counter.text() == "12 / 5000"
    fill(form, comments="y" * 5001)
    assert form.counter.text().startswith("5001 / 5000")
    form.submit_button.click()
    assert "5,000" in visible_errors(form)["comments"]
    assert outbox.status().queued == 0
    form.comments.setPlainText("y" * 5000)
    form.submit_button.click()
    assert outbox.status().queued == 1


def test_submit_stores_then_thanks_and_empties(form, outbox, qtbot):
    form.set_page("is-ketamine-safe", "Is ketamine safe?")
    assert form.page_label.text() == "About: Is ketamine safe?"
    fill(form, name="Ana", comments="שלום — thank you", email="ana@example.org", username="a1")
    with qtbot.waitSignal(form.submitted, timeout=2000):
        form.submit_button.click()
    [message] = outbox.messages()
    assert (message.name, message.username, message.email) == ("Ana", "a1", "ana@example.org")
    assert message.comments == "שלום — thank you"
    assert (message.page_id, message.page_title) == ("is-ketamine-safe", "Is ketamine safe?")
    assert form.showing_thanks() and "Thank you" in form.thanks_label.text()
    for field in (form.username, form.name, form.email):
        assert field.text() == "" and not field.isUndoAvailable()
        field.undo()
        assert field.text() == ""
    assert form.comments.toPlainText() == ""
    assert not form.comments.document().isUndoAvailable()
    form.comments.undo()
    assert form.comments.toPlainText() == ""
    form.reset()
    assert not form.showing_thanks() and form.counter.text() == "0 / 5000"


def test_thanks_only_after_storage_succeeds(qtbot):
    calls = []

    def broken(entry):
        calls.append(entry)
        raise OutboxError("outbox.sqlite3: cannot save the message: database or disk is full")

    form = FeedbackForm(broken)
    qtbot.addWidget(form)
    form.show()
    fill(form, comments="keep me")
    with qtbot.assertNotEmitted(form.submitted):
        form.submit_button.click()
    assert len(calls) == 1 and not form.showing_thanks()
    assert "could not be saved" in form.status.text() and "disk is full" in form.status.text()
    assert form.status.isVisible()
    assert form.comments.toPlainText() == "keep me" and form.name.text() == "Ana"


def test_clear_all_leaves_no_undo(form, qtbot):
    qtbot.keyClicks(form.name, "Typed Name")
    qtbot.keyClicks(form.comments, "typed words")
    assert form.name.isUndoAvailable()
    form.clear_all()
    form.name.undo()
    form.comments.undo()
    assert form.name.text() == "" and form.comments.toPlainText() == ""


# --- the worker ----------------------------------------------------------------------------


def test_worker_sends_in_the_background_and_reports_status(qtbot, outbox):
    form = FeedbackForm(outbox.submit)
    qtbot.addWidget(form)
    inbox = Inbox()
    with smtp_server(inbox) as server:
        worker = OutboxWorker(outbox, settings_for(server.port))
        statuses = []
        worker.statusChanged.connect(statuses.append)
        with qtbot.waitSignal(worker.deliveryFinished, timeout=5000):
            worker.start()
        fill(form, comments="from the window")
        form.submit_button.click()
        with qtbot.waitSignal(worker.deliveryFinished, timeout=5000) as blocker:
            worker.kick()
        assert blocker.args[0].sent == 1
        assert worker.stop()
    assert len(inbox.messages) == 1
    assert statuses[-1] == "No messages waiting"
    assert all("from the window" not in s for s in statuses)


def test_worker_reports_waiting_without_smtp(qtbot, outbox):
    outbox.submit(form_entry())
    outbox.submit(form_entry())
    worker = OutboxWorker(outbox, SmtpSettings())
    with qtbot.waitSignal(worker.statusChanged, timeout=1000) as blocker:
        worker.start()
    assert blocker.args == ["2 messages waiting (email is not set up)"]
    assert not worker.is_busy() and not worker._timer.isActive()
    assert worker.stop()


def test_worker_retries_on_its_timer(qtbot, outbox):
    outbox.submit(form_entry())
    with smtp_server(Inbox(replies=["451 later"])) as server:
        worker = OutboxWorker(outbox, settings_for(server.port))
        with qtbot.waitSignal(worker.deliveryFinished, timeout=5000) as blocker:
            worker.start()
        assert blocker.args[0].retrying == 1
        assert worker._timer.isActive()
        assert 55_000 <= worker._timer.remainingTime() <= 64_000  # coarse timer: ±5%
        assert "1 message waiting, next try at" in worker.status_text
        assert worker.stop() and not worker._timer.isActive()


def form_entry():
    from reader.feedback import FeedbackInput

    return FeedbackInput(name="Ana", comments="timer")


def test_at_300_percent_text_the_form_scrolls_and_nothing_overlaps(qtbot, form):
    form.setStyleSheet("QWidget { font-size: 31pt; }")  # what the window sets at 300 %
    form.show()
    qtbot.waitExposed(form)
    form.submit_button.click()  # every error line shows too
    qtbot.waitUntil(lambda: form.errors["name"].isVisible())
    page = form._form_page
    layout_items = [page.layout().itemAt(i) for i in range(page.layout().count())]
    widgets = []
    for item in layout_items:
        inner = item.layout()
        children = [inner.itemAt(j).widget() for j in range(inner.count())] if inner else \
            [item.widget()]
        widgets += [w for w in children if w is not None and w.isVisible()]
    tops = [(w.mapTo(page, w.rect().topLeft()).y(), w) for w in widgets]
    for (top, widget), (next_top, following) in zip(tops, tops[1:], strict=False):
        if widget.parent() is following.parent() and widget.y() != following.y():
            assert top + widget.height() <= next_top, (widget.objectName(),
                                                        following.objectName())
    assert form.height() <= form.screen().availableGeometry().height()
    assert page.height() > form.height()  # taller than the dialog: it scrolls


@pytest.mark.parametrize(("thanks", "heading", "rest"), [
    ("¡Gracias! Su mensaje está guardado.", "¡Gracias!", "Su mensaje está guardado."),
    ("Thank you. Saved <here> & kept.", "Thank you.", "Saved &lt;here&gt; &amp; kept."),
    ("Merci", "Merci", ""),
])
def test_the_thank_you_shows_whatever_its_translation_s_first_sentence(
        qtbot, outbox, monkeypatch, thanks, heading, rest):
    """A translation that does not start "Word. " ("¡Gracias! ...") used to raise while
    the form was built."""
    from reader.ui.feedback_form import Delivery

    monkeypatch.setattr(Delivery, "thanks", lambda self: thanks)
    form = FeedbackForm(outbox.submit)
    qtbot.addWidget(form)
    fill(form)
    form.submit_button.click()
    assert form.showing_thanks()
    shown = form.thanks_label.text()
    assert f"<b>{heading}</b>" in shown and f"<p>{rest}</p>" in shown
    assert form.thanks_label.accessibleName() == thanks
