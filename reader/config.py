"""reader.toml into typed settings, with problems that name the file, section and key.

A mistake never stops reading: `load_config` returns the settings in effect plus every
problem (`Settings.problems`). A section with a mistake falls back to its defaults key by
key, except [smtp], which falls back whole (email stays off, feedback keeps queuing). A
[kiosk] with a mistake that could hide `enabled = true` stays a kiosk. The command line's
outbox and config commands refuse any problem (`Settings.checked()`). Only a file that
cannot be read at all raises ConfigError.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.settings import MAX_SCALE

DEFAULT_RECIPIENT = "feedback@ketaminenetwork.org"
SECURITY_MODES = ("starttls", "tls", "none")
DAY_SECONDS = 86_400  # Qt timers stop at about 24.8 days; a day is the useful ceiling


class ConfigError(Exception):
    """reader.toml cannot be used; the message says where and why."""


@dataclass(frozen=True)
class SmtpSettings:
    """[smtp]: the mail server that delivers feedback; no host, no email."""

    host: str = ""
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password_env: str = ""  # the name of an environment variable holding the password
    password_credential: str = ""  # or of a systemd credential ($CREDENTIALS_DIRECTORY/NAME)
    sender: str = ""
    recipient: str = DEFAULT_RECIPIENT
    ca_file: Path | None = None
    timeout: float = 20.0

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class KioskSettings:
    """[kiosk]: the waiting-room mode and its idle reset, PIN and touch sizes."""

    enabled: bool = False
    idle_seconds: int = 120
    warning_seconds: int = 15
    exit_pin_hash: str = ""
    text_scale: int = 150
    keyboard: bool = True  # the on-screen keyboard; false leaves typing to the system's
    crisis_note: str = ""  # a staff line on the crisis card, e.g. "Tell the front desk"
    volume: int = 80  # read aloud, percent of the voice's normal loudness; 0 turns it off


@dataclass(frozen=True)
class ReaderSettings:
    """[reader]: the language the FAQ and the window are shown in."""

    language: str = ""  # "en" or "es"; empty: the system's language when translated


@dataclass(frozen=True)
class ContentSettings:
    """[content]: a clinic's own crisis and danger lines, instead of the FAQ's."""

    crisis_line: str = ""  # empty: the content's own metadata decides
    danger_line: str = ""  # "If you are in danger now, call 911." unless set here or there


@dataclass(frozen=True)
class Settings:
    """All of reader.toml, with the problems found reading it."""

    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    content: ContentSettings = field(default_factory=ContentSettings)
    reader: ReaderSettings = field(default_factory=ReaderSettings)
    source: Path | None = None
    problems: tuple[str, ...] = ()  # each names the file, and the section and key if any

    def checked(self) -> Settings:
        """These settings, or ConfigError naming every problem (the command line's way)."""
        if self.problems:
            raise ConfigError("\n".join(self.problems))
        return self


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _Table:
    """Typed reads of one TOML table; a bad value is noted as `file: [table] key why`
    and its default used instead."""

    def __init__(self, path: Path, name: str, value: object, problems: list[str]):
        self.path, self.name, self.problems, self.value = path, name, problems, value
        self.data: dict[str, Any] = {}
        self.broken_keys: set[str] = set()  # their lines are not valid TOML (already noted)
        if isinstance(value, dict):
            self.data = {k: v for k, v in value.items() if v is not _BROKEN}
            self.broken_keys = {k for k in set(value) - set(self.data) if k is not _BROKEN}
        else:
            self.fail(None, "must be a table")
        self.broken = not isinstance(value, dict) or _BROKEN in value or bool(self.broken_keys)

    def fail(self, key: str | None, why: str, default: Any = None) -> Any:
        where = f"[{self.name}]" + (f" {key}" if key else "")
        self.problems.append(f"{self.path}: {where} {why}")
        self.broken = True
        return default

    def get(self, key: str, kind: type, default: Any) -> Any:
        value = self.data.get(key, default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return self.fail(key, f"must be {_KIND_NAMES[kind]}, not {_shown(key, value)}",
                             default)
        return value

    def positive(self, key: str, kind: type, default: Any, most: float = float("inf")) -> Any:
        value = self.get(key, kind, default)
        if not 0 < value < float("inf"):  # also refuses nan and inf
            return self.fail(key, f"must be greater than 0, not {value!r}", default)
        if value > most:
            return self.fail(key, f"must be at most {most:g}, not {value!r}", default)
        return value

    def address(self, key: str, default: str) -> str:
        from reader.feedback import single_address

        value: str = self.get(key, str, default).strip()
        if value and single_address(value) is None:
            self.fail(key, f"must be one plain email address such as feedback@example.org, "
                           f"not {value!r}")
            return default
        return value

    def reject_unknown(self, known: set[str], hints: dict[str, str] | None = None) -> None:
        import difflib

        for key in sorted(set(self.data) - known):
            close = difflib.get_close_matches(key.lower().replace("-", "_"), sorted(known), 1)
            hint = (hints or {}).get(key.lower()) or (f"; did you mean {close[0]}?" if close
                                                      else "")
            self.fail(key, f"is not a known setting (known: {', '.join(sorted(known))}){hint}")


_KIND_NAMES = {
    str: "text in quotes", int: "a whole number", float: "a number", bool: "true or false",
}


def _shown(key: str, value: object) -> str:
    return "what is given" if "password" in key.lower() else repr(value)


_PASSWORD_HINT = ("; the password is never written in reader.toml: put it in an environment "
                  "variable and name it with password_env, or in a systemd credential named "
                  "by password_credential (README: Email from a kiosk)")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CREDENTIAL_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}")


def _smtp(t: _Table) -> SmtpSettings:
    t.reject_unknown(set(SmtpSettings.__dataclass_fields__),
                     {"password": _PASSWORD_HINT, "pass": _PASSWORD_HINT,
                      "smtp_password": _PASSWORD_HINT})
    security = t.get("security", str, "starttls").lower()
    if security not in SECURITY_MODES:
        security = t.fail("security", f"must be one of {', '.join(SECURITY_MODES)}, "
                                      f"not {security!r}", "starttls")
    host = t.get("host", str, "").strip()
    if host:
        try:  # an IPv4 or IPv6 literal, or a name IDNA can encode with no empty label
            ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            try:  # decoding as well refuses malformed "xn--" labels
                valid = bool(host.encode("idna").decode("idna"))
            except UnicodeError:
                valid = False
            labels = host.removesuffix(".").split(".")
            if not (valid and host.isprintable() and " " not in host and all(labels)):
                host = t.fail("host", f"is not a valid host name or IP address: {host!r}", "")
    if security == "none" and host and not is_loopback_host(host):
        t.fail("security", '"none" is allowed only for a loopback host such as 127.0.0.1')
    port = t.get("port", int, 465 if security == "tls" else 587)
    if not 0 < port < 65536:
        t.fail("port", f"must be between 1 and 65535, not {port}")
    ca_file = t.get("ca_file", str, "")
    ca_path = None
    if ca_file:
        ca_path = Path(ca_file).expanduser()
        if not ca_path.is_absolute():
            ca_path = t.path.parent / ca_path
        if not ca_path.is_file():
            t.fail("ca_file", f"names {ca_path}, which is not a readable file")
    password_env = t.get("password_env", str, "").strip()
    if password_env and not _ENV_NAME.fullmatch(password_env):
        t.fail("password_env", "must be the name of an environment variable (letters, digits "
                               f"and _), not {password_env!r}; the password itself goes there")
    credential = t.get("password_credential", str, "").strip()
    if credential and not _CREDENTIAL_NAME.fullmatch(credential):
        t.fail("password_credential", "must be the name of a systemd credential (letters, "
                                      f"digits, _ . -), not {credential!r}")
    if password_env and credential:
        t.fail("password_credential", "and password_env are both given; name one source of "
                                      "the password")
    settings = SmtpSettings(
        host=host,
        port=port,
        security=security,
        username=t.get("username", str, ""),
        password_env=password_env,
        password_credential=credential,
        sender=t.address("sender", ""),
        recipient=t.address("recipient", DEFAULT_RECIPIENT) or DEFAULT_RECIPIENT,
        ca_file=ca_path,
        timeout=t.positive("timeout", float, 20.0),
    )
    return SmtpSettings() if t.broken else settings  # half a mail setup sends nothing right


def _kiosk(t: _Table) -> KioskSettings:
    t.reject_unknown(set(KioskSettings.__dataclass_fields__))
    settings = KioskSettings(
        enabled=t.get("enabled", bool, False),
        idle_seconds=t.positive("idle_seconds", int, 120, most=DAY_SECONDS),
        warning_seconds=t.positive("warning_seconds", int, 15, most=600),
        exit_pin_hash=t.get("exit_pin_hash", str, ""),
        text_scale=t.positive("text_scale", int, 150, most=MAX_SCALE),
        keyboard=t.get("keyboard", bool, True),
        crisis_note=t.get("crisis_note", str, "").strip(),
        volume=_volume(t),
    )
    if not settings.enabled and _may_mean_enabled(t):
        t.problems.append(f"{t.path}: [kiosk] has a mistake that may hide enabled = true, so "
                          "the reader starts as a kiosk; a readable enabled = false makes it "
                          "a desktop")
        settings = KioskSettings(**{**settings.__dict__, "enabled": True})
    return settings


def _volume(t: _Table) -> int:
    volume: int = t.get("volume", int, 80)
    if not 0 <= volume <= 100:
        return int(t.fail("volume", f"must be between 0 (read aloud off) and 100, not {volume}",
                          80))
    return volume


def _may_mean_enabled(t: _Table) -> bool:
    """True when a mistake in [kiosk] could hide `enabled = true`: never unlock by a typo."""
    if not t.broken or t.data.get("enabled") is False:
        return False  # a readable "enabled = false" is a desktop, whatever else is wrong
    if not isinstance(t.value, dict):
        return t.value is not False  # "kiosk = true", [[kiosk]]
    if "enabled" in t.data or "enabled" in t.broken_keys:
        return True  # a value that is not true or false, or a line that is not TOML
    return any(t.data.get(key) is not False for key in (*t.data, *t.broken_keys)
               if _close_to(key, "enabled"))


def _close_to(name: str, known: str) -> bool:
    import difflib  # only when reading a config file: it costs start-up time

    name = name.lower().replace("-", "_")
    return known in name or bool(difflib.get_close_matches(name, [known], cutoff=0.6))


def _content(t: _Table) -> ContentSettings:
    t.reject_unknown(set(ContentSettings.__dataclass_fields__))
    return ContentSettings(crisis_line=t.get("crisis_line", str, "").strip(),
                           danger_line=t.get("danger_line", str, "").strip())


LANGUAGES = ("en", "es")


def _reader(t: _Table) -> ReaderSettings:
    t.reject_unknown(set(ReaderSettings.__dataclass_fields__))
    language = t.get("language", str, "").strip().lower()
    if language and language not in LANGUAGES:
        language = t.fail("language", f"must be one of {', '.join(LANGUAGES)}, "
                                      f"not {language!r}", "")
    return ReaderSettings(language=language)


_SECTIONS = {"smtp": _smtp, "kiosk": _kiosk, "content": _content, "reader": _reader}
_HEADER_RE = re.compile(r"^\s*\[\[?\s*([^\]\s]*)")  # [table] or [[array of tables]]
_BROKEN = object()  # the value of a key whose line is not valid TOML
_KEY_RE = re.compile(r"^\s*[\"']?([A-Za-z0-9_.-]+)")


def parse_config(text: str, path: Path) -> Settings:
    """Settings from reader.toml's text; every mistake is in `problems`, none raises."""
    problems: list[str] = []
    data = _read_toml(text, path, problems)
    for name in sorted(set(data) - set(_SECTIONS)):
        close = [known for known in _SECTIONS if _close_to(name, known)]
        hint = f"; did you mean [{close[0]}]?" if close else ""
        problems.append(f"{path}: unknown section [{name}] (known: "
                        f"{', '.join(sorted(_SECTIONS))}){hint}")
        if close == ["kiosk"] and "kiosk" not in data:  # [kisok] enabled = true stays a kiosk
            data["kiosk"] = data[name]
        kiosk = data.setdefault("kiosk", {})
        if (_close_to(name, "enabled") and data[name] is not False and isinstance(kiosk, dict)
                and "enabled" not in kiosk):  # "enabled = true" above [kiosk], or misplaced
            kiosk["enabled"] = _BROKEN
    def table(name: str) -> _Table:
        return _Table(path, name, data.get(name, {}), problems)

    return Settings(smtp=_smtp(table("smtp")), kiosk=_kiosk(table("kiosk")),
                    content=_content(table("content")), reader=_reader(table("reader")),
                    source=path, problems=tuple(problems))


def _read_toml(text: str, path: Path, problems: list[str]) -> dict[str, Any]:
    """The file's tables. If it is not valid TOML, each table is read on its own, and a
    broken table line by line: what is readable is kept, each broken line is noted."""
    import tomllib  # only when a config file exists: it costs start-up time

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        pass
    data: dict[str, Any] = {}
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines) if _HEADER_RE.match(line)]
    for first, end in zip([0, *starts], [*starts, len(lines)], strict=True):
        chunk = lines[first:end]
        if not chunk:
            continue
        header = _HEADER_RE.match(chunk[0]) if first in starts else None
        section = header.group(1).strip("\"'") if header else ""
        try:
            part = tomllib.loads("\n".join(chunk))
        except tomllib.TOMLDecodeError as exc:
            part = _read_lines(chunk, first, section, path, problems, exc)
        for name, value in part.items():
            if name in data:
                problems.append(f"{path}: [{name}] is given twice; the first is used")
            else:
                data[name] = value
    return data


