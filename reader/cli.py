"""Command-line subcommands: search, feedback, outbox, content, config, kiosk, handout,
read-aloud.

Never imports QtWidgets: these run from scripts and schedulers and must start fast.
Exit codes (sysexits where one fits): 0 done; 2 bad input or usage (reason on stderr); 75
(EX_TEMPFAIL) some messages wait for a later try: the server could not be reached or said
4xx; 78 (EX_CONFIG) a setup problem only staff can mend: email not set up, no or a wrong
password, a certificate not trusted (the messages are kept); 1 a permanent failure.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from reader.config import ConfigError, Settings, load_config
from reader.content import (
    ContentError,
    Document,
    choose_language,
    load_document,
    translations,
)
from reader.paths import Paths, add_location_options, resolve_paths

if TYPE_CHECKING:
    from reader.outbox import Message, Outbox

    _Commands: TypeAlias = "argparse._SubParsersAction[_SubParser]"

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TEMPFAIL, EXIT_CONFIG = 0, 1, 2, 75, 78
COMMANDS = ("search", "feedback", "outbox", "content", "config", "kiosk", "handout",
            "read-aloud")


class UsageError(Exception):
    """Bad input: printed on stderr, exit code 2."""


def fail(message: str) -> int:
    for line in message.splitlines():
        print(f"error: {line}", file=sys.stderr)
    return EXIT_USAGE


class Context:
    """What a subcommand needs, loaded only when it asks for it."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.paths: Paths = resolve_paths(args.content, args.data_dir, args.config)
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        """reader.toml as the window reads it: each problem a warning, defaults for it."""
        if self._settings is None:
            self._settings = load_config(self.paths.config_file)
            for problem in self._settings.problems:
                print(f"warning: {problem}", file=sys.stderr)
        return self._settings

    @property
    def language(self) -> str:
        language, warning = choose_language(self.paths.content_dir, self.args.lang or "",
                                            self.settings.reader.language)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
        return language
    def checked_settings(self) -> Settings:
        """reader.toml for the outbox commands, clinic IT's tools: any problem is exit 2."""
        if self._settings is None:
            self._settings = load_config(self.paths.config_file)
        return self._settings.checked()

    def document(self) -> Document:
        document = load_document(self.paths.content_dir, self.settings.content.crisis_line,
                                 self.settings.content.danger_line, self.language)
        for problem in document.problems:
            print(f"warning: {problem}", file=sys.stderr)
        return document


# --- content ---------------------------------------------------------------


def cmd_content_check(ctx: Context) -> int:
    from reader.content import check_document
    from reader.crisis import crisis_problems

    settings = ctx.settings
    document = load_document(ctx.paths.content_dir, settings.content.crisis_line,
                             settings.content.danger_line, ctx.language)
    problems = [*document.problems, *check_document(document),
                *crisis_problems(ctx.paths.content_dir)]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    language = "" if document.language == "en" else f" ({document.language})"
    print(f"{len(document.sections)} sections in {ctx.paths.content_dir}{language}"
          + (f"; {len(problems)} problem(s)" if problems else ""))
    broken = check_translations(ctx, document)
    return EXIT_USAGE if problems or broken else EXIT_OK


def check_translations(ctx: Context, document: Document) -> bool:
    """Name, for each translation, the ids it lacks (shown in the original) and the ids
    only it has; True when a translation has problems of its own."""
    folder, broken = ctx.paths.content_dir, False
    if document.language != "en":
        return False  # a translation was asked for: its problems are the document's
    original = {s.id for s in document.sections}
    for language in translations(folder):
        translated = load_document(folder, language=language)
        for problem in translated.problems:  # what Spanish readers get wrong: an error
            print(f"error: {language}: {problem}", file=sys.stderr)
        broken = broken or bool(translated.problems)
        own = {s.id for s in translated.sections if not s.fallback}
        missing = translated.untranslated
        extra = sorted(own - original)
        print(f"{language}: {len(own & original)} of {len(original)} sections translated")
        if missing:
            print(f"{language}: not translated yet, shown in the original: {', '.join(missing)}")
        if extra:
            print(f"{language}: not in the original: {', '.join(extra)}")
    return broken


def add_content_commands(sub: _Commands) -> None:
    content = sub.add_parser("content", help="check a content folder")
    content_sub = content.add_subparsers(dest="action", required=True)
    check = content_sub.add_parser(
        "check", help="report what breaks reading: unreadable files, malformed {#ids}, links "
                      "to missing ids, empty answers, titles used twice (exit 2, file:line)")
    check.set_defaults(func=cmd_content_check)


# --- config ----------------------------------------------------------------


