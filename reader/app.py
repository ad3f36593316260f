"""Entry point: subcommands go to reader.cli (no Qt); everything else starts the window."""

from __future__ import annotations

import argparse
import sys
import time

from reader import APP_NAME, __version__

STARTED = time.perf_counter()  # main.py imports this first: the self-test times from here


def build_parser() -> argparse.ArgumentParser:
    from reader.paths import add_location_options

    parser = argparse.ArgumentParser(
        prog="main.py",
        description=f"{APP_NAME}: an offline reader for the Ketamine Advocacy Network's FAQ. "
        "Subcommands: search, feedback, outbox, content, config, kiosk, read-aloud, handout "
        "(try 'main.py search -h').",
    )
    add_location_options(parser)
    parser.add_argument("--kiosk", action="store_true", help="locked full-screen kiosk mode")
    parser.add_argument("--open", metavar="ID", help="open this question first")
    parser.add_argument("--self-test", action="store_true", help="start, paint, search, quit")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="the reader's version, the content's date and the outbox schema")
    return parser


class _Version(argparse.Action):
    """What IT needs to tell one build from another, read only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(version_text(getattr(namespace, "content", None)))
        parser.exit()


def version_text(content: str | None = None) -> str:
    from reader.content import ContentError, load_document
    from reader.outbox import SCHEMA_VERSION
    from reader.paths import resolve_paths

    folder = resolve_paths(content).content_dir
    try:
        meta = load_document(folder).metadata
        dated = f"content: {meta.text_date or 'no date given'} ({folder})"
    except ContentError as exc:
        dated = f"content: not readable ({exc})"
    return f"{APP_NAME} {__version__}\n{dated}\noutbox schema: {SCHEMA_VERSION}"


def subcommand(argv: list[str]) -> str | None:
    """The subcommand named before any window option, e.g. `--content DIR search x`."""
    from reader.cli import COMMANDS
    from reader.paths import LOCATION_OPTIONS

    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in (*LOCATION_OPTIONS, "--open"):
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if subcommand(argv):
        from reader.cli import main as cli_main

        return cli_main(argv)
    args = build_parser().parse_args(argv)
    from reader.ui.launch import run_gui

    return run_gui(args, started=STARTED)
