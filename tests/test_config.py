"""reader.toml: typed settings, and errors that name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import (
    DEFAULT_RECIPIENT,
    ConfigError,
    KioskSettings,
    Settings,
    SmtpSettings,
    is_loopback_host,
    load_config,
    parse_config,
)


def write_config(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "reader.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def config_error(tmp_path: Path, text: str | bytes) -> str:
    """Every problem the file has, as the command line's ConfigError names them."""
    path = write_config(tmp_path, text)
    settings = load_config(path)  # the window's way: no exception, the problems listed
    assert settings.problems
    for problem in settings.problems:
        assert problem.startswith(f"{path}: "), problem
    with pytest.raises(ConfigError) as info:
        settings.checked()
    message = str(info.value)
    assert message == "\n".join(settings.problems)
    return message


def test_missing_file_means_defaults(tmp_path):
    settings = load_config(tmp_path / "absent.toml")
    assert settings == Settings()
    assert settings.smtp == SmtpSettings() and not settings.smtp.configured
    assert settings.smtp.recipient == DEFAULT_RECIPIENT
    assert settings.kiosk == KioskSettings()
    assert settings.content.crisis_line == ""


def test_empty_file_means_defaults_with_its_source(tmp_path):
    path = write_config(tmp_path, "")
    settings = load_config(path)
    assert settings.smtp == SmtpSettings() and settings.source == path


def test_a_full_file_is_read_into_typed_settings(tmp_path):
    (tmp_path / "ca.pem").write_text("dummy", encoding="utf-8")
    path = write_config(tmp_path, """
[smtp]
host = " mail.example.org "
port = 2525
security = "STARTTLS"
username = "reader"
password_env = "KFR_SMTP_PASSWORD"
sender = "kiosk@example.org"
recipient = "team@example.org"
ca_file = "ca.pem"
timeout = 5

[kiosk]
enabled = true
idle_seconds = 90
warning_seconds = 10
exit_pin_hash = "abc"
text_scale = 175

[content]
crisis_line = " Call 112. "
""")
    s = load_config(path)
    assert s.smtp == SmtpSettings(
        host="mail.example.org", port=2525, security="starttls", username="reader",
        password_env="KFR_SMTP_PASSWORD", sender="kiosk@example.org",
        recipient="team@example.org", ca_file=tmp_path / "ca.pem", timeout=5.0,
    )
    assert isinstance(s.smtp.timeout, float)
    assert s.smtp.configured
    assert s.kiosk == KioskSettings(enabled=True, idle_seconds=90, warning_seconds=10,
                                    exit_pin_hash="abc", text_scale=175)
    assert s.content.crisis_line == "Call 112."
    assert s.source == path


def test_default_port_follows_security(tmp_path):
    tls = parse_config('[smtp]\nhost = "m.example.org"\nsecurity = "tls"\n', tmp_path / "r.toml")
    assert tls.smtp.port == 465
    plain = parse_config('[smtp]\nhost = "m.example.org"\n', tmp_path / "r.toml")
    assert plain.smtp.port == 587 and plain.smtp.security == "starttls"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.5.5.5"])
def test_no_encryption_is_allowed_for_loopback(tmp_path, host):
    s = parse_config(f'[smtp]\nhost = "{host}"\nsecurity = "none"\nport = 1025\n',
                     tmp_path / "r.toml")
    assert s.smtp.security == "none" and is_loopback_host(host)


def test_blank_recipient_means_the_default(tmp_path):
    s = parse_config('[smtp]\nrecipient = "  "\n', tmp_path / "r.toml")
    assert s.smtp.recipient == DEFAULT_RECIPIENT


def test_absolute_and_home_ca_file(tmp_path, monkeypatch):
    ca = tmp_path / "abs.pem"
    ca.write_text("x", encoding="utf-8")
    s = parse_config(f'[smtp]\nca_file = "{ca}"\n', tmp_path / "sub" / "r.toml")
    assert s.smtp.ca_file == ca
    monkeypatch.setenv("HOME", str(tmp_path))
    s = parse_config('[smtp]\nca_file = "~/abs.pem"\n', tmp_path / "sub" / "r.toml")
    assert s.smtp.ca_file == ca


