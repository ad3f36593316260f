"""The systemd unit that runs the reader as a kiosk under cage on tty1. No Qt here.

`main.py kiosk service` prints it; `--install` writes it. cage is the service's main
process and the reader its child: the reader sends READY=1 after its first paint and
WATCHDOG=1 from its GUI thread (reader/sdnotify.py), so systemd restarts a hung window too.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from reader.paths import write_atomically

UNIT_NAME = "ketamine-faq-reader.service"
UNIT_PATH = Path("/etc/systemd/system") / UNIT_NAME
_USER = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
_TTY = re.compile(r"tty[1-9][0-9]?")


class ServiceError(ValueError):
    """A setting the unit cannot take; the message says why."""


@dataclass(frozen=True)
class ServiceSpec:
    command: tuple[str, ...]  # the reader in kiosk mode, run by cage
    user: str = "kiosk"
    cage: str = "/usr/bin/cage"
    tty: str = "tty1"
    watchdog_seconds: int = 30

    def __post_init__(self) -> None:
        if not _USER.fullmatch(self.user):
            raise ServiceError(f"{self.user!r} is not a user name (lower-case letters, "
                               "digits, - and _)")
        if self.user == "root":
            raise ServiceError("cage refuses to run as root; use an unprivileged user "
                               "such as kiosk")
        if not _TTY.fullmatch(self.tty):
            raise ServiceError(f"{self.tty!r} is not a virtual terminal such as tty1")
        if self.watchdog_seconds < 5:
            raise ServiceError("the watchdog needs at least 5 seconds")


def reader_command(frozen: bool | None = None, executable: str | None = None,
                   root: Path | None = None) -> tuple[str, ...]:
    """The frozen bundle's own binary, or the checkout's .venv Python with main.py."""
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    executable = executable or sys.executable
    if frozen:
        return (str(Path(executable).absolute()), "--kiosk")
    root = root or Path(__file__).resolve().parent.parent
    venv_python = root / ".venv" / "bin" / "python"
    python = venv_python if os.path.exists(venv_python) else Path(executable).absolute()
    return (str(python), str(root / "main.py"), "--kiosk")


def unit_text(spec: ServiceSpec) -> str:
    exec_start = " ".join(_quote(arg) for arg in (spec.cage, "-d", "--", *spec.command))
    tty = spec.tty
    return f"""\
# The Ketamine FAQ Reader as a kiosk: cage (a Wayland kiosk compositor) on {tty}, showing
# the reader full screen. Written by `main.py kiosk service`; README: "Setting up a kiosk".
[Unit]
Description=Ketamine FAQ Reader kiosk (cage on {tty})
After=systemd-user-sessions.service plymouth-quit-wait.service seatd.service
# seatd hands cage the screen and the touch screen. No PAMName= here: pam_systemd would
# move cage and the reader into a login session scope outside this unit, and systemd
# would then ignore the reader's READY and WATCHDOG messages.
Wants=seatd.service
# This unit takes {tty} instead of a login prompt.
Conflicts=getty@{tty}.service
After=getty@{tty}.service
ConditionPathExists=/dev/tty0
# A kiosk never gives up restarting.
StartLimitIntervalSec=0

[Service]
Type=notify
NotifyAccess=all
ExecStart={exec_start}
# cage 0.1.4 aborts on SIGTERM: stop the reader first, and cage ends cleanly after it.
ExecStop=-/bin/sh -c 'kill $$(cat /proc/$MAINPID/task/$MAINPID/children) 2>/dev/null; \
while kill -0 $MAINPID 2>/dev/null; do sleep 0.2; done'
Restart=always
RestartSec=5
# The reader pings every {spec.watchdog_seconds // 2} s from its GUI thread; a window that \
stops answering is restarted.
WatchdogSec={spec.watchdog_seconds}
TimeoutStartSec=120
TimeoutStopSec=15
User={spec.user}
SupplementaryGroups=video
RuntimeDirectory=ketamine-faq-reader
RuntimeDirectoryMode=0700
Environment=XDG_RUNTIME_DIR=/run/ketamine-faq-reader
Environment=LIBSEAT_BACKEND=seatd
Environment=WLR_LIBINPUT_NO_DEVICES=1
Environment="QT_QPA_PLATFORM=wayland;xcb"
UtmpIdentifier={tty}
UtmpMode=user
TTYPath=/dev/{tty}
TTYReset=yes
TTYVHangup=yes
TTYVTDisallocate=yes
StandardInput=tty-fail
StandardOutput=journal
StandardError=journal

[Install]
WantedBy=multi-user.target
"""


def _quote(arg: str) -> str:
    """One ExecStart= word: systemd expands % and $, and splits on white space."""
    arg = arg.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[A-Za-z0-9_./:=+,@-]+", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unreachable(path: str) -> str:
    """Why other users (the kiosk user) cannot reach this file, or "" if they can."""
    target = Path(os.path.realpath(path))
    for folder in reversed(target.parents):
        try:
            mode = folder.stat().st_mode
        except OSError:
            return f"{folder} cannot be read"
        if not mode & stat.S_IXOTH:
            return f"{folder} is private (mode {stat.S_IMODE(mode):o})"
    try:
        mode = target.stat().st_mode
    except OSError:
        return f"{target} does not exist"
    if not mode & stat.S_IROTH:
        return f"{target} is private (mode {stat.S_IMODE(mode):o})"
    return ""


def write_unit(path: Path, text: str) -> None:
    """Write the unit whole or not at all, readable by all (0644) as systemd expects."""
    write_atomically(path, text.encode("utf-8"), mode=0o644)