def cmd_config_check(ctx: Context) -> int:
    """The settings in effect as reader.toml text (never the password), then every problem."""
    import os
    from dataclasses import fields

    path = ctx.paths.config_file
    settings = load_config(path)
    ctx._settings = settings  # its problems are this command's errors, not warnings too
    named = getattr(ctx.args, "config", None) or os.environ.get("KFR_CONFIG")
    print(f"# {path}" + ("" if settings.source else " does not exist: every setting is its "
                                                    "default"))
    problems = list(settings.problems)
    if named and not settings.source:  # a mistyped --config is not "no problems"
        option = "--config" if getattr(ctx.args, "config", None) else "KFR_CONFIG"
        problems.insert(0, f"{path}: does not exist (named by {option}); check the path, or "
                           "leave it out to use the default")
    problems += _password_problems(settings)
    notes = _config_notes(ctx, settings, os.environ)
    for section in ("smtp", "kiosk", "reader", "content"):
        table = getattr(settings, section)
        print(f"\n[{section}]" + (f"  # {notes[section]}" if section in notes else ""))
        for item in fields(table):
            if item.name == "exit_pin_hash":  # not secret, but of no use to read
                value = '"(set, not shown)"' if table.exit_pin_hash else '""'
            else:
                value = _toml_value(getattr(table, item.name))
            note = notes.get(f"{section}.{item.name}")
            print(f"{item.name} = {value}" + (f"  # {note}" if note else ""))
    print(flush=True)  # before stderr's lines, for a reader of both
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr, flush=True)
    if problems:
        print(f"# {len(problems)} problem(s), named on stderr; the reader uses the "
              "settings above, with defaults in their place")
        return EXIT_USAGE
    print("# no problems")
    return EXIT_OK


def _password_problems(settings: Settings) -> list[str]:
    """The password source [smtp] names, where this command runs or where the kiosk's unit
    will find it; the message says which and how to mend it."""
    import os

    from reader.mailer import password_problem
    from reader.service import SECRETS_DIR

    smtp, where = settings.smtp, f"{settings.source}: [smtp]"
    if not (smtp.configured and smtp.username):
        return []
    if smtp.password_credential:
        if os.environ.get("CREDENTIALS_DIRECTORY"):
            problem = password_problem(smtp)
            return [f"{where} password_credential: {problem}"] if problem else []
        stored = SECRETS_DIR / smtp.password_credential
        if stored.exists() or stored.with_name(stored.name + ".cred").exists():
            return []  # the unit loads it; only root can read it, which is right
        return [f"{where} password_credential names {smtp.password_credential!r}, but "
                f"{stored} does not exist; write the password there (root, mode 0600), "
                "see README: Email from a kiosk"]
    if not smtp.password_env:
        return [f"{where} username needs a password: set password_env (an environment "
                "variable) or password_credential (a systemd credential)"]
    if not os.environ.get(smtp.password_env):
        return [f"{where} password_env names {smtp.password_env}, which is not set here; "
                f"check with it set, e.g. sudo sh -c 'set -a; . {SECRETS_DIR}/smtp.env; "
                "main.py config check'"]
    return []


def _toml_value(value: object) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '""'
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _config_notes(ctx: Context, settings: Settings, environ: Mapping[str, str]) -> dict[str, str]:
    smtp, kiosk = settings.smtp, settings.kiosk
    if smtp.configured:
        email = f"email: to {smtp.recipient} through {smtp.host}:{smtp.port}"
    elif any("[smtp]" in problem for problem in settings.problems):
        email = "email: off, [smtp] has a mistake (named below): feedback waits in the outbox"
    else:
        email = "email: not configured (no host): feedback waits in the outbox"
    notes = {
        "smtp": email,
        "kiosk": ("a kiosk at every start" if kiosk.enabled
                  else "a kiosk only when started with --kiosk"),
        "kiosk.exit_pin_hash": ("staff can close the kiosk with the PIN" if kiosk.exit_pin_hash
                                else "no PIN: nothing in the kiosk leads out "
                                     "(main.py kiosk set-pin sets one)"),
        "kiosk.volume": _volume_note(kiosk.volume, ctx.language),
        "smtp.sender": "" if smtp.sender else "empty: mail is sent from the recipient address",
        "smtp.ca_file": "" if smtp.ca_file else "the system's certificates",
        "reader.language": "" if settings.reader.language else "the system's language",
    }
    if smtp.password_env:
        where = "is set" if environ.get(smtp.password_env) else "is NOT set"
        notes["smtp.password_env"] = f"the password is read from it; here it {where}"
    elif smtp.password_credential:
        notes["smtp.password_credential"] = "the password is read from this systemd credential"
    elif smtp.username:
        notes["smtp.password_env"] = "missing: a username needs a password_env"
    if not settings.content.crisis_line:
        try:
            own = load_document(ctx.paths.content_dir).metadata.crisis_line
        except ContentError:
            own = ""
        notes["content.crisis_line"] = f"the content's own: {own}" if own else "none"
    return notes


