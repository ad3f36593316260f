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
# Where root keeps the SMTP password for the unit: a credential file NAME (or NAME.cred,
# encrypted with systemd-creds), or smtp.env for password_env. Only root reads them; systemd
# hands the password to the reader ($CREDENTIALS_DIRECTORY, or the environment).
SECRETS_DIR = Path("/etc/ketamine-faq-reader")
ENV_FILE_NAME = "smtp.env"
# video: seatd lets that group use the seat; audio: the sound card, for read aloud
GROUPS = ("video", "audio")
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
    data_dir: str = ""  # the one folder the kiosk may write (its outbox, caches)
    password: Secret | None = None  # how systemd hands over the SMTP password, if one is needed

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


@dataclass(frozen=True)
class Secret:
    """The SMTP password's source for the unit: a credential (LoadCredential=, or
    LoadCredentialEncrypted= for a .cred file) or an environment file (EnvironmentFile=)."""

    kind: str  # "credential", "encrypted" or "environment"
    path: str
    name: str = ""  # the credential's name, as [smtp] password_credential gives it

    def unit_lines(self) -> list[str]:
        if self.kind == "credential":
            return [f"LoadCredential={self.name}:{self.path}"]
        if self.kind == "encrypted":
            return [f"LoadCredentialEncrypted={self.name}:{self.path}"]
        return [f"EnvironmentFile={self.path}"]


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
SupplementaryGroups={' '.join(GROUPS)}
RuntimeDirectory=ketamine-faq-reader
RuntimeDirectoryMode=0700
Environment=XDG_RUNTIME_DIR=/run/ketamine-faq-reader
Environment=LIBSEAT_BACKEND=seatd
Environment=WLR_LIBINPUT_NO_DEVICES=1
Environment="QT_QPA_PLATFORM=wayland;xcb"
{_sandbox(spec)}UtmpIdentifier={tty}
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


def _sandbox(spec: ServiceSpec, kiosk: bool = True) -> str:
    """systemd's sandboxing, as far as cage and the reader allow: cage needs its seat (seatd
    opens the screen and input devices for it), the tty and netlink (udev); the reader
    needs the network for SMTP. Everything is read-only but the data folder. The outbox
    sender (kiosk=False) needs no devices and no display."""
    # "-": a missing folder (made by --install) leaves the reader running, unable to keep
    writable = f"ReadWritePaths=-{_quote(spec.data_dir)}\n" if spec.data_dir else ""
    secret = "".join(line + "\n" for line in spec.password.unit_lines()) if spec.password else ""
    cache = "Environment=XDG_CACHE_HOME=/run/ketamine-faq-reader/cache\n" if kiosk else ""
    families = "AF_UNIX AF_INET AF_INET6" + (" AF_NETLINK" if kiosk else "")
    devices = (f"DevicePolicy=closed\nDeviceAllow=/dev/{spec.tty} rw\nDeviceAllow=char-drm rw\n"
               "DeviceAllow=char-input r\nDeviceAllow=char-alsa rw\n" if kiosk
               else "PrivateDevices=yes\n")
    return f"""\
# --- sandbox: `systemd-analyze security` rates it
# The SMTP password, readable by root only on disk; systemd hands it to the reader.
{secret}NoNewPrivileges=yes
CapabilityBoundingSet=
AmbientCapabilities=
ProtectSystem=strict
ProtectHome=read-only
PrivateMounts=yes
{writable}{cache}PrivateTmp=yes
PrivateIPC=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
RemoveIPC=yes
RestrictAddressFamilies={families}
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @mount @obsolete @debug @cpu-emulation @reboot @swap
SystemCallErrorNumber=EPERM
{devices}UMask=0077
# --- end of the sandbox
"""


SENDER_NAME = "ketamine-faq-reader-outbox"


def sender_units(spec: ServiceSpec, minutes: int = 15) -> tuple[str, str]:
    """(service, timer): `outbox send` every `minutes` as the kiosk user, with the kiosk's
    password source and sandbox; 75 (try later) is a success, 78 (setup) a failure."""
    command = (*(arg for arg in spec.command if arg != "--kiosk"), "outbox", "send")
    exec_start = " ".join(_quote(arg) for arg in command)
    service = f"""\
# Sends the Ketamine FAQ Reader's feedback outbox; started by {SENDER_NAME}.timer.
# Written by `main.py kiosk service --outbox-timer`; README: "Email from a kiosk".
[Unit]
Description=Send the Ketamine FAQ Reader's feedback outbox
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
User={spec.user}
ExecStart={exec_start}
# 75: the server could not be reached, tried again next time; 78 (a setup problem: no or a
# wrong password, an untrusted certificate) fails the unit: `systemctl --failed` shows it
SuccessExitStatus=75
TimeoutStartSec=600
{_sandbox(spec, kiosk=False)}"""
    timer = f"""\
# Starts {SENDER_NAME}.service every {minutes} minutes. Written by `main.py kiosk service
# --outbox-timer`.
[Unit]
Description=Send the Ketamine FAQ Reader's feedback outbox every {minutes} minutes

[Timer]
OnBootSec=5min
OnUnitActiveSec={minutes}min
Persistent=true

[Install]
WantedBy=timers.target
"""
    return service, timer


