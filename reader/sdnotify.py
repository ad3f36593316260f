"""The systemd notify protocol (sd_notify) without libsystemd: one datagram per message.

No Qt here; reader/ui/launch.py calls `ready()` after the first paint and `ping()` from a
timer on the GUI thread, so a hung window stops the pings and systemd restarts the kiosk.
Under cage the reader is the compositor's child, not the service's main process, so
WATCHDOG_PID (which names cage) is not checked; the unit sets NotifyAccess=all.
"""

from __future__ import annotations

import os
import socket

DEFAULT_PING_SECONDS = 10.0  # NOTIFY_SOCKET without WATCHDOG_USEC: ping anyway, it is cheap


class Notifier:
    """Sends READY=1, WATCHDOG=1 and STOPPING=1 to NOTIFY_SOCKET; does nothing without it."""

    def __init__(self, env=os.environ):
        self.address = _address(env.get("NOTIFY_SOCKET", ""))
        self.ping_seconds = _ping_seconds(env.get("WATCHDOG_USEC", ""))
        self._socket: socket.socket | None = None

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def ready(self) -> bool:
        return self.send("READY=1\nSTATUS=Showing the FAQ")

    def ping(self) -> bool:
        return self.send("WATCHDOG=1")

    def stopping(self) -> bool:
        sent = self.send("STOPPING=1")
        self.close()
        return sent

    def send(self, message: str) -> bool:
        """True when the datagram left; a missing or full socket is not the reader's error."""
        if self.address is None:
            return False
        try:
            if self._socket is None:
                kind = socket.SOCK_DGRAM | socket.SOCK_CLOEXEC
                self._socket = socket.socket(socket.AF_UNIX, kind)
            self._socket.sendto(message.encode(), self.address)
        except OSError:
            return False
        return True

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _address(value: str) -> str | bytes | None:
    if value.startswith("@"):  # the abstract namespace: a leading NUL byte
        return b"\0" + value[1:].encode()
    if value.startswith("/"):
        return value
    return None  # unset, or a vsock address: not ours to speak


def _ping_seconds(value: str) -> float:
    """Half the watchdog interval, as sd_watchdog_enabled(3) advises."""
    try:
        usec = int(value)
    except ValueError:
        return DEFAULT_PING_SECONDS
    return usec / 2_000_000 if usec > 0 else DEFAULT_PING_SECONDS