def _volume_note(volume: int, language: str) -> str:
    """What the kiosk's read aloud will do: off, or which voice at how loud."""
    from reader import speech

    if volume == 0:
        return "read aloud is off on the kiosk (no button)"
    try:
        voice = speech.find_voice(language)
    except speech.NoVoice as exc:
        return f"no button on the kiosk: {exc}"
    return f"read aloud at {volume} % of the voice's loudness, voice {voice.name} ({voice.program})"


def add_config_commands(sub: _Commands) -> None:
    config = sub.add_parser("config", help="check reader.toml")
    config_sub = config.add_subparsers(dest="action", required=True)
    check = config_sub.add_parser(
        "check", help="print the settings in effect (never the password) and every problem "
                      "(exit 0 none, 2 some)")
    check.set_defaults(func=cmd_config_check)


# --- read aloud ------------------------------------------------------------


def cmd_read_aloud(ctx: Context) -> int:
    """An answer, its title first, spoken into a WAV by the window's engine and voice."""
    import json

    from reader import speech

    args = ctx.args
    document = ctx.document()
    section = document.get(args.id)
    if section is None:
        raise UsageError(f"there is no question with the id {args.id!r} (main.py search "
                         "--json shows the ids)")
    language = "en" if section.fallback else document.language
    if not speech.RATES[0] <= args.rate <= speech.RATES[-1]:
        raise UsageError(f"--rate must be between {speech.RATES[0]} and {speech.RATES[-1]} "
                         f"words a minute, not {args.rate}")
    wav = Path(args.wav)
    if not wav.parent.is_dir():
        raise UsageError(f"{wav.parent} is not a folder, so {wav.name} cannot be written there")
    if wav.is_dir():
        raise UsageError(f"{wav} is a folder: name the WAV file to write in it, e.g. "
                         f"--wav {wav / (args.id + '.wav')}")
    try:
        voice = speech.find_voice(language)
    except speech.NoVoice as exc:
        raise UsageError(str(exc)) from None
    try:
        made = speech.render_wav(speech.answer_text(section.title, section.text), voice, wav,
                                 args.rate)
    except (OSError, ValueError) as exc:
        print(f"error: {wav}: the voice could not be written ({exc})", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps({"id": section.id, "lang": language, "seconds": round(made.seconds, 2),
                      "wav": str(wav), "engine": speech.PROGRAM, "voice": voice.name,
                      "rate": args.rate, "sentences": made.sentences, "words": made.words},
                     ensure_ascii=False))
    return EXIT_OK


def add_read_aloud_commands(sub: _Commands) -> None:
    from reader.speech import DEFAULT_RATE

    read = sub.add_parser(
        "read-aloud", help="speak an answer into a WAV file, as the window reads it aloud",
        description="Speak a question and its answer into a WAV file with the reader's own "
                    "voice (espeak-ng), for a phone line, a website or a recording. Prints one "
                    "JSON line: id, lang, seconds, voice. Exit 2 when no voice for the "
                    "language is installed.")
    read.add_argument("id", metavar="ID", help="the question's id, e.g. is-ketamine-safe")
    read.add_argument("--wav", metavar="FILE", required=True, help="the WAV file to write")
    read.add_argument("--rate", type=int, default=DEFAULT_RATE, metavar="WPM",
                      help=f"words a minute (default {DEFAULT_RATE})")
    read.set_defaults(func=cmd_read_aloud)


# --- search ----------------------------------------------------------------


def cmd_search(ctx: Context) -> int:
    import json

    from reader.content import crisis_text
    from reader.search import SearchIndex, marked_text

    args = ctx.args
    query = " ".join(args.query).strip()
    if not query:
        raise UsageError("nothing to search for; try: main.py search side effects")
    if args.limit < 1:
        raise UsageError(f"--limit must be at least 1, not {args.limit}")
    document = ctx.document()
    ctx.paths.ensure_data_dir()
    index = SearchIndex.open(document, ctx.paths.search_cache_dir)
    response = index.search(query, args.limit)
    for problem in index.problems:  # a cache left alone: the answer is still whole
        print(f"warning: {problem}", file=sys.stderr)
    meta = document.metadata
    crisis = None
    if response.crisis:  # with the line in the language typed in, when it is not --lang's
        text = crisis_text(document, others=not ctx.settings.content.crisis_line)
        crisis = text.message(response.crisis_language or "")
    if args.json:
        out = {
            "query": response.query,
            "results": [
                {"id": h.id, "title": h.title, "snippet": marked_text(h.snippet), "score": h.score}
                for h in response.results
            ],
            "crisis": crisis,
            "suggestion": response.suggestion,
            "note": response.note,
            "unmatched": response.unmatched,
        }
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    if crisis:
        print(f"*** {crisis} ***\n")
    if response.note:
        print(f"Note: {response.note}\n")
    if not response.results:
        print(f"No results for \u201c{response.query}\u201d. This FAQ (written in "
              f"{meta.text_date or 'the past'}) does not cover it; please ask a doctor.")
    elif response.unmatched and not crisis:
        named = " or ".join(f"\u201c{word}\u201d" for word in response.unmatched[:3])
        print(f"This FAQ does not mention {named}. Please ask a doctor. Related answers:")
    elif response.suggestion:
        print(f"Showing results for \u201c{response.query}\u201d.")
    if response.suggestion:
        print(f"Did you mean \u201c{response.suggestion}\u201d?")
    for number, hit in enumerate(response.results, 1):
        print(f"{number}. {hit.title}  ({hit.id})")
        print(f"   {marked_text(hit.snippet)}")
    return EXIT_OK