def _quote(arg: str) -> str:
    """One ExecStart= word: systemd expands % and $, and splits on white space."""
    arg = arg.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[A-Za-z0-9_./:=+,@-]+", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Account:
    """Whom a permission check is for: uid and groups (None: any other user)."""

    uid: int = -1
    gids: frozenset[int] = frozenset()


def account_of(user: str) -> Account | None:
    """The user's uid and groups, the unit's SupplementaryGroups= included."""
    import grp
    import pwd

    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        return None
    gids = {entry.pw_gid, *(g.gr_gid for g in grp.getgrall() if user in g.gr_mem)}
    added = {g.gr_gid for g in grp.getgrall() if g.gr_name in GROUPS}
    return Account(entry.pw_uid, frozenset(gids | added))


_BITS = {"r": (stat.S_IRUSR, stat.S_IRGRP, stat.S_IROTH),
         "w": (stat.S_IWUSR, stat.S_IWGRP, stat.S_IWOTH),
         "x": (stat.S_IXUSR, stat.S_IXGRP, stat.S_IXOTH)}
_VERBS = {"r": "readable", "w": "writable", "x": "executable"}


def _allows(info: os.stat_result, letter: str, account: Account) -> bool:
    owner, group, other = _BITS[letter]
    if info.st_uid == account.uid:  # the owner's bits decide for the owner, even if fewer
        return bool(info.st_mode & owner)
    if info.st_gid in account.gids:
        return bool(info.st_mode & group)
    return bool(info.st_mode & other)


def access_problem(path: str, need: str, account: Account | None = None) -> str:
    """Why `account` (any other user when None) cannot use `path` as `need` says ("r",
    "rx", "rwx"), or "" if it can. Follows symbolic links; ignores ACLs."""
    account = account or Account()
    target = Path(os.path.realpath(path))
    for folder in reversed(target.parents):
        try:
            info = folder.stat()
        except OSError:
            return f"{folder} cannot be read"
        if not _allows(info, "x", account):
            return f"{folder} is private (mode {stat.S_IMODE(info.st_mode):o})"
    try:
        info = target.stat()
    except OSError:
        return f"{target} does not exist"
    for letter in need:
        if not _allows(info, letter, account):
            if letter == "r" and not any(_allows(info, x, account) for x in "wx"):
                return f"{target} is private (mode {stat.S_IMODE(info.st_mode):o})"
            return (f"{target} is not {_VERBS[letter]} for it "
                    f"(mode {stat.S_IMODE(info.st_mode):o})")
    return ""


def unreachable(path: str) -> str:
    """Why other users (the kiosk user) cannot reach this file, or "" if they can."""
    return access_problem(path, "r")


def password_source(password_credential: str, password_env: str,
                    secrets: Path = SECRETS_DIR) -> tuple[Secret | None, str]:
    """How the unit hands the SMTP password over, from the files root keeps in `secrets`,
    and what is wrong with them ("" when nothing)."""
    if password_credential:
        encrypted = secrets / f"{password_credential}.cred"
        plain = secrets / password_credential
        if encrypted.exists():
            secret = Secret("encrypted", str(encrypted), password_credential)
        elif plain.exists():
            secret = Secret("credential", str(plain), password_credential)
        else:
            return None, (f"[smtp] password_credential is {password_credential!r}, but "
                          f"{plain} does not exist (nor {encrypted.name}); write the "
                          f"password there as root: install -d -m 0755 {secrets} && (umask 077; "
                          f"systemd-ask-password -n > {plain})")
    elif password_env:
        secret = Secret("environment", str(secrets / ENV_FILE_NAME))
        if not Path(secret.path).exists():
            return None, (f"[smtp] password_env is {password_env}, but {secret.path} does "
                          f"not exist; write one line {password_env}=the-password there "
                          "(owner root, mode 0640, group the kiosk user's)")
        try:
            lines = Path(secret.path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeError) as exc:
            return None, f"{secret.path} cannot be read: {exc}"
        if not any(line.strip().removeprefix("export ").startswith(f"{password_env}=")
                   for line in lines):
            return None, (f"{secret.path} does not set {password_env} ([smtp] password_env); "
                          f"add the line {password_env}=the-password")
    else:
        return None, "[smtp] username is set but no password_env or password_credential"
    mode = stat.S_IMODE(Path(secret.path).stat().st_mode)
    if mode & 0o007:
        return None, f"{secret.path} can be read by every user (mode {mode:o}): chmod 0600"
    return secret, ""


def write_unit(path: Path, text: str) -> None:
    """Write the unit whole or not at all, readable by all (0644) as systemd expects."""
    write_atomically(path, text.encode("utf-8"), mode=0o644)