def _read_lines(chunk: list[str], first: int, section: str, path: Path,
                problems: list[str], error: Exception) -> dict[Any, Any]:
    """One table that is not valid TOML, read line by line."""
    import tomllib

    where = f" in [{section}]" if section else ""
    noted = len(problems)
    if section and not re.fullmatch(r"\s*\[\s*[A-Za-z0-9_-]+\s*\]\s*(#.*)?", chunk[0]):
        problems.append(f"{path}: line {first + 1}: not valid TOML: {chunk[0].strip()!r} "
                        "is not a table name such as [smtp]")
    table: dict[Any, Any] = {}
    body = chunk[1:] if section else chunk
    for number, line in enumerate(body, first + 1 + (len(chunk) - len(body))):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            value = tomllib.loads(line)
        except tomllib.TOMLDecodeError as exc:
            why = "is not UTF-8 text (save the file as UTF-8)" if _NOT_UTF8 in line \
                else f"not valid TOML: {_reason(exc)}"
            problems.append(f"{path}: line {number}{where}: {why}")
            named = _KEY_RE.match(line)
            if named and "=" in line:
                table[named.group(1)] = _BROKEN
            continue
        for key, item in value.items():
            if key in table:
                problems.append(f"{path}: line {number}{where}: not valid TOML: "
                                f"{key} is given twice")
                item = _BROKEN
            table[key] = item
    if len(problems) == noted:  # every line reads alone: a value over several lines
        at = first + int(m.group(1)) if (m := _AT_LINE.search(str(error))) else first + 1
        problems.append(f"{path}: line {at}{where}: not valid TOML: {_reason(error)}")
    if not section:
        return table
    table[_BROKEN] = _BROKEN  # the table's values are not all to be trusted
    return {section: table}


_AT_LINE = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")
_NOT_UTF8 = "\ufffd"


def _reason(exc: Exception) -> str:
    return _AT_LINE.sub("", str(exc)) or "cannot be read"


def load_config(path: Path) -> Settings:
    """The settings in effect from reader.toml (a missing file means the defaults), every
    mistake named in `problems`. ConfigError only when the file cannot be read at all."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # such a line becomes `key = <not TOML>`, noted by its number
        lines = []
        for line in raw.split(b"\n"):
            try:
                lines.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                lines.append(line.decode("utf-8", "replace").split("=")[0] + "= " + _NOT_UTF8)
        text = "\n".join(lines)
    return parse_config(text, path)