def add_search_commands(sub: _Commands) -> None:
    search = sub.add_parser(
        "search",
        help="search the questions and answers",
        description="Search the FAQ. Matched words are shown [in brackets].",
    )
    search.add_argument("--json", action="store_true", help="print the results as JSON")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results")
    search.add_argument("query", nargs="*", metavar="QUERY", help="words to look for")
    search.set_defaults(func=cmd_search)


# --- feedback and outbox ---------------------------------------------------


def _open_outbox(ctx: Context) -> Outbox:
    from reader.outbox import Outbox

    return Outbox.open(ctx.paths)


def cmd_feedback_submit(ctx: Context) -> int:
    from reader.feedback import FeedbackInput, InvalidFeedback

    args = ctx.args
    try:
        comments = sys.stdin.read() if args.comments == "-" else args.comments
    except UnicodeDecodeError:
        raise UsageError("--comments -: standard input is not UTF-8 text") from None
    title = ""
    if args.page:
        try:
            document = load_document(ctx.paths.content_dir)
        except ContentError:
            document = None  # the id is still worth recording
        if document is not None:
            section = document.get(args.page)
            if section is None:
                raise UsageError(f"--page: no question has the id {args.page!r}")
            title = section.title
    entry = FeedbackInput(name=args.name, comments=comments, email=args.email or "",
                          username=args.username or "", page_id=args.page or "",
                          page_title=title, language=ctx.language)
    try:
        with _open_outbox(ctx) as outbox:
            message_id = outbox.submit(entry)
    except InvalidFeedback as exc:
        raise UsageError(" ".join(exc.errors.values())) from None
    smtp = ctx.settings.smtp
    if smtp.configured:
        print(f"saved {message_id}; it will be sent to {smtp.recipient} when this computer is "
              "online ('outbox send' tries now)")
    else:
        print(f"saved {message_id} on this computer only: email is not set up ([smtp] in "
              f"{ctx.paths.config_file}); 'outbox export DIR' writes it out to send elsewhere")
    return EXIT_OK


def cmd_outbox_status(ctx: Context) -> int:
    import json
    import time

    smtp = ctx.checked_settings().smtp
    with _open_outbox(ctx) as outbox:
        status = outbox.status()
        failed = outbox.messages("failed") if status.failed and not ctx.args.json else []
    if ctx.args.json:
        print(json.dumps({**status.as_json(), "email_configured": smtp.configured}))
        return EXIT_OK
    line = status.describe()
    if status.next_attempt is not None:
        line += f"; next attempt {status.as_json()['next_attempt']}"
    print(line)
    if status.sending:  # a live sender, or one that was killed: it is not delivered yet
        print(f"{status.sending} being sent now, or held by a sender that stopped; not "
              f"delivered yet: back in the queue when the lease ends at "
              f"{status.as_json()['sending_until']}")
    if status.last_error:
        print(f"last error: {status.last_error}")
    if failed:
        print("failed for good (kept; 'outbox retry' queues them again once the setting "
              "is fixed):")
        for message in failed:
            written = time.strftime("%Y-%m-%d %H:%M", time.gmtime(message.created))
            print(f"  --id {message.id}  written {written} UTC: {message.last_error}")
    if smtp.configured:
        print(f"email: to {smtp.recipient} through {smtp.host}:{smtp.port} ({smtp.security})")
    else:
        print(f"email: not configured (no [smtp] host in {ctx.paths.config_file}); "
              "messages wait in the outbox")
    return EXIT_OK


