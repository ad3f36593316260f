"""reader.toml into typed settings, with errors that name the file and the key."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from reader.settings import MAX_SCALE

DEFAULT_RECIPIENT = "feedback@ketaminenetwork.org"
SECURITY_MODES = ("starttls", "tls", "none")
DAY_SECONDS = 86_400  # Qt timers stop at about 24.8 days; a day is the useful ceiling


class ConfigError(Exception):
    """reader.toml cannot be used; the message says where and why."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password_env: str = ""
    sender: str = ""
    recipient: str = DEFAULT_RECIPIENT
    ca_file: Path | None = None
    timeout: float = 20.0

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class KioskSettings:
    enabled: bool = False
    idle_seconds: int = 120
    warning_seconds: int = 15
    exit_pin_hash: str = ""
    text_scale: int = 150
    keyboard: bool = True  # the on-screen keyboard; false leaves typing to the system's
    crisis_note: str = ""  # a staff line on the crisis card, e.g. "Tell the front desk"


@dataclass(frozen=True)
class ReaderSettings:
    language: str = ""  # "en" or "es"; empty: the system's language when translated


@dataclass(frozen=True)
class ContentSettings:
    crisis_line: str = ""  # empty: the content's own metadata decides
    danger_line: str = ""  # "If you are in danger now, call 911." unless set here or there


@dataclass(frozen=True)
class Settings:
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    content: ContentSettings = field(default_factory=ContentSettings)
    reader: ReaderSettings = field(default_factory=ReaderSettings)
    source: Path | None = None


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _Table:
    """Typed reads of one TOML table, with errors naming `file [table] key`."""

    def __init__(self, path: Path, name: str, data: object):
        self.path, self.name = path, name
        if not isinstance(data, dict):
            self.fail(None, "must be a table")
        self.data = data

    def fail(self, key: str | None, why: str):
        where = f"[{self.name}]" + (f" {key}" if key else "")
        raise ConfigError(f"{self.path}: {where} {why}")

    def get(self, key: str, kind: type, default):
        value = self.data.get(key, default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(key, f"must be {_KIND_NAMES[kind]}, not {value!r}")
        return value

    def positive(self, key: str, kind: type, default, most: float = float("inf")):
        value = self.get(key, kind, default)
        if not 0 < value < float("inf"):  # also refuses nan and inf
            self.fail(key, f"must be greater than 0, not {value!r}")
        if value > most:
            self.fail(key, f"must be at most {most:g}, not {value!r}")
        return value

    def reject_unknown(self, known: set[str]):
        unknown = sorted(set(self.data) - known)
        if unknown:
            self.fail(unknown[0], f"is not a known setting (known: {', '.join(sorted(known))})")


_KIND_NAMES = {
    str: "text in quotes", int: "a whole number", float: "a number", bool: "true or false",
}


def _smtp(t: _Table) -> SmtpSettings:
    t.reject_unknown(set(SmtpSettings.__dataclass_fields__))
    security = t.get("security", str, "starttls").lower()
    if security not in SECURITY_MODES:
        t.fail("security", f"must be one of {', '.join(SECURITY_MODES)}, not {security!r}")
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
                t.fail("host", f"is not a valid host name or IP address: {host!r}")
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
    return SmtpSettings(
        host=host,
        port=port,
        security=security,
        username=t.get("username", str, ""),
        password_env=t.get("password_env", str, ""),
        sender=t.get("sender", str, "").strip(),
        recipient=t.get("recipient", str, DEFAULT_RECIPIENT).strip() or DEFAULT_RECIPIENT,
        ca_file=ca_path,
        timeout=t.positive("timeout", float, 20.0),
    )


def _kiosk(t: _Table) -> KioskSettings:
    t.reject_unknown(set(KioskSettings.__dataclass_fields__))
    return KioskSettings(
        enabled=t.get("enabled", bool, False),
        idle_seconds=t.positive("idle_seconds", int, 120, most=DAY_SECONDS),
        warning_seconds=t.positive("warning_seconds", int, 15, most=600),
        exit_pin_hash=t.get("exit_pin_hash", str, ""),
        text_scale=t.positive("text_scale", int, 150, most=MAX_SCALE),
        keyboard=t.get("keyboard", bool, True),
        crisis_note=t.get("crisis_note", str, "").strip(),
    )


def _content(t: _Table) -> ContentSettings:
    t.reject_unknown(set(ContentSettings.__dataclass_fields__))
    return ContentSettings(crisis_line=t.get("crisis_line", str, "").strip(),
                           danger_line=t.get("danger_line", str, "").strip())


LANGUAGES = ("en", "es")


def _reader(t: _Table) -> ReaderSettings:
    t.reject_unknown(set(ReaderSettings.__dataclass_fields__))
    language = t.get("language", str, "").strip().lower()
    if language and language not in LANGUAGES:
        t.fail("language", f"must be one of {', '.join(LANGUAGES)}, not {language!r}")
    return ReaderSettings(language=language)


_SECTIONS = {"smtp": _smtp, "kiosk": _kiosk, "content": _content, "reader": _reader}


def parse_config(text: str, path: Path) -> Settings:
    import tomllib  # only when a config file exists: it costs start-up time

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(_SECTIONS))
    if unknown:
        raise ConfigError(
            f"{path}: unknown section [{unknown[0]}] (known: {', '.join(sorted(_SECTIONS))})"
        )
    parts = {
        name: parse(_Table(path, name, data.get(name, {}))) for name, parse in _SECTIONS.items()
    }
    return Settings(**parts, source=path)


def load_config(path: Path) -> Settings:
    """Settings from reader.toml; a missing file means the defaults."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text") from None
    return parse_config(text, path)
