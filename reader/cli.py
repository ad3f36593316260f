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


def add_search_commands(sub) -> None:
    pass


# --- feedback and outbox ---------------------------------------------------


def add_feedback_commands(sub) -> None:
    pass


# --- kiosk -----------------------------------------------------------------


def add_kiosk_commands(sub) -> None:
    pass


# ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", metavar="DIR", help="read the FAQ from another folder")
    common.add_argument("--data-dir", metavar="DIR", help="where the outbox and caches live")
    common.add_argument("--config", metavar="FILE", help="reader.toml to use")
    parser = argparse.ArgumentParser(prog="main.py", parents=[common])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_SubParser)
    for add in (add_search_commands, add_feedback_commands, add_content_commands,
                add_kiosk_commands):
        add(sub)
    return parser


class _SubParser(argparse.ArgumentParser):
    """Every subcommand also takes --content, --data-dir and --config after its name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("parents", [])
        kwargs["parents"] = [*kwargs["parents"], _common_options()]
        super().__init__(*args, **kwargs)


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", metavar="DIR", default=argparse.SUPPRESS)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS)
    common.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    return common


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(Context(args))
    except (ConfigError, ContentError, UsageError) as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130