def cmd_outbox_send(ctx: Context) -> int:
    from reader.mailer import deliver_pending

    smtp = ctx.checked_settings().smtp
    with _open_outbox(ctx) as outbox:
        if not smtp.configured:
            waiting = outbox.status().waiting
            if not waiting:
                print("nothing to send")
                return EXIT_OK
            print(f"error: email is not set up: add an [smtp] section with a host to "
                  f"{ctx.paths.config_file}; {waiting} message(s) kept in the outbox",
                  file=sys.stderr)
            return EXIT_CONFIG
        report = deliver_pending(outbox, smtp, ignore_backoff=True)
        stranded = _failed_count(outbox)
    print(report.describe())
    if stranded:  # "0 sent" alone would read as "all done" in a cron mail
        print(f"note: {stranded} message(s) failed for good and are kept: 'outbox status' "
              "lists them with the server's reason; once [smtp] is fixed, 'outbox retry' "
              "queues them again", file=sys.stderr)
    if report.setup:  # trying again cannot help: say so, and what to mend
        print(f"error: a setup problem, not a passing one: {report.error}; the messages are "
              f"kept. Fix [smtp] in {ctx.paths.config_file} (main.py config check), then run "
              "outbox send again", file=sys.stderr)
        return EXIT_CONFIG
    if report.failed:
        return EXIT_FAILED
    return EXIT_TEMPFAIL if report.waiting else EXIT_OK


def _failed_count(outbox: Outbox) -> int:
    from reader.outbox import OutboxError

    try:
        return outbox.status().failed
    except OutboxError:
        return 0


def cmd_outbox_retry(ctx: Context) -> int:
    """Queue again what failed for good (a 5xx, or seven days of trying), due at once."""
    row_id = ctx.args.id
    with _open_outbox(ctx) as outbox:
        if row_id is not None:
            state = outbox.state_of(row_id)
            if state != "failed":
                why = ("there is no such message (delivered, exported, or never there)"
                       if state is None else f"it has not failed: it is {state}")
                raise UsageError(f"--id {row_id}: {why}; 'outbox status' lists the failed "
                                 "ones")
        count = outbox.requeue_failed(row_id)
    if not count:
        print("no failed messages: nothing to queue again")
        return EXIT_OK
    print(f"{count} message(s) queued again; 'outbox send' sends them now (the reader also "
          "does, when it runs)")
    return EXIT_OK


def cmd_outbox_export(ctx: Context) -> int:
    import os
    import time
    import uuid

    from reader.mailer import MailError, build_message

    smtp = ctx.checked_settings().smtp
    folder = Path(ctx.args.dir)
    try:  # a new folder is private; one the user already has is left as it is
        folder.mkdir(parents=True, mode=0o700)
    except FileExistsError:
        pass
    else:
        os.chmod(folder, 0o700)  # whatever the umask
    state = "failed" if ctx.args.failed else "queued"
    token, written = uuid.uuid4().hex, 0
    with _open_outbox(ctx) as outbox:
        try:
            for listed in outbox.messages(state):
                message: Message | None = listed
                if state == "queued":  # hold it so that no sender mails it meanwhile
                    message = outbox.claim(listed.id, token, time.time(), 600,
                                           ignore_backoff=True)
                if message is None:
                    continue
                try:
                    data = build_message(message, smtp).as_bytes()
                    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(message.created))
                    _write_synced(folder / f"{stamp}-{message.message_id[1:33]}.eml", data)
                except (MailError, OSError) as exc:
                    if state == "queued":
                        outbox.release(message, token)
                    print(f"error: cannot export {message.message_id}: {exc}", file=sys.stderr)
                    return EXIT_FAILED
                if ctx.args.keep and state == "queued":
                    outbox.release(message, token)
                elif not ctx.args.keep:
                    outbox.delete(message, token if state == "queued" else None)
                written += 1
        finally:  # also after an error: what was exported and deleted leaves the WAL
            outbox.purge_deleted()
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    kept = "kept in" if ctx.args.keep else "removed from"
    print(f"exported {written} message(s) to {folder}; {kept} the outbox")
    return EXIT_OK


def _write_synced(path: Path, data: bytes) -> None:
    """Write the whole file, private (0600), on disk before it takes its name. On any
    error the temporary file is removed: no part of a message stays behind."""
    from reader.paths import write_atomically

    write_atomically(path, data)


def _outbox_errors(func: Callable[[Context], int]) -> Callable[[Context], int]:
    def run(ctx: Context) -> int:
        from reader.outbox import OutboxError

        try:
            return func(ctx)
        except OutboxError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        except OSError as exc:
            print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAILED

    return run