# --- every error names the file and the key --------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ('[smtp]\nhost = 5\n', ["[smtp] host", "text in quotes", "5"]),
    ('[smtp]\nport = "587"\n', ["[smtp] port", "a whole number"]),
    ('[smtp]\nport = 587.0\n', ["[smtp] port", "a whole number"]),
    ('[smtp]\nport = true\n', ["[smtp] port", "a whole number"]),
    ('[smtp]\nport = 0\n', ["[smtp] port", "between 1 and 65535"]),
    ('[smtp]\nport = 70000\n', ["[smtp] port", "between 1 and 65535", "70000"]),
    ('[smtp]\nsecurity = "ssl"\n', ["[smtp] security", "starttls, tls, none", "'ssl'"]),
    ('[smtp]\nsecurity = 1\n', ["[smtp] security", "text in quotes"]),
    ('[smtp]\nhost = "mail.example.org"\nsecurity = "none"\n', ["[smtp] security", "loopback"]),
    ('[smtp]\nhost = "10.0.0.1"\nsecurity = "none"\n', ["[smtp] security", "loopback"]),
    ('[smtp]\nca_file = "missing.pem"\n', ["[smtp] ca_file", "missing.pem", "not a readable"]),
    ('[smtp]\ntimeout = 0\n', ["[smtp] timeout", "greater than 0"]),
    ('[smtp]\ntimeout = -1.5\n', ["[smtp] timeout", "greater than 0"]),
    ('[smtp]\ntimeout = "20"\n', ["[smtp] timeout", "a number"]),
    ('[smtp]\ntimeout = nan\n', ["[smtp] timeout", "nan"]),
    ('[smtp]\ntimeout = inf\n', ["[smtp] timeout", "inf"]),
    ('[smtp]\nusername = ["a"]\n', ["[smtp] username", "text in quotes"]),
    ('[smtp]\npassword_env = 3\n', ["[smtp] password_env", "text in quotes"]),
    ('[smtp]\nsender = false\n', ["[smtp] sender"]),
    ('[smtp]\nrecipient = 1\n', ["[smtp] recipient"]),
    ('[smtp]\nhots = "typo"\n', ["[smtp] hots", "is not a known setting", "host"]),
    ("smtp = 1\n", ["[smtp]", "must be a table"]),
    ('[kiosk]\nenabled = "yes"\n', ["[kiosk] enabled", "true or false"]),
    ('[kiosk]\nenabled = 1\n', ["[kiosk] enabled", "true or false"]),
    ('[kiosk]\nidle_seconds = 0\n', ["[kiosk] idle_seconds", "greater than 0"]),
    ('[kiosk]\nidle_seconds = 1.5\n', ["[kiosk] idle_seconds", "a whole number"]),
    ('[kiosk]\nwarning_seconds = -3\n', ["[kiosk] warning_seconds", "greater than 0"]),
    ('[kiosk]\nexit_pin_hash = 1234\n', ["[kiosk] exit_pin_hash", "text in quotes"]),
    ('[kiosk]\ntext_scale = 0\n', ["[kiosk] text_scale", "greater than 0"]),
    ('[kiosk]\nexit_pin = "1234"\n', ["[kiosk] exit_pin", "is not a known setting"]),
    ("kiosk = []\n", ["[kiosk]", "must be a table"]),
    ('[content]\ncrisis_line = 988\n', ["[content] crisis_line", "text in quotes"]),
    ('[content]\nfolder = "x"\n', ["[content] folder", "is not a known setting"]),
    ('[mail]\nhost = "x"\n', ["unknown section [mail]", "smtp"]),
    ('title = "x"\n', ["unknown section [title]"]),
    ("[smtp\nhost = 'x'\n", ["not valid TOML"]),
    ('[smtp]\nhost = "a"\nhost = "b"\n', ["not valid TOML"]),
])
def test_each_error_names_the_file_and_the_key(tmp_path, text, expected):
    message = config_error(tmp_path, text)
    for part in expected:
        assert part in message, (part, message)


def test_the_password_itself_is_never_accepted(tmp_path):
    secret = "hunter2-correct-horse"
    message = config_error(tmp_path, f'[smtp]\nhost = "m.example.org"\npassword = "{secret}"\n')
    assert "[smtp] password" in message and "is not a known setting" in message
    assert "password_env" in message  # points at the right way
    assert secret not in message
    assert "password" not in SmtpSettings.__dataclass_fields__


def test_the_password_in_another_section_is_rejected_without_echo(tmp_path):
    secret = "s3cr3t-value"
    for text in (f'password = "{secret}"\n', f'[kiosk]\npassword = "{secret}"\n'):
        message = config_error(tmp_path, text)
        assert "password" in message and secret not in message


def test_not_utf8_names_the_file(tmp_path):
    message = config_error(tmp_path, '[content]\ncrisis_line = "caf\u00e9"\n'.encode("latin-1"))
    assert "is not UTF-8" in message


def test_unreadable_file_names_the_file(tmp_path):
    folder = tmp_path / "reader.toml"
    folder.mkdir()  # a folder where the file should be: reading it fails
    with pytest.raises(ConfigError) as info:
        load_config(folder)
    assert str(info.value).startswith(f"{folder}: cannot be read")


# --- the SMTP host is checked when the file is read --------------------------------------


@pytest.mark.parametrize("host", [
    "exa mple.com", "exa..com", ".example.org", "mail.example.org..", "a" * 64 + ".org",
    "xn--ü.org", "xn--zz.org", "mail\\u0007.example.org", "mail\\u00a0x.org", "tab\\there.org",
])
def test_invalid_smtp_host_names_the_file_and_key(tmp_path, host):
    message = config_error(tmp_path, f'[smtp]\nhost = "{host}"\n')
    assert "reader.toml" in message and "[smtp] host" in message and "not a valid" in message


@pytest.mark.parametrize("host", [
    "mail.example.org", "mail.example.org.", "MAIL.Example.ORG", "mail.exämple.org",
    "localhost", "smtp-relay", "192.0.2.7", "2001:db8::25", "[2001:db8::25]",
])
def test_valid_smtp_host_names_are_accepted(tmp_path, host):
    s = parse_config(f'[smtp]\nhost = "{host}"\n', tmp_path / "r.toml")
    assert s.smtp.host == host


