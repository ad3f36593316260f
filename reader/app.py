"""Entry point: subcommands go to reader.cli (no Qt); everything else starts the window."""

from __future__ import annotations

import argparse
import sys
import time

from reader import APP_NAME, __version__

STARTED = time.perf_counter()  # main.py imports this first: the self-test times from here


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description=f"{APP_NAME}: an offline reader for the Ketamine Advocacy Network's FAQ. "
        "Subcommands: search, feedback, outbox, content, config, kiosk (try 'main.py search -h').",
    )
    parser.add_argument("--content", metavar="DIR", help="read the FAQ from another folder")
    parser.add_argument("--data-dir", metavar="DIR", help="where settings, outbox, caches live")
    parser.add_argument("--config", metavar="FILE", help="reader.toml to use")
    parser.add_argument("--kiosk", action="store_true", help="locked full-screen kiosk mode")
    parser.add_argument("--open", metavar="ID", help="open this question first")
    parser.add_argument("--self-test", action="store_true", help="start, paint, search, quit")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    return parser


_VALUE_OPTIONS = {"--content", "--data-dir", "--config", "--open"}


def subcommand(argv: list[str]) -> str | None:
    """The subcommand named before any window option, e.g. `--content DIR search x`."""
    from reader.cli import COMMANDS

    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUE_OPTIONS:
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

    return run_gui(args)