def add_feedback_commands(sub: _Commands) -> None:
    feedback = sub.add_parser("feedback", help="leave feedback for the Ketamine Advocacy Network")
    feedback_sub = feedback.add_subparsers(dest="action", required=True)
    submit = feedback_sub.add_parser(
        "submit", help="save a message in the outbox; it is emailed when possible"
    )
    submit.add_argument("--name", required=True, help="your name (required)")
    submit.add_argument("--email", help="your email, if you want a reply")
    submit.add_argument("--username", help="your username")
    submit.add_argument("--page", metavar="ID", help="the question the comments are about")
    submit.add_argument("--comments", required=True, metavar="TEXT|-",
                        help="your comments, at most 5000 characters; '-' reads them from stdin")
    submit.set_defaults(func=_outbox_errors(cmd_feedback_submit))

    outbox = sub.add_parser("outbox", help="feedback waiting to be emailed")
    outbox_sub = outbox.add_subparsers(dest="action", required=True)
    status = outbox_sub.add_parser("status", help="how many messages wait (never their text)")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(func=_outbox_errors(cmd_outbox_status))
    send = outbox_sub.add_parser(
        "send", help="try every queued message now (exit 0 sent, 75 some wait for a later "
                     "try, 78 a setup problem such as no password, 1 some failed for good)"
    )
    send.set_defaults(func=_outbox_errors(cmd_outbox_send))
    retry = outbox_sub.add_parser(
        "retry", help="queue the messages that failed for good again, once the setting is "
                      "fixed ('outbox status' lists them)")
    retry.add_argument("--id", type=int, metavar="N", help="only the message with this id")
    retry.set_defaults(func=_outbox_errors(cmd_outbox_retry))
    export = outbox_sub.add_parser(
        "export", help="write each queued message as an .eml file to send from elsewhere"
    )
    export.add_argument("dir", metavar="DIR")
    export.add_argument("--keep", action="store_true", help="keep the messages in the outbox")
    export.add_argument("--failed", action="store_true",
                        help="export the messages that failed permanently instead")
    export.set_defaults(func=_outbox_errors(cmd_outbox_export))


# --- kiosk -----------------------------------------------------------------


def _read_new_pin(from_stdin: bool) -> str:
    """The new PIN, typed twice at a terminal; Ctrl-D or an empty line is no PIN."""
    if from_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise UsageError("no PIN given (standard input is empty); nothing was changed")
        return line.rstrip("\r\n")
    import getpass

    from reader.kiosk import pin_problem

    try:
        pin = getpass.getpass("New staff exit PIN (4 to 12 digits): ")
        if pin and not pin_problem(pin) and getpass.getpass("The same PIN again: ") != pin:
            raise UsageError("the two PINs differ; nothing was changed")
    except EOFError:  # Ctrl-D
        print(file=sys.stderr)
        raise UsageError("no PIN given (input ended); nothing was changed") from None
    return pin


def cmd_kiosk_set_pin(ctx: Context) -> int:
    from reader.kiosk import PinError, hash_pin, pin_problem, weak_pin, write_pin_hash

    pin = _read_new_pin(ctx.args.pin_stdin)
    if not pin.strip():
        raise UsageError("no PIN was typed; nothing was changed. Type 4 to 12 digits")
    problem = pin_problem(pin)
    if problem:
        raise UsageError(f"{problem} Nothing was changed.")
    weak = weak_pin(pin)
    if weak:
        raise UsageError(f"that PIN is too easy to guess: {weak}. Choose another; nothing "
                         "was changed")
    try:
        write_pin_hash(ctx.paths.config_file, hash_pin(pin))
    except PinError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"error: {exc.filename or ctx.paths.config_file}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_FAILED
    print(f"exit PIN saved in {ctx.paths.config_file} ([kiosk] exit_pin_hash); "
          "a running kiosk uses it after a restart")
    return EXIT_OK