# --- a mistake never stops reading; a kiosk is never unlocked by one -------------------


@pytest.mark.parametrize(("text", "kiosk"), [
    ('[kiosk]\nenabled = true\nidle_seconds = 0\n', True),  # the good keys are kept
    ('[kiosk]\nenabled = True\n', True),  # not TOML: the file is read table by table
    ('[kiosk]\nenabled = yes\nexit_pin_hash = "abc"\n', True),
    ('[kiosk]\nenabled = "true"\n', True),
    ('[kiosk]\nenabled = "no"\n', True),  # unreadable: safe is a kiosk
    ('[kiosk]\nenable = true\n', True),
    ('[kiosk]\nEnabled = true\n', True),
    ('[kiosk]\nenabeld = true\n', True),
    ('[kiosk]\nenabled = true\nenabled = true\n', True),
    ('[kisok]\nenabled = true\n', True),
    ('[Kiosk]\nenabled = true\n', True),
    ("kiosk = true\n", True),
    ('enabled = true\n[kiosk]\nidle_seconds = 60\n', True),  # above its table
    ('enabled = false\n[kiosk]\nidle_seconds = 60\n', False),
    ('[kiosk]\nenabled = false\nidle_seconds = 0\n', False),  # says false, readably
    ('[kiosk]\nidle_seconds = 0\n', False),  # a desktop's [kiosk] for --kiosk starts
    ('[kiosk]\nenable = false\n', False),
    ('[kisok]\nenabled = false\n', False),
    ('[smtp]\nport = "x"\n[kiosk]\nenabled = true\n', True),
    ('[smtp]\nhost = "a\n[kiosk]\nenabled = true\n', True),  # a broken [smtp] line
])
def test_a_kiosk_with_a_mistake_stays_a_kiosk(tmp_path, text, kiosk):
    settings = load_config(write_config(tmp_path, text))
    assert settings.problems
    assert settings.kiosk.enabled is kiosk, settings.problems


def test_a_kiosk_line_that_is_not_utf8_stays_a_kiosk(tmp_path):
    path = write_config(tmp_path, '[kiosk]\nenabled = true # caf\u00e9\nexit_pin_hash = "abc"\n'
                                  .encode("latin-1"))
    settings = load_config(path)
    assert settings.kiosk.enabled and settings.kiosk.exit_pin_hash == "abc"
    assert settings.problems[0] == f"{path}: line 2 in [kiosk]: is not UTF-8 text " \
                                   "(save the file as UTF-8)"


def test_a_broken_table_does_not_take_the_others_with_it(tmp_path):
    path = write_config(tmp_path, """\
[smtp]
host = "mail.example.org"
port = 587

[kiosk]
enabled = true
exit_pin_hash = "abc"
idle_seconds = 60s

[content]
crisis_line = "Call 988."
""")
    settings = load_config(path)
    assert settings.problems == (f"{path}: line 8 in [kiosk]: not valid TOML: Expected newline "
                                 "or end of document after a statement",)
    assert settings.smtp.host == "mail.example.org" and settings.smtp.configured
    assert settings.kiosk == KioskSettings(enabled=True, exit_pin_hash="abc")
    assert settings.content.crisis_line == "Call 988."


@pytest.mark.parametrize("text", [
    '[smtp]\nhost = "mail.example.org"\nport = "587"\n',
    '[smtp]\nhost = "mail.example.org"\nsender = "kiosk"\n',
    '[smtp]\nhost = "mail.example.org"\nhots = "x"\n',
    '[smtp]\nhost = "mail.example.org"\nport = 587 587\n',
])
def test_a_mistake_in_smtp_leaves_email_off_and_feedback_queued(tmp_path, text):
    settings = load_config(write_config(tmp_path, text))
    assert settings.problems and "[smtp]" in settings.problems[0]
    assert settings.smtp == SmtpSettings() and not settings.smtp.configured


@pytest.mark.parametrize("key", ["sender", "recipient"])
@pytest.mark.parametrize("value", [
    "kiosk", "a@b.org\\r\\nBcc: x@y.org", "a@b.org\\nBcc: x@y.org", "a@b.org, c@d.org",
    "Clinic <a@b.org>", "=?utf-8?q?x?=@b.org", "a@b", "a@@b.org", "a@b.org\\u0000",
])
def test_sender_and_recipient_are_one_plain_address(tmp_path, key, value):
    message = config_error(tmp_path, f'[smtp]\nhost = "m.example.org"\n{key} = "{value}"\n')
    assert f"[smtp] {key} must be one plain email address" in message


def test_sender_and_recipient_are_kept_when_plain(tmp_path):
    s = parse_config('[smtp]\nsender = " kiosk@clinic.example "\nrecipient = "t@exämple.org"\n',
                     tmp_path / "r.toml")
    assert (s.smtp.sender, s.smtp.recipient) == ("kiosk@clinic.example", "t@exämple.org")
    assert not s.problems
