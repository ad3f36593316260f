"""What a reader writes in the feedback form, and the checks shared by the form and the CLI.

The original page's form asked for Your Username, Your Name (required), Your email, and
Your comments about this page. Nothing a reader types ever becomes a mail header except the
email address, and only when it is one plain address (see `single_address`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for pyside6-lupdate; the form translates it when it shows it."""
    return text


# The original page's words, kept literally: the FAQ-fidelity check looks for them.
ORIGINAL_INTRO = "Use the form below to critique this webpage, or send an email to feedback@ketaminenetwork.org."  # noqa: E501
# What the form says instead: this reader is often offline, and has no "form below".
INTRO = QT_TRANSLATE_NOOP("feedback", "Use this form to tell us what you think of this page, or send an email to feedback@ketaminenetwork.org.")  # noqa: E501
PRIVACY = QT_TRANSLATE_NOOP("feedback", "Your comments are private.")

MAX_COMMENTS = 5000
MAX_LINE_FIELD = 200  # name, username, question title
MAX_EMAIL = 254

# RFC 5322 atext for the local part; no quoting, comments, brackets or lists.
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FeedbackInput:
    name: str
    comments: str
    email: str = ""
    username: str = ""
    page_id: str = ""
    page_title: str = ""
    language: str = "en"  # the language the reader was reading and writing in


class InvalidFeedback(ValueError):
    """One message per field that needs fixing: {"name": "...", ...}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def single_address(text: str) -> str | None:
    """The address in ASCII (IDN domains as punycode) if `text` is exactly one plain
    address such as ana@example.org; None for anything else: lists, display names,
    CR/LF, encoded words, comments or quoting."""
    if not text or len(text) > MAX_EMAIL or "=?" in text or text.count("@") != 1:
        return None
    local, domain = text.split("@")
    if not _LOCAL.match(local) or len(local) > 64:
        return None
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return None
    if labels[-1].isdigit():
        return None
    return f"{local}@{ascii_domain}"


def clean_body_text(text: str) -> str:
    """Comments as they go in the body: one kind of line break, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BODY_CONTROL.sub("", text).strip()


def clean_line(text: str) -> str:
    """A one-line field (name, username, title): line breaks and controls become spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def problems(entry: FeedbackInput, tr: Callable[[str], str] = str) -> dict[str, str]:
    """Field name -> a sentence saying what to fix; empty when the entry can be sent.
    `tr` translates the sentences (the form passes Qt's translation)."""
    errors: dict[str, str] = {}
    for key, label in (("username", QT_TRANSLATE_NOOP("feedback", "Your username")),
                       ("name", QT_TRANSLATE_NOOP("feedback", "Your name"))):
        value = getattr(entry, key)
        if not _storable(value):
            errors[key] = tr(QT_TRANSLATE_NOOP(
                "feedback", "{label} contains characters that cannot be saved.")).format(
                label=tr(label))
        elif len(value.strip()) > MAX_LINE_FIELD:
            errors[key] = tr(QT_TRANSLATE_NOOP(
                "feedback", "{label} can be at most {limit} characters.")).format(
                label=tr(label), limit=MAX_LINE_FIELD)
    if "name" not in errors and not clean_line(entry.name):
        errors["name"] = tr(QT_TRANSLATE_NOOP(
            "feedback", "Please enter your name (it can be a first name only)."))
    email = entry.email.strip()
    if email and single_address(email) is None:
        errors["email"] = tr(QT_TRANSLATE_NOOP(
            "feedback",
            "Please enter one email address such as name@example.org, or leave it empty."))
    comments = entry.comments
    if not _storable(comments):
        errors["comments"] = tr(QT_TRANSLATE_NOOP(
            "feedback", "Your comments contain characters that cannot be saved."))
    elif not clean_body_text(comments):
        errors["comments"] = tr(QT_TRANSLATE_NOOP("feedback", "Please write your comments."))
    elif len(comments) > MAX_COMMENTS:
        errors["comments"] = tr(QT_TRANSLATE_NOOP(
            "feedback", "Your comments are {count} characters; "
            "the limit is {limit}. Please shorten them.")).format(
            count=f"{len(comments):,}", limit=f"{MAX_COMMENTS:,}")
    if not _storable(entry.page_id + entry.page_title):
        errors["page"] = tr(QT_TRANSLATE_NOOP(
            "feedback", "The question id contains characters that cannot be saved."))
    return errors


def validated(entry: FeedbackInput) -> FeedbackInput:
    """The entry, tidied for storage; raises InvalidFeedback with every problem."""
    errors = problems(entry)
    if errors:
        raise InvalidFeedback(errors)
    return replace(
        entry,
        name=clean_line(entry.name),
        username=clean_line(entry.username),
        email=entry.email.strip(),
        comments=clean_body_text(entry.comments),
        page_id=clean_line(entry.page_id)[:MAX_LINE_FIELD],
        page_title=clean_line(entry.page_title)[:MAX_LINE_FIELD],
        language=entry.language if re.fullmatch(r"[a-z]{2}", entry.language) else "en",
    )


SUBJECT = "Feedback on the Ketamine FAQ"


def message_text(entry: FeedbackInput) -> str:
    """The message as a person would read or paste it: comments, then who wrote it."""
    entry = validated(entry)
    lines = [entry.comments, ""]
    if entry.page_title:
        lines.append(f"About the question: {entry.page_title}")
    who = entry.name + (f" (username {entry.username})" if entry.username else "")
    lines.append(f"From: {who}" + (f" <{entry.email}>" if entry.email else ""))
    return "\n".join(lines)


def mailto_url(entry: FeedbackInput, address: str) -> str:
    """A mailto: link that opens the reader's own email program with the message written;
    subject and body are percent-encoded whole, so nothing typed can add a header."""
    from urllib.parse import quote

    to = single_address(address)
    if to is None:
        raise ValueError(f"not one plain email address: {address!r}")
    title = clean_line(entry.page_title)
    subject = f"{SUBJECT}: {title}" if title else SUBJECT
    body = message_text(entry).replace("\n", "\r\n")  # RFC 6068: line breaks as %0D%0A
    return f"mailto:{to}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