def cmd_kiosk_service(ctx: Context) -> int:
    """Print or write the kiosk's unit, having checked that its user can run and read what
    it names and write its data folder; every problem is named and exit 2."""
    import os

    from reader import APP_ID
    from reader.service import (
        SECRETS_DIR,
        SENDER_NAME,
        UNIT_PATH,
        ServiceError,
        ServiceSpec,
        access_problem,
        account_of,
        password_source,
        reader_command,
        sender_units,
        unit_text,
        write_unit,
    )

    args = ctx.args
    if args.user == "nobody":
        raise UsageError("refusing user nobody: it is shared by every daemon that wants no "
                         "rights, so whatever the kiosk keeps (the outbox) would be theirs "
                         "too; make an account of its own: useradd --create-home --shell "
                         "/usr/sbin/nologin kiosk")
    target = Path(args.output) if args.output else UNIT_PATH
    deploying = bool(args.install) and not args.output
    account = account_of(args.user)
    home = Path(os.path.expanduser(f"~{args.user}")) if account else None
    command = (os.path.abspath(args.program), "--kiosk") if args.program else reader_command()
    for option, value in (("--content", args.content), ("--data-dir", args.data_dir),
                          ("--config", args.config)):
        if value:  # the kiosk reads what this command was pointed at
            command += (option, os.path.abspath(value))
    data_dir = (os.path.abspath(args.data_dir) if args.data_dir
                else str(home / ".local" / "share" / APP_ID) if home else "")
    config = (Path(os.path.abspath(args.config)) if args.config
              else home / ".config" / APP_ID / "reader.toml" if home else None)

    errors: list[str] = []
    who = f"user {args.user}"
    if account is None:
        message = (f"there is no user {args.user!r} yet; create it with: useradd "
                   f"--create-home --shell /usr/sbin/nologin {args.user}")
        if deploying:
            errors.append(message)
        else:
            print(f"warning: {message} (until then the checks are for any other user)",
                  file=sys.stderr)
    programs = [arg for arg in command[:2] if arg.startswith("/")]
    checks = [("run cage", "/usr/bin/cage", "rx")]
    checks += [(f"run {'the reader' if n == 0 else 'main.py'}", path, "rx" if n == 0 else "r")
               for n, path in enumerate(programs)]
    if args.content:
        checks.append(("read --content", os.path.abspath(args.content), "rx"))
    if config is not None and (args.config or config.exists()):
        checks.append(("read --config" if args.config else "read", str(config), "r"))
    if data_dir and Path(data_dir).exists():
        checks.append(("write its data folder", data_dir, "rwx"))
    elif data_dir and not deploying:
        print(f"warning: {data_dir} does not exist yet; --install makes it, owned by "
              f"{args.user}", file=sys.stderr)
    for what, path, need in checks:
        problem = access_problem(path, need, account)
        if problem:
            errors.append(f"{who} cannot {what} {path}: {problem}")
    if programs and access_problem(programs[0], "rx", account) and not args.program:
        errors.append("install the reader where every user can read it (e.g. /opt), with a "
                      "Python every user can run (Debian's /usr/bin/python3), or name the "
                      "bundle's program with --program")

    password = None
    if config is not None and not access_problem(str(config), "r"):
        settings = load_config(config)
        smtp = settings.smtp
        if smtp.configured and smtp.username:
            secrets = Path(args.secrets) if args.secrets else SECRETS_DIR
            password, problem = password_source(smtp.password_credential, smtp.password_env,
                                                secrets)
            if problem:
                errors.append(f"{config}: {problem}")
    try:
        spec = ServiceSpec(command=command, user=args.user, data_dir=data_dir,
                           password=password)
    except ServiceError as exc:
        raise UsageError(str(exc)) from None
    if errors:
        raise UsageError("\n".join([*errors, "nothing was written; the unit would fail at "
                                     "boot (fix the above, then run this again)"]))
    units = {target: unit_text(spec)}
    if args.outbox_timer:  # the sender instead: a oneshot service and its timer
        service, timer = sender_units(spec)
        target = (Path(args.output) if args.output
                  else UNIT_PATH.with_name(f"{SENDER_NAME}.service"))
        units = {target: service, target.with_suffix(".timer"): timer}
    if not (args.install or args.output):
        if args.outbox_timer:  # two files: say which is which
            print("\n".join(f"# ===== {name}\n{text}" for name, text in units.items()), end="")
        else:
            print(units[target], end="")
        return EXIT_OK
    for unit_path, text in units.items():
        try:
            write_unit(unit_path, text)
        except PermissionError:
            raise UsageError(f"not permitted to write {unit_path}; run this as root "
                             "(sudo), or write the unit elsewhere with --output FILE") from None
        except OSError as exc:
            print(f"error: {unit_path}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAILED
        print(f"wrote {unit_path}")
    if args.outbox_timer:
        if deploying:
            print(f"start it: systemctl daemon-reload && systemctl enable --now "
                  f"{SENDER_NAME}.timer")
        return EXIT_OK
    if deploying and account is not None and data_dir and not Path(data_dir).exists():
        _make_owned_dirs(Path(data_dir), account.uid, home)
        print(f"made {data_dir} for {args.user} (mode 0700)")
    if target == UNIT_PATH:
        print(f"start it at every boot: systemctl daemon-reload && systemctl disable "
              f"getty@{spec.tty}.service && systemctl enable --now {UNIT_PATH.name}")
    return EXIT_OK


def _make_owned_dirs(folder: Path, uid: int, home: Path | None) -> None:
    """`folder` and its missing parents, owned by the kiosk user, 0700."""
    import os
    import pwd

    gid = pwd.getpwuid(uid).pw_gid
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700)
        os.chown(path, uid, gid)


