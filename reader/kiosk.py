"""The kiosk's staff exit PIN: salted PBKDF2 hashes, and writing one into reader.toml.

No Qt here: `main.py kiosk set-pin` uses this, and so does the kiosk window.
Stored form: "pbkdf2_sha256$<iterations>$<salt, base64>$<hash, base64>".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import re
import secrets
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

from reader.paths import write_atomically

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 200_000
MAX_ITERATIONS = 10_000_000  # a stored value asking for more is treated as malformed
PIN_RULE = "The PIN must be 4 to 12 digits (0-9)."
_PIN = re.compile(r"[0-9]{4,12}")
_TABLE = re.compile(r"^\s*\[")  # [table] or [[array of tables]]
_KIOSK_TABLE = re.compile(r"^\s*\[\s*kiosk\s*\]\s*(#.*)?$")
_PIN_KEY = re.compile(r"^\s*exit_pin_hash\s*=")


class PinError(Exception):
    """The PIN breaks the rules, or the config file cannot take it; the message says why."""


def pin_problem(pin: str) -> str:
    """Why this PIN cannot be used, or "" when it can."""
    return "" if _PIN.fullmatch(pin) else PIN_RULE


_COMMON_PINS = frozenset({"1212", "2580", "0852", "1004", "2000", "6969", "1122", "1313",
                          "4444", "1379", "7777", "5683", "1010", "0007", "123123",
                          "112233", "121212", "147258", "159753", "520520", "696969"})


def weak_pin(pin: str) -> str:
    """Why a new PIN is too easy to guess at the kiosk ("" if it is not): one digit
    repeated, a run up or down the digits (1234, 9876), a pattern of two digits, or one
    of the PINs people choose most. Checked when a PIN is set, not when one is typed."""
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if len(set(pin)) == 1:
        return "a PIN of one digit repeated is the first one people try"
    if steps in ({1}, {-1}, {9, -1}, {-9, 1}):  # 1234, 4321, 8901, 1098
        return "a run of digits in order (like 1234) is among the first people try"
    if len(set(pin)) == 2 and pin == (pin[:2] * len(pin))[:len(pin)]:
        return "a pair of digits repeated (like 1212) is among the first people try"
    if pin in _COMMON_PINS:
        return "that PIN is among the ones people choose most often"
    return ""


def hash_pin(pin: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    problem = pin_problem(pin)
    if problem:
        raise PinError(problem)
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)
    b64 = base64.b64encode
    return f"{ALGORITHM}${iterations}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True only for the right PIN; any malformed stored value gives False."""
    try:
        algorithm, iterations, salt, expected = stored.split("$")
        rounds = int(iterations)
        salt_bytes = base64.b64decode(salt, validate=True)
        expected_bytes = base64.b64decode(expected, validate=True)
    except (AttributeError, ValueError, binascii.Error):
        return False
    if algorithm != ALGORITHM or not 0 < rounds <= MAX_ITERATIONS or not expected_bytes:
        return False
    if pin_problem(pin):
        return False
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt_bytes, rounds)
    return hmac.compare_digest(digest, expected_bytes)


def with_pin_hash(text: str, stored: str) -> str:
    """The config text with `exit_pin_hash` set under [kiosk]; every other line kept."""
    line_end = "\r\n" if "\r\n" in text else "\n"
    setting = f'exit_pin_hash = "{stored}"{line_end}'
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += line_end
    start = next((i for i, line in enumerate(lines) if _KIOSK_TABLE.match(line)), None)
    if start is None:
        if lines and lines[-1].strip():
            lines.append(line_end)
        lines += [f"[kiosk]{line_end}", setting]
        return "".join(lines)
    end = next((i for i in range(start + 1, len(lines)) if _TABLE.match(lines[i])), len(lines))
    for i in range(start + 1, end):
        if _PIN_KEY.match(lines[i]):
            lines[i] = setting
            return "".join(lines)
    last = max((i for i in range(start, end) if lines[i].strip()), default=start)
    lines.insert(last + 1, setting)
    return "".join(lines)


def write_pin_hash(config_file: Path, stored: str) -> None:
    """Set [kiosk] exit_pin_hash in reader.toml: written whole or not at all, mode 0600."""
    try:
        text = config_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise PinError(f"{config_file}: cannot be read: {exc}") from None
    new_text = with_pin_hash(text, stored)
    try:
        kiosk = tomllib.loads(new_text).get("kiosk")
    except tomllib.TOMLDecodeError as exc:
        raise PinError(f"{config_file}: is not valid TOML, so it was left alone: {exc}") from None
    if not isinstance(kiosk, dict) or kiosk.get("exit_pin_hash") != stored:
        raise PinError(f"{config_file}: the PIN could not be added safely, so the file was left "
                       f'alone. Add this line under [kiosk] by hand:\nexit_pin_hash = "{stored}"')
    config_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomically(config_file, new_text.encode("utf-8"))  # owner-only: it holds the hash


class PinLock:
    """The staff PIN pad's guard: `tries` wrong PINs lock it, each lockout twice as long as
    the one before (guessing 10,000 PINs then takes years). `clock` returns seconds."""

    def __init__(self, pin_hash: str, lockout_seconds: float = 30.0, tries: int = 5,
                 clock: Callable[[], float] = time.monotonic):
        self._hash, self._lockout, self._tries = pin_hash, lockout_seconds, tries
        self._clock = clock
        self._failures = self._lockouts = 0
        self._locked_until = 0.0

    def locked_seconds(self) -> int:
        """Whole seconds until the pad opens again; 0 when open."""
        return max(0, math.ceil(self._locked_until - self._clock()))

    def tries_left(self) -> int:
        return self._tries - self._failures

    def check(self, pin: str) -> bool:
        """True for the right PIN while not locked out; a wrong one counts."""
        if self.locked_seconds():
            return False
        if verify_pin(pin, self._hash):
            self._failures = 0
            return True
        self._failures += 1
        if self._failures >= self._tries:
            self._failures = 0
            self._lockouts += 1
            self._locked_until = self._clock() + self._lockout * 2 ** min(self._lockouts - 1, 16)
        return False
