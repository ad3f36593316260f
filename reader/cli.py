"""Command-line subcommands: search, feedback, outbox, content, kiosk.

Never imports QtWidgets: these run from scripts and schedulers and must start fast.
Exit codes: 0 done; 2 bad input or usage (reason on stderr); 75 some messages wait for
a later try; 1 a permanent failure.
"""

from __future__ import annotations

import argparse
import sys

from reader.config import ConfigError, Settings, load_config
from reader.content import ContentError, Document, load_document
from reader.paths import Paths, resolve_paths

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TEMPFAIL = 0, 1, 2, 75
COMMANDS = ("search", "feedback", "outbox", "content", "kiosk")


class UsageError(Exception):
    """Bad input: printed on stderr, exit code 2."""


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


class Context:
    """What a subcommand needs, loaded only when it asks for it."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.paths: Paths = resolve_paths(args.content, args.data_dir, args.config)
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_config(self.paths.config_file)
        return self._settings

    def document(self) -> Document:
        document = load_document(self.paths.content_dir, self.settings.content.crisis_line)
        for problem in document.problems:
            print(f"warning: {problem}", file=sys.stderr)
        return document


# --- content ---------------------------------------------------------------


def cmd_content_check(ctx: Context) -> int:
    document = ctx.document()
    print(f"{len(document.sections)} sections in {ctx.paths.content_dir}")
    return EXIT_USAGE if document.problems else EXIT_OK


def add_content_commands(sub) -> None:
    content = sub.add_parser("content", help="check a content folder")
    content_sub = content.add_subparsers(dest="action", required=True)
    check = content_sub.add_parser("check", help="report problems in the Markdown files")
    check.set_defaults(func=cmd_content_check)


# --- search ----------------------------------------------------------------


def cmd_search(ctx: Context) -> int:
    import json

    from reader.search import SearchIndex, marked_text

    args = ctx.args
    query = " ".join(args.query).strip()
    if not query:
        raise UsageError("nothing to search for; try: main.py search side effects")
    if args.limit < 1:
        raise UsageError(f"--limit must be at least 1, not {args.limit}")
    document = ctx.document()
    ctx.paths.ensure_data_dir()
    response = SearchIndex.open(document, ctx.paths.search_cache_dir).search(query, args.limit)
    if args.json:
        out = {
            "query": response.query,
            "results": [
                {"id": h.id, "title": h.title, "snippet": marked_text(h.snippet), "score": h.score}
                for h in response.results
            ],
        }
        if response.suggestion:
            out["suggestion"] = response.suggestion
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    if not response.results:
        print(f"No results for \u201c{response.query}\u201d.")
    elif response.suggestion:
        print(f"Showing results for \u201c{response.query}\u201d.")
    if response.suggestion:
        print(f"Did you mean \u201c{response.suggestion}\u201d?")
    for number, hit in enumerate(response.results, 1):
        print(f"{number}. {hit.title}  ({hit.id})")
        print(f"   {marked_text(hit.snippet)}")
    return EXIT_OK


def add_search_commands(sub) -> None:
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


def _open_outbox(ctx: Context):
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
                          page_title=title)
    try:
        with _open_outbox(ctx) as outbox:
            message_id = outbox.submit(entry)
    except InvalidFeedback as exc:
        raise UsageError(" ".join(exc.errors.values())) from None
    print(f"saved {message_id}; it will be emailed when possible ('outbox send' tries now)")
    return EXIT_OK


def cmd_outbox_status(ctx: Context) -> int:
    import json

    with _open_outbox(ctx) as outbox:
        status = outbox.status()
    if ctx.args.json:
        print(json.dumps(status.as_json()))
        return EXIT_OK
    line = status.describe()
    if status.next_attempt is not None:
        line += f"; next attempt {status.as_json()['next_attempt']}"
    print(line)
    if status.last_error:
        print(f"last error: {status.last_error}")
    return EXIT_OK


def cmd_outbox_send(ctx: Context) -> int:
    from reader.mailer import deliver_pending

    smtp = ctx.settings.smtp
    with _open_outbox(ctx) as outbox:
        if not smtp.configured:
            waiting = outbox.status().waiting
            if not waiting:
                print("nothing to send")
                return EXIT_OK
            print(f"email is not set up: add an [smtp] section with a host to "
                  f"{ctx.paths.config_file}; {waiting} message(s) kept in the outbox",
                  file=sys.stderr)
            return EXIT_TEMPFAIL
        report = deliver_pending(outbox, smtp, ignore_backoff=True)
    print(report.describe())
    if report.failed:
        return EXIT_FAILED
    return EXIT_TEMPFAIL if report.waiting else EXIT_OK


def cmd_outbox_export(ctx: Context) -> int:
    import os
    import time
    import uuid
    from pathlib import Path

    from reader.mailer import MailError, build_message

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
                message = listed
                if state == "queued":  # hold it so that no sender mails it meanwhile
                    message = outbox.claim(listed.id, token, time.time(), 600,
                                           ignore_backoff=True)
                    if message is None:
                        continue
                try:
                    data = build_message(message, ctx.settings.smtp).as_bytes()
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


def _write_synced(path, data: bytes) -> None:
    """Write the whole file, private (0600), on disk before it takes its name. On any
    error the temporary file is removed: no part of a message stays behind."""
    import os
    from contextlib import suppress

    temp = path.with_name(f".{path.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        try:
            if os.name == "posix":
                os.fchmod(fd, 0o600)  # whatever the umask, or a leftover temp file's mode
            view = memoryview(data)
            while view:  # os.write may write only part
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise


def _outbox_errors(func):
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


def add_feedback_commands(sub) -> None:
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
        "send", help="try every queued message now (exit 0 sent, 75 some wait, 1 some failed)"
    )
    send.set_defaults(func=_outbox_errors(cmd_outbox_send))
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
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    pin = getpass.getpass("New staff exit PIN (4 to 12 digits): ")
    from reader.kiosk import pin_problem

    if not pin_problem(pin) and getpass.getpass("The same PIN again: ") != pin:
        raise UsageError("the two PINs differ; nothing was changed")
    return pin


def cmd_kiosk_set_pin(ctx: Context) -> int:
    from reader.kiosk import PinError, hash_pin, pin_problem, write_pin_hash

    pin = _read_new_pin(ctx.args.pin_stdin)
    problem = pin_problem(pin)
    if problem:
        raise UsageError(f"{problem} Nothing was changed.")
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
    import os
    import pwd

    from reader.service import (
        UNIT_PATH,
        ServiceError,
        ServiceSpec,
        reader_command,
        unit_text,
        unreachable,
        write_unit,
    )

    args = ctx.args
    command = reader_command()
    programs = [path for path in command if path.startswith("/")]
    for option, value in (("--content", args.content), ("--data-dir", args.data_dir),
                          ("--config", args.config)):
        if value:  # the kiosk reads what this command was pointed at
            command += (option, os.path.abspath(value))
    try:
        spec = ServiceSpec(command=command, user=args.user)
    except ServiceError as exc:
        raise UsageError(str(exc)) from None
    text = unit_text(spec)
    for path in (spec.cage, *programs):
        problem = unreachable(path)
        if problem:
            print(f"warning: user {spec.user} cannot run {path}: {problem}; install the "
                  "reader where every user can read it (e.g. /opt)", file=sys.stderr)
    try:
        pwd.getpwnam(spec.user)
    except KeyError:
        print(f"warning: there is no user {spec.user!r} yet; create it with: "
              f"useradd --create-home --shell /usr/sbin/nologin {spec.user}", file=sys.stderr)
    if not (args.install or args.output):
        print(text, end="")
        return EXIT_OK
    from pathlib import Path

    target = Path(args.output) if args.output else UNIT_PATH
    try:
        write_unit(target, text)
    except PermissionError:
        raise UsageError(f"not permitted to write {target}; run this as root "
                         "(sudo), or write the unit elsewhere with --output FILE") from None
    except OSError as exc:
        print(f"error: {target}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {target}")
    if target == UNIT_PATH:
        print(f"start it at every boot: systemctl daemon-reload && systemctl disable "
              f"getty@{spec.tty}.service && systemctl enable --now {UNIT_PATH.name}")
    return EXIT_OK


def add_kiosk_commands(sub) -> None:
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
                         help="the unprivileged user the kiosk runs as (default: kiosk)")
    service.set_defaults(func=cmd_kiosk_service)
    set_pin = kiosk_sub.add_parser(
        "set-pin",
        help="set the PIN staff type to close the kiosk (stored salted and hashed in reader.toml)",
    )
    set_pin.add_argument("--pin-stdin", action="store_true",
                         help="read the PIN from the first line of standard input")
    set_pin.set_defaults(func=cmd_kiosk_set_pin)


# ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", parents=[_location_options(None)])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_SubParser)
    for add in (add_search_commands, add_feedback_commands, add_content_commands,
                add_kiosk_commands):
        add(sub)
    return parser


class _SubParser(argparse.ArgumentParser):
    """Every subcommand also takes --content, --data-dir and --config after its name."""

    def __init__(self, *args, **kwargs):
        kwargs["parents"] = [*kwargs.get("parents", []), _location_options(argparse.SUPPRESS)]
        super().__init__(*args, **kwargs)


def _location_options(default) -> argparse.ArgumentParser:
    """Where to read and write; SUPPRESS on subcommands keeps a value given before them."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--content", metavar="DIR", default=default,
                         help="read the FAQ from another folder")
    options.add_argument("--data-dir", metavar="DIR", default=default,
                         help="where the outbox and caches live")
    options.add_argument("--config", metavar="FILE", default=default, help="reader.toml to use")
    return options


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(Context(args))
    except (ConfigError, ContentError, UsageError) as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130