def add_kiosk_commands(sub: _Commands) -> None:
    kiosk = sub.add_parser("kiosk", help="set up the locked full-screen kiosk")
    kiosk_sub = kiosk.add_subparsers(dest="action", required=True)
    service = kiosk_sub.add_parser(
        "service",
        help="print the systemd unit that runs the kiosk under cage on tty1 (--install "
             "writes it)",
    )
    service.add_argument("--install", action="store_true",
                         help="write the unit to /etc/systemd/system (needs root)")
    service.add_argument("--output", metavar="FILE",
                         help="write the unit to FILE instead (implies --install)")
    service.add_argument("--user", default="kiosk", metavar="NAME",
                         help="the unprivileged user the kiosk runs as (default: kiosk; "
                              "never root or nobody)")
    service.add_argument("--outbox-timer", action="store_true",
                         help="instead: a service and a timer that run 'outbox send' every 15 "
                              "minutes as the kiosk user, with the same password source")
    service.add_argument("--program", metavar="FILE",
                         help="the reader to run, e.g. the bundle's ketamine-faq-reader "
                              "(default: this one)")
    service.add_argument("--secrets", metavar="DIR",
                         help=argparse.SUPPRESS)  # where root keeps the SMTP password (tests)
    service.set_defaults(func=cmd_kiosk_service)
    set_pin = kiosk_sub.add_parser(
        "set-pin",
        help="set the PIN staff type to close the kiosk (stored salted and hashed in reader.toml)",
    )
    set_pin.add_argument("--pin-stdin", action="store_true",
                         help="read the PIN from the first line of standard input")
    set_pin.set_defaults(func=cmd_kiosk_set_pin)


# --- handout ---------------------------------------------------------------


def cmd_handout(ctx: Context) -> int:
    """The dialog's PDF handout, without a window: QtGui on the offscreen platform."""
    args = ctx.args
    document = ctx.document()
    ids = [i.strip() for i in (args.ids or "").split(",") if i.strip()] \
        or [s.id for s in document.sections]
    unknown = [i for i in ids if document.get(i) is None]
    if unknown:
        raise UsageError(f"no question with the id {', '.join(unknown)}; the ids are: "
                         + ", ".join(s.id for s in document.sections))
    out = Path(args.out)
    if out.is_dir() or not out.parent.is_dir():
        raise UsageError(f"cannot write {out}: "
                         + ("it is a folder" if out.is_dir() else "its folder does not exist"))
    from reader.content import Renderer
    from reader.ui.handout_pdf import HandoutError, HandoutOptions, default_paper, pdf_application
    from reader.ui.i18n import install_translators

    app = pdf_application()
    for warning in install_translators(app, document.language):
        print(f"warning: {warning}", file=sys.stderr)
    from reader.ui.handout_pdf import write_pdf

    options = HandoutOptions(paper=args.paper or default_paper(), large_print=args.large_print)
    try:
        pages = write_pdf(document, Renderer(document, None), ids, out,
                          ctx.paths.resources_dir, options)
    except HandoutError as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {pages} page(s) to {out}")
    return EXIT_OK


def add_handout_commands(sub: _Commands) -> None:
    handout = sub.add_parser(
        "handout", help="write the PDF handout, as the window's Print or save handout does",
        description="Write the handout as a PDF: a title block, the questions, and the notice "
        "and crisis line on every page. The paper follows LC_PAPER, then the locale.")
    handout.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")
    handout.add_argument("--ids", metavar="ID,ID,...",
                         help="the questions, in this order (default: all, in the FAQ's order)")
    handout.add_argument("--large-print", action="store_true", help="16 pt body text")
    handout.add_argument("--paper", choices=("letter", "a4"), help="the paper size")
    handout.set_defaults(func=cmd_handout)


# ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", parents=[_location_options(None)])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_SubParser)
    for add in (add_search_commands, add_feedback_commands, add_content_commands,
                add_config_commands, add_kiosk_commands, add_handout_commands,
                add_read_aloud_commands):
        add(sub)
    return parser


class _SubParser(argparse.ArgumentParser):
    """Every subcommand also takes --content, --data-dir, --config and --lang after its name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # all ArgumentParser's
        kwargs["parents"] = [*kwargs.get("parents", []), _location_options(argparse.SUPPRESS)]
        super().__init__(*args, **kwargs)


def _location_options(default: object) -> argparse.ArgumentParser:
    """Where to read and write; SUPPRESS on subcommands keeps a value given before them."""
    options = argparse.ArgumentParser(add_help=False)
    add_location_options(options, default)
    return options


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[Context], int] = args.func
    try:
        code = func(Context(args))
        sys.stdout.flush()  # here, not at exit: a closed pipe is then still ours to handle
        return code
    except (ConfigError, ContentError, UsageError) as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `search --json | head -c 300`: the reader stopped reading
        import os

        # what Python's docs advise: no second error when the interpreter flushes at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
