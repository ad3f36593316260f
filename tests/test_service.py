"""The kiosk's systemd unit (`main.py kiosk service`) and the reader's sd_notify pings."""

from __future__ import annotations

import contextlib
import grp  # noqa: F401  (loaded before a test gives up root's rights: /root holds its file)
import itertools
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from smtp_helpers import Inbox, free_port, make_certificate, smtp_server

from reader import cli
from reader.feedback import FeedbackInput
from reader.outbox import Outbox
from reader.sdnotify import DEFAULT_PING_SECONDS, Notifier
from reader.service import (
    UNIT_NAME,
    Secret,
    ServiceError,
    ServiceSpec,
    reader_command,
    unit_text,
    unreachable,
)

ROOT = Path(__file__).resolve().parent.parent
NOBODY = 65534


def parse_unit(text: str) -> dict[str, list[str]]:
    """Section.Key -> values, in order (systemd allows a key more than once)."""
    values: dict[str, list[str]] = {}
    section = ""
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        values.setdefault(f"{section}.{key}", []).append(value)
    return values


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


def verify(unit: Path) -> subprocess.CompletedProcess:
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is missing: apt-get install systemd "
                    "(dev.py installs it from scripts/qt_system_packages.txt)")
    return subprocess.run(["systemd-analyze", "verify", "--man=no", str(unit)],
                          capture_output=True, text=True, timeout=60)


# --- the unit -----------------------------------------------------------------


def test_unit_passes_systemd_analyze_verify(tmp_path):
    checkout = tmp_path / "opt" / "reader"
    executable(checkout / ".venv" / "bin" / "python")
    (checkout / "main.py").write_text("")
    cage = executable(tmp_path / "bin" / "cage")
    spec = ServiceSpec(command=reader_command(frozen=False, root=checkout), cage=str(cage))
    unit = tmp_path / UNIT_NAME
    unit.write_text(unit_text(spec))

    result = verify(unit)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no unknown keys, no bad values: verify only warns on those
    assert result.stdout == ""


def test_verify_rejects_a_unit_whose_programs_are_missing(tmp_path):
    # the check above means something: verify looks at ExecStart's program
    spec = ServiceSpec(command=(str(tmp_path / "no-python"), "main.py", "--kiosk"),
                       cage=str(tmp_path / "no-cage"))
    unit = tmp_path / UNIT_NAME
    unit.write_text(unit_text(spec))

    result = verify(unit)

    assert result.returncode != 0
    assert "no-cage" in result.stderr


def test_unit_runs_the_reader_under_cage_restarted_and_watched(tmp_path):
    checkout = tmp_path / "reader"
    executable(checkout / ".venv" / "bin" / "python")
    spec = ServiceSpec(command=reader_command(frozen=False, root=checkout), user="frontdesk")
    unit = parse_unit(unit_text(spec))

    assert unit["Service.ExecStart"] == [
        f"/usr/bin/cage -d -- {checkout}/.venv/bin/python {checkout}/main.py --kiosk"]
    assert unit["Service.Type"] == ["notify"]
    assert unit["Service.NotifyAccess"] == ["all"]  # cage is the main process, the reader its child
    assert unit["Service.Restart"] == ["always"]
    assert unit["Service.WatchdogSec"] == ["30"]
    assert unit["Service.User"] == ["frontdesk"]
    assert unit["Service.TTYPath"] == ["/dev/tty1"]
    assert unit["Service.StandardInput"] == ["tty-fail"]
    assert unit["Service.StandardOutput"] == ["journal"]
    assert "PAMName" not in unit  # a session scope would take the reader out of this unit
    assert unit["Unit.Conflicts"] == ["getty@tty1.service"]
    assert unit["Unit.Wants"] == ["seatd.service"]
    assert "XDG_RUNTIME_DIR=/run/ketamine-faq-reader" in unit["Service.Environment"]
    assert unit["Service.RuntimeDirectory"] == ["ketamine-faq-reader"]
    assert unit["Install.WantedBy"] == ["multi-user.target"]


def test_the_kiosk_may_use_the_sound_card_and_the_sender_no_device(tmp_path):
    """Read aloud speaks through ALSA (/dev/snd, group audio on Debian): the sandbox that
    closes every other device leaves it open for the kiosk, never for the outbox sender."""
    checkout = tmp_path / "reader"
    executable(checkout / ".venv" / "bin" / "python")
    spec = ServiceSpec(command=reader_command(frozen=False, root=checkout), user="frontdesk")
    kiosk = parse_unit(unit_text(spec))
    assert kiosk["Service.DevicePolicy"] == ["closed"]
    assert "char-alsa rw" in kiosk["Service.DeviceAllow"]
    assert kiosk["Service.SupplementaryGroups"] == ["video audio"]
    from reader.service import sender_units

    sender = parse_unit(sender_units(spec)[0])
    assert sender["Service.PrivateDevices"] == ["yes"] and "Service.DeviceAllow" not in sender


def test_frozen_bundle_runs_its_own_binary(tmp_path):
    binary = executable(tmp_path / "ketamine-faq-reader" / "ketamine-faq-reader")
    command = reader_command(frozen=True, executable=str(binary))
    assert command == (str(binary), "--kiosk")
    exec_start = parse_unit(unit_text(ServiceSpec(command=command)))["Service.ExecStart"]
    assert exec_start == [f"/usr/bin/cage -d -- {binary} --kiosk"]


def test_checkout_without_venv_uses_the_running_python(tmp_path):
    command = reader_command(frozen=False, executable="/usr/bin/python3", root=tmp_path)
    assert command == ("/usr/bin/python3", str(tmp_path / "main.py"), "--kiosk")


def test_paths_with_spaces_and_percent_are_quoted_for_systemd(tmp_path):
    folder = tmp_path / "Clinic 100% FAQ"
    python = executable(folder / ".venv" / "bin" / "python")
    cage = executable(tmp_path / "bin" / "cage")
    spec = ServiceSpec(command=reader_command(frozen=False, root=folder), cage=str(cage))
    exec_start = parse_unit(unit_text(spec))["Service.ExecStart"][0]
    assert f'"{str(python).replace("%", "%%")}"' in exec_start
    (folder / "main.py").write_text("")
    unit = tmp_path / UNIT_NAME
    unit.write_text(unit_text(spec))
    result = verify(unit)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("user, reason", [
    ("root", "refuses to run as root"), ("Kiosk User", "not a user name"),
    ("", "not a user name"), ("a" * 40, "not a user name"),
])
def test_bad_users_are_refused(user, reason):
    with pytest.raises(ServiceError, match=reason):
        ServiceSpec(command=("/x", "--kiosk"), user=user)


def test_unreachable_names_the_private_folder():
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:  # tmp_path's parent is private
        top = Path(folder)
        top.chmod(0o755)
        private = top / "private"
        target = executable(private / "python")
        private.chmod(0o700)
        assert unreachable(str(target)) == f"{private} is private (mode 700)"
        private.chmod(0o755)
        assert unreachable(str(target)) == ""
        target.chmod(0o700)
        assert unreachable(str(target)) == f"{target} is private (mode 700)"
        assert unreachable(str(top / "gone")) == f"{top / 'gone'} does not exist"


# --- main.py kiosk service ----------------------------------------------------


def run_main(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def shared():
    """A folder every user can reach (tmp_path's parents are private), removed after."""
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        top = Path(folder)
        top.chmod(0o755)
        yield top


@pytest.fixture
def bundle(shared):
    """A standalone bundle's program where every user can run it, as in /opt."""
    program = executable(shared / "opt" / "ketamine-faq-reader" / "ketamine-faq-reader")
    for folder in (program.parent, program.parent.parent):
        folder.chmod(0o755)
    return program


def test_kiosk_service_prints_the_hardened_unit(bundle):
    result = run_main("kiosk", "service", "--user", "frontdesk", "--program", str(bundle))
    assert result.returncode == 0, result.stderr
    unit = parse_unit(result.stdout)
    assert unit["Service.User"] == ["frontdesk"]
    assert unit["Service.ExecStart"] == [f"/usr/bin/cage -d -- {bundle} --kiosk"]
    assert "there is no user 'frontdesk' yet; create it with: useradd" in result.stderr
    for key, value in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"),
                       ("ProtectHome", "read-only"), ("PrivateTmp", "yes"),
                       ("CapabilityBoundingSet", ""), ("RestrictSUIDSGID", "yes"),
                       ("RestrictNamespaces", "yes"), ("LockPersonality", "yes"),
                       ("UMask", "0077"), ("ProtectKernelTunables", "yes"),
                       ("ProtectKernelModules", "yes"), ("ProtectControlGroups", "yes")):
        assert unit[f"Service.{key}"] == [value], key
    assert unit["Service.SystemCallFilter"][0] == "@system-service"


def security_score(unit: Path) -> float:
    result = subprocess.run(["systemd-analyze", "security", "--offline=true", "--no-pager",
                             str(unit)], capture_output=True, text=True, timeout=60)
    found = [line for line in result.stdout.splitlines() if "Overall exposure level" in line]
    assert found, result.stdout + result.stderr
    return float(found[0].split(":")[1].split()[0])


def test_systemd_analyze_security_rates_the_unit_ok(tmp_path, shared, bundle):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is missing: apt-get install systemd")
    data = shared / "data"
    result = run_main("kiosk", "service", "--program", str(bundle), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    unit = tmp_path / UNIT_NAME
    unit.write_text(result.stdout)
    score = security_score(unit)
    print(f"systemd-analyze security: {score}")
    assert score <= 4.9  # "OK"; the unit without its sandbox was 9.4 "UNSAFE"
    # the data folder is the one place the kiosk may write
    assert parse_unit(result.stdout)["Service.ReadWritePaths"] == [f"-{data}"]


def test_kiosk_service_passes_on_where_to_read(shared, bundle):
    config, content = shared / "kiosk.toml", shared / "faq"
    config.write_text("[kiosk]\nenabled = true\n")
    config.chmod(0o644)
    content.mkdir(mode=0o755)
    result = run_main("kiosk", "service", "--program", str(bundle), "--config", str(config),
                      "--content", str(content))
    assert result.returncode == 0, result.stderr
    exec_start = parse_unit(result.stdout)["Service.ExecStart"][0]
    assert exec_start.endswith(f"{bundle} --kiosk --content {content} --config {config}")


def test_kiosk_service_names_every_path_the_user_cannot_use_and_exits_2(shared, bundle):
    private = shared / "private"
    private.mkdir(mode=0o700)
    config = private / "reader.toml"
    config.write_text("")
    data = shared / "data"
    data.mkdir(mode=0o755)  # readable, not writable, by the kiosk user
    result = run_main("kiosk", "service", "--user", "frontdesk", "--program", str(bundle),
                      "--config", str(config), "--content", str(shared / "no-faq"),
                      "--data-dir", str(data))
    assert result.returncode == 2 and result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: user frontdesk cannot read --content {shared / 'no-faq'}: "
        f"{shared / 'no-faq'} does not exist",
        f"error: user frontdesk cannot read --config {config}: {private} is private (mode 700)",
        f"error: user frontdesk cannot write its data folder {data}: {data} is not writable "
        "for it (mode 755)",
        "error: nothing was written; the unit would fail at boot (fix the above, then run "
        "this again)",
    ]
    unreadable = run_main("kiosk", "service", "--program", str(shared / "gone"))
    assert unreadable.returncode == 2
    assert f"cannot run the reader {shared / 'gone'}: {shared / 'gone'} does not exist" \
        in unreadable.stderr


def test_kiosk_service_refuses_root_and_nobody():
    result = run_main("kiosk", "service", "--user", "root")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "cage refuses to run as root" in result.stderr
    result = run_main("kiosk", "service", "--user", "nobody")
    assert result.returncode == 2 and result.stdout == ""
    assert "refusing user nobody" in result.stderr and "useradd" in result.stderr


def _smtp_config(folder: Path, source: str) -> Path:
    config = folder / "reader.toml"
    config.write_text(f'[smtp]\nhost = "mail.example.org"\nusername = "kiosk"\n{source}\n')
    config.chmod(0o644)
    return config


@pytest.mark.parametrize("source, file, line", [
    ('password_credential = "smtp-password"', "smtp-password",
     "LoadCredential=smtp-password:{path}"),
    ('password_credential = "smtp-password"', "smtp-password.cred",
     "LoadCredentialEncrypted=smtp-password:{path}"),
    ('password_env = "KFR_SMTP_PASSWORD"', "smtp.env", "EnvironmentFile={path}"),
])
def test_kiosk_service_hands_the_password_over_the_systemd_way(shared, bundle, source, file,
                                                                line):
    config = _smtp_config(shared, source)
    secrets = shared / "secrets"
    secrets.mkdir(mode=0o755)
    args = ("kiosk", "service", "--program", str(bundle), "--config", str(config),
            "--secrets", str(secrets))
    missing = run_main(*args)
    assert missing.returncode == 2 and missing.stdout == ""
    assert f"{config}: [smtp] password_" in missing.stderr and "does not exist" in missing.stderr
    path = secrets / file
    path.write_text("KFR_SMTP_PASSWORD=s3cret\n" if file.endswith(".env") else "s3cret\n")
    path.chmod(0o644)
    loose = run_main(*args)
    assert loose.returncode == 2
    assert f"{path} can be read by every user (mode 644): chmod 0600" in loose.stderr
    path.chmod(0o600)
    if file.endswith(".env"):  # a file that names another variable would send no password
        path.write_text("SMTP_PASSWORD=s3cret\n")
        other = run_main(*args)
        assert other.returncode == 2
        assert f"{path} does not set KFR_SMTP_PASSWORD" in other.stderr
        path.write_text("KFR_SMTP_PASSWORD=s3cret\n")
    result = run_main(*args)
    assert result.returncode == 0, result.stderr
    assert line.format(path=path) in result.stdout.splitlines()
    assert "s3cret" not in result.stdout


def test_install_writes_the_unit_whole_and_readable(tmp_path, bundle):
    target = tmp_path / UNIT_NAME
    target.write_text("an older unit\n")
    printed = run_main("kiosk", "service", "--program", str(bundle)).stdout

    result = run_main("kiosk", "service", "--program", str(bundle), "--install", "--output",
                      str(target))

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {target}\n"
    assert target.read_text() == printed
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == [UNIT_NAME]  # no temp file left
    other = tmp_path / "other.service"
    assert run_main("kiosk", "service", "--program", str(bundle), "--output",
                    str(other)).returncode == 0
    assert other.read_text() == printed


def test_install_without_permission_exits_2_and_writes_nothing(tmp_path, capsys):
    locked = tmp_path / "systemd"
    locked.mkdir()
    as_root = os.geteuid() == 0
    locked.chmod(0o755 if as_root else 0o555)  # root-owned 755: closed to everyone else
    # the same command once as ourselves first: the modules it imports are read now, since
    # as nobody a checkout in a private home (/root on a bare system) could not be read
    assert cli.main(["kiosk", "service", "--program", "/bin/sh",
                     "--output", str(tmp_path / UNIT_NAME)]) == 0
    capsys.readouterr()
    try:
        if as_root:  # a real unprivileged write: this process drops its effective uid
            os.seteuid(NOBODY)
        try:
            code = cli.main(["kiosk", "service", "--program", "/bin/sh", "--install",
                             "--output", str(locked / UNIT_NAME)])
        finally:
            if as_root:
                os.seteuid(0)
    finally:
        locked.chmod(0o755)
    err = capsys.readouterr().err
    assert code == 2
    assert f"not permitted to write {locked / UNIT_NAME}; run this as root (sudo)" in err
    assert "--output FILE" in err
    assert list(locked.iterdir()) == []


# --- sd_notify ------------------------------------------------------------------


def bound_socket(address) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.settimeout(5)
    return sock


def test_notifier_speaks_to_a_path_socket(tmp_path):
    path = str(tmp_path / "notify")
    with bound_socket(path) as sock:
        notifier = Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"})
        assert notifier.enabled and notifier.ping_seconds == 15
        assert notifier.ready() and notifier.ping() and notifier.stopping()
        messages = [sock.recv(4096) for _ in range(3)]
    assert messages == [b"READY=1\nSTATUS=Showing the FAQ", b"WATCHDOG=1", b"STOPPING=1"]


def test_notifier_speaks_to_an_abstract_socket():
    name = f"kfr-test-{uuid.uuid4().hex}"
    with bound_socket(b"\0" + name.encode()) as sock:
        notifier = Notifier({"NOTIFY_SOCKET": "@" + name})
        assert notifier.ping()
        notifier.close()
        assert sock.recv(4096) == b"WATCHDOG=1"


@pytest.mark.parametrize("env", [{}, {"NOTIFY_SOCKET": ""}, {"NOTIFY_SOCKET": "vsock:2:9"}])
def test_without_a_socket_nothing_is_sent(env):
    notifier = Notifier(env)
    assert not notifier.enabled
    assert notifier.ping() is False


def test_a_missing_socket_is_not_an_error(tmp_path):
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert notifier.ping() is False
    notifier.close()


@pytest.mark.parametrize("usec, seconds", [
    ("", DEFAULT_PING_SECONDS), ("0", DEFAULT_PING_SECONDS), ("soon", DEFAULT_PING_SECONDS),
    ("400000", 0.2), ("60000000", 30),
])
def test_pings_at_half_the_watchdog_interval(usec, seconds):
    assert Notifier({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": usec}).ping_seconds == seconds


def start_reader(tmp_path, sock_path: str, *args: str, **extra: str) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": sock_path,
           "KFR_DATA_DIR": str(tmp_path / "data"), "KFR_CONFIG": str(tmp_path / "reader.toml"),
           **extra}
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def receive(sock: socket.socket, seconds: float) -> list[tuple[float, bytes]]:
    """Every datagram for so long, with the time it arrived."""
    received, end = [], time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            received.append((time.monotonic(), sock.recv(4096)))
        except TimeoutError:
            break
    return received


def test_the_reader_pings_from_its_gui_thread_and_stops_while_it_hangs(tmp_path):
    path = str(tmp_path / "notify")
    with bound_socket(path) as sock:
        # pings every 0.2 s; 1.5 s after the first paint the GUI thread sleeps for 2.5 s
        reader = start_reader(tmp_path, path, "--kiosk", WATCHDOG_USEC="400000",
                              KFR_TEST_HANG_GUI="1.5,2.5")
        try:
            sock.settimeout(60)
            first = sock.recv(4096)
            ready_at = time.monotonic()
            received = receive(sock, 6.5)
        finally:
            reader.terminate()
            _, err = reader.communicate(timeout=30)
    assert first == b"READY=1\nSTATUS=Showing the FAQ", err
    assert {message for _, message in received} == {b"WATCHDOG=1"}
    times = [ready_at] + [at for at, _ in received]
    gaps = [(later - earlier, earlier - ready_at) for earlier, later in itertools.pairwise(times)]
    hang = max(gaps)
    assert hang[0] >= 2.3  # no ping while the GUI thread slept
    assert 1.0 <= hang[1] <= 2.5  # and it began when the hang did
    before = [gap for gap, since in gaps if since < hang[1]]
    after = [gap for gap, since in gaps if since > hang[1]]
    assert len(before) >= 4 and len(after) >= 5  # pings before, and again after
    assert max(after) < 2.0  # a busy machine may delay one, never as long as the hang


def test_the_reader_says_stopping_when_it_quits(tmp_path):
    path = str(tmp_path / "notify")
    with bound_socket(path) as sock:
        reader = start_reader(tmp_path, path, KFR_QUIT_AFTER_FIRST_PAINT="1")
        try:
            out, err = reader.communicate(timeout=60)
        finally:
            reader.kill()
        received = [message for _, message in receive(sock, 0.5)]
    assert reader.returncode == 0, err
    assert received[0] == b"READY=1\nSTATUS=Showing the FAQ"
    assert received[-1] == b"STOPPING=1"


def test_sigterm_saves_the_settings_shuts_the_outbox_and_exits_0(tmp_path):
    """systemd's stop (SIGTERM) goes through the normal quit: the question read is
    remembered, the sender stops and the outbox closes with nothing delivered left in its
    files, systemd hears STOPPING=1, exit 0 (it was -15)."""
    import json

    from smtp_helpers import Inbox, smtp_server

    comments = "Kept until it is delivered, then gone from every file."
    data = tmp_path / "data"
    with smtp_server(Inbox()) as server:
        inbox = server.handler
        (tmp_path / "reader.toml").write_text(
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n')
        assert cli.main(["feedback", "submit", "--name", "Ana", "--comments", comments,
                         "--data-dir", str(data), "--config",
                         str(tmp_path / "reader.toml")]) == 0
        path = str(tmp_path / "notify")
        with bound_socket(path) as sock:
            reader = start_reader(tmp_path, path, "--open", "is-ketamine-safe")
            try:
                sock.settimeout(60)
                assert sock.recv(4096) == b"READY=1\nSTATUS=Showing the FAQ"
                assert inbox.received.wait(60), "the sender did not deliver"
                deadline = time.monotonic() + 30
                while b"Kept until" in b"".join(p.read_bytes() for p in data.glob("outbox*")):
                    assert time.monotonic() < deadline  # delivered, then deleted
                    time.sleep(0.05)
                reader.send_signal(signal.SIGTERM)
                out, err = reader.communicate(timeout=60)
            finally:
                reader.kill()
            received = [message for _, message in receive(sock, 0.5)]
    assert reader.returncode == 0, err
    assert "SIGTERM: stopping" in err and "Traceback" not in err
    assert received and received[-1] == b"STOPPING=1"
    saved = json.loads((data / "settings.json").read_text())
    assert saved["last_section"] == "is-ketamine-safe"
    assert len(inbox.messages) == 1
    for file in data.glob("outbox.sqlite3*"):  # the WAL checkpointed and truncated at close
        assert b"Kept until" not in file.read_bytes(), file
    wal = data / "outbox.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_kiosk_stops_cleanly_on_sigterm_and_sigint(tmp_path, number):
    """A kiosk window refuses to close; a stop from outside still ends it, exit 0."""
    path = str(tmp_path / "notify")
    with bound_socket(path) as sock:
        reader = start_reader(tmp_path, path, "--kiosk")
        try:
            sock.settimeout(60)
            assert sock.recv(4096).startswith(b"READY=1")
            reader.send_signal(number)
            _, err = reader.communicate(timeout=60)
        finally:
            reader.kill()
        received = [message for _, message in receive(sock, 0.5)]
    assert reader.returncode == 0, err
    assert f"{signal.Signals(number).name}: stopping" in err and "Traceback" not in err
    assert received[-1] == b"STOPPING=1"
    assert not (tmp_path / "data" / "settings.json").exists()  # a kiosk remembers nothing


def test_a_kiosk_quits_after_its_first_paint_when_asked(tmp_path):
    """KFR_QUIT_AFTER_FIRST_PAINT (bench_startup) on a kiosk, whose window refuses to close
    to patients: it used to wait for ever."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KFR_QUIT_AFTER_FIRST_PAINT": "1",
           "KFR_DATA_DIR": str(tmp_path / "data"), "KFR_CONFIG": str(tmp_path / "reader.toml")}
    env.pop("NOTIFY_SOCKET", None)
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--kiosk"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert '"first_paint"' in result.stdout


def test_without_notify_socket_the_reader_sends_nothing(tmp_path):
    # a plain start: nothing listens, nothing is sent, the reader starts and quits as before
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KFR_QUIT_AFTER_FIRST_PAINT": "1",
           "KFR_DATA_DIR": str(tmp_path / "data"), "KFR_CONFIG": str(tmp_path / "reader.toml")}
    env.pop("NOTIFY_SOCKET", None)
    result = subprocess.run([sys.executable, str(ROOT / "main.py")], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert '"first_paint"' in result.stdout


# --- under cage ---------------------------------------------------------------------


def _python_for(unreachable_by_user) -> list[str] | None:
    """A Python the unprivileged user can run with this venv's packages, or None."""
    site_packages = next(p for p in sys.path if p.endswith("site-packages"))
    if not unreachable_by_user(sys.executable):
        return [sys.executable]
    system = shutil.which("python3", path="/usr/bin:/bin")
    if system and not unreachable_by_user(system):
        probe = subprocess.run([system, "-c", "import sys; print(*sys.version_info[:2])"],
                               capture_output=True, text=True)
        if probe.stdout.split() == [str(n) for n in sys.version_info[:2]]:
            return ["env", f"PYTHONPATH={site_packages}", system]
    return None


def nobody_python() -> list[str]:
    """The command that runs this checkout's reader as user nobody; skips if none can."""
    for path in (str(ROOT / "main.py"), str(ROOT / "content")):
        if unreachable(path):
            pytest.skip(f"user nobody cannot read the checkout: {unreachable(path)}")
    python = _python_for(unreachable)
    if python is None:
        pytest.skip(f"user nobody cannot run {sys.executable} ({unreachable(sys.executable)}) "
                    "and /usr/bin/python3 is not the same version")
    return python


@contextlib.contextmanager
def xvfb():
    """An X server on a free display, for wlroots' x11 backend; yields DISPLAY."""
    number = next(n for n in range(140, 400) if not Path(f"/tmp/.X{n}-lock").exists()
                  and not Path(f"/tmp/.X11-unix/X{n}").exists())
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1366x768x24", "-ac",
                               "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            assert time.monotonic() < deadline and server.poll() is None, "Xvfb did not start"
            time.sleep(0.05)
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def cage_cannot_show(prefix: list[str], env: dict[str, str], folder: Path) -> str:
    """Why cage cannot show a window with this backend here ("" when it can): cage runs
    grim as its only client, which must capture a picture of the output. wlroots' headless
    backend needs a DRM render node, and its x11 backend aborts on some X servers ("Basic
    output test failed for X11-1"); such a machine skips with the reason, not a false diff."""
    shot = folder / "probe.png"
    try:
        probe = subprocess.run([*prefix, "cage", "-d", "--", "grim", str(shot)], env=env,
                               capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "cage did not show its output within 60 s"
    if probe.returncode == 0 and shot.exists() and shot.stat().st_size > 0:
        shot.unlink()
        return ""
    lines = [line for line in (probe.stdout + probe.stderr).splitlines() if line.strip()]
    backend = env.get("WLR_BACKENDS", "auto")
    return (f"cage's {backend} backend cannot show a window here (exit {probe.returncode}): "
            + " | ".join(lines[-3:]))


def test_the_cage_probe_says_why_a_backend_cannot_show_a_window():
    """What a machine whose backend fails gets: a skip with cage's own words, not a diff."""
    if not (shutil.which("cage") and shutil.which("grim")):
        pytest.skip("cage or grim not installed (apt-get install cage grim)")
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        top = Path(folder)
        top.chmod(0o755)
        prefix = []
        if os.geteuid() == 0:
            prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
            os.chown(top, NOBODY, NOBODY)
        why = cage_cannot_show(prefix, {"PATH": "/usr/bin:/bin", "HOME": str(top),
                                        "XDG_RUNTIME_DIR": str(top), "WLR_BACKENDS": "x11",
                                        "WLR_RENDERER": "pixman", "DISPLAY": ":399"}, top)
    assert why.startswith("cage's x11 backend cannot show a window here (exit "), why
    assert len(why) > 60  # with cage's last lines


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["wayland", "xcb"])  # the unit's QT_QPA_PLATFORM=wayland;xcb
def test_the_kiosk_under_cage_as_an_unprivileged_user(tmp_path, platform):
    """cage (the compositor the unit runs) shows the reader full screen; grim sees it.
    With xcb the reader is an X client of cage's Xwayland."""
    missing = [tool for tool in ("cage", "grim", "Xwayland") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install cage grim xwayland)")
    as_root = os.geteuid() == 0
    # cage refuses root: as root, run it as nobody (setpriv execs, so signals reach cage)
    prefix = (["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
              if as_root else [])
    python = nobody_python() if as_root else [sys.executable]
    headless = any(Path("/dev/dri").glob("renderD*"))
    if not headless and not shutil.which("Xvfb"):
        pytest.skip("no DRM render node for the headless backend, and no Xvfb for the x11 one")

    with tempfile.TemporaryDirectory(dir="/tmp") as folder:  # tmp_path's parent is private
        top = Path(folder)
        top.chmod(0o755)
        runtime, home = top / "runtime", top / "home"
        for path in (runtime, home):
            path.mkdir(mode=0o700)
            if as_root:
                os.chown(path, NOBODY, NOBODY)
        notify = str(top / "notify")
        env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime),
               "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1",
               "QT_QPA_PLATFORM": platform, "NOTIFY_SOCKET": notify,
               "WATCHDOG_USEC": "1000000", "LANG": "C.UTF-8"}
        with contextlib.ExitStack() as stack:
            if headless:
                env["WLR_BACKENDS"] = "headless"
            else:  # wlroots' headless backend needs a DRM render node; a nested X11 output works
                display = stack.enter_context(xvfb())
                env |= {"WLR_BACKENDS": "x11", "DISPLAY": display}
            probe_runtime = top / "probe-runtime"  # its own: the probe leaves nothing in the way
            probe_runtime.mkdir(mode=0o700)
            if as_root:
                os.chown(probe_runtime, NOBODY, NOBODY)
            probe_env = {key: value for key, value in env.items() if key != "NOTIFY_SOCKET"}
            why = cage_cannot_show(prefix, {**probe_env, "XDG_RUNTIME_DIR": str(probe_runtime)},
                                   home)
            if why:
                pytest.skip(why)
            sock = stack.enter_context(bound_socket(notify))
            os.chmod(notify, 0o777)
            cage = subprocess.Popen(
                [*prefix, "cage", "-d", "--", *python, str(ROOT / "main.py"), "--kiosk"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                start_new_session=True)
            try:
                sock.settimeout(90)
                ready = sock.recv(4096)
                sock.settimeout(5)
                ping = sock.recv(4096)
                shot = home / "cage.png"
                grim = subprocess.run([*prefix, "grim", str(shot)], capture_output=True,
                                      text=True, timeout=30,
                                      env={**env, "WAYLAND_DISPLAY": "wayland-0"})
            finally:
                os.killpg(cage.pid, signal.SIGTERM)
                log, _ = cage.communicate(timeout=30)
        assert ready == b"READY=1\nSTATUS=Showing the FAQ", log
        assert ping == b"WATCHDOG=1"
        assert grim.returncode == 0, grim.stderr
        from PySide6.QtGui import QImage

        image = QImage(str(shot))
        assert not image.isNull() and image.width() >= 800
        # full screen: the reader's light window reaches every corner, not cage's black
        w, h = image.width() - 1, image.height() - 1
        for x, y in ((0, 0), (w, 0), (0, h), (w, h)):
            assert image.pixelColor(x, y).lightness() > 150, (x, y)
        # and it is the reader: many colours (text, toolbar, the question list), not a blank
        colours = {image.pixel(x, y) for x in range(0, w, 7) for y in range(0, h, 7)}
        assert len(colours) > 20
        shutil.copy(shot, tmp_path / "cage.png")  # kept by pytest for a person to look at


# --- under systemd ------------------------------------------------------------------

SYSTEMD = Path("/lib/systemd/systemd")
# What a container has no use for, or that would reach outside the test: the tty (there is
# none), seatd (its default dependencies would start the whole boot), the journal.
_NOT_IN_A_CONTAINER = ("TTY", "StandardInput=", "StandardOutput=", "StandardError=", "Utmp",
                       "ConditionPathExists=", "Wants=seatd")


def _test_unit(spec: ServiceSpec, log: Path, env: dict[str, str]) -> str:
    lines = []
    for line in unit_text(spec).splitlines():
        if line.startswith(_NOT_IN_A_CONTAINER):
            continue
        lines.append(line)
        if line == "[Unit]":
            lines.append("DefaultDependencies=no")
        elif line == "[Service]":
            lines += [f"StandardOutput=append:{log}", f"StandardError=append:{log}"]
            lines += [f"Environment={key}={value}" for key, value in env.items()]
    return "\n".join(lines) + "\n"


def _cgroup_roots() -> list[Path]:
    hybrid = [Path("/sys/fs/cgroup/unified"), Path("/sys/fs/cgroup/systemd")]
    if (Path("/sys/fs/cgroup") / "cgroup.controllers").exists():
        return [Path("/sys/fs/cgroup")]
    return [root for root in hybrid if (root / "cgroup.procs").exists()]


@contextlib.contextmanager
def booted_systemd(units: Path):
    """systemd as PID 1 of new PID and mount namespaces, in its own cgroup, starting only
    kfr-test.target from UNITS; yields a function running systemctl inside. /tmp and /run
    are private there, so nothing it does reaches the host's."""
    name = f"kfr-test-{uuid.uuid4().hex[:8]}"
    groups = []
    for root in _cgroup_roots():
        try:
            (root / name).mkdir()
        except OSError as exc:
            for group in groups:
                group.rmdir()
            pytest.skip(f"cannot create a cgroup for a nested systemd: {exc}")
        groups.append(root / name)
    if not groups:
        pytest.skip("no cgroup hierarchy for a nested systemd")
    join = "; ".join(f"echo $$ > {group}/cgroup.procs" for group in groups)
    keep = ""  # a checkout under /tmp (a CI clone) stays reachable under the private /tmp
    if ROOT.resolve().is_relative_to("/tmp"):
        hold = units.parent / "host-tmp"
        hold.mkdir(exist_ok=True)
        root = ROOT.resolve()
        keep = (f"mount --bind /tmp {hold} && mount -t tmpfs tmpfs /tmp && "
                f"mkdir -p {root} && mount --bind {hold / root.relative_to('/tmp')} {root} && ")
    boot = ("mount --make-rprivate / && "
            + (keep or "mount -t tmpfs tmpfs /tmp && ")
            + f"SYSTEMD_UNIT_PATH={units}: container=kfr-test exec {SYSTEMD} --system "
            f"--unit=kfr-test.target --log-target=null")
    pid1 = None
    outer = subprocess.Popen(["sh", "-c", f"{join}; exec unshare --pid --fork --mount --uts "
                              f"--mount-proc sh -c '{boot}'"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while pid1 is None:
            children = Path(f"/proc/{outer.pid}/task/{outer.pid}/children")
            found = children.read_text().split() if children.exists() else []
            if found and Path(f"/proc/{found[0]}/exe").resolve() == SYSTEMD.resolve():
                pid1 = found[0]
            elif outer.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"systemd did not start in a namespace: {outer.stderr.read()}")
            else:
                time.sleep(0.05)

        def systemctl(*args: str) -> str:
            result = subprocess.run(["nsenter", "-t", pid1, "-m", "-p", "systemctl", *args],
                                    capture_output=True, text=True, timeout=30)
            return result.stdout

        deadline = time.monotonic() + 30
        while systemctl("show", "-p", "SystemState").strip() in ("", "SystemState=initializing",
                                                                 "SystemState=starting"):
            if time.monotonic() > deadline:
                pytest.skip("systemd in a namespace did not finish starting here")
            time.sleep(0.1)
        yield systemctl
    finally:
        if pid1:  # the namespace's PID 1: all it started dies with it
            os.kill(int(pid1), signal.SIGKILL)
        outer.kill()
        outer.wait(timeout=30)
        outer.stderr.close()
        for group in groups:
            _remove_cgroup(group)


def _remove_cgroup(group: Path) -> None:
    """Its folders, deepest first, once the killed processes have left them."""
    deadline = time.monotonic() + 30
    while group.exists():
        for folder, _, _ in os.walk(group, topdown=False):
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        if group.exists():
            assert time.monotonic() < deadline, f"{group} stays busy"
            time.sleep(0.1)


def _state(systemctl) -> dict[str, str]:
    out = systemctl("show", "-p", "ActiveState,SubState,Result,StatusText,NRestarts,MainPID,"
                    "ExecMainStatus", UNIT_NAME)
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


@pytest.mark.slow
def test_systemd_restarts_the_kiosk_when_its_window_hangs():
    """The unit under a real systemd: READY from cage's child makes it active, and a GUI
    thread that stops answering is killed by the watchdog and started again."""
    if os.geteuid() != 0:
        pytest.skip("booting a nested systemd needs root")
    missing = [tool for tool in ("cage", "Xvfb", "unshare", "nsenter") if not shutil.which(tool)]
    if missing or not SYSTEMD.exists():
        pytest.skip(f"{', '.join(missing) or SYSTEMD} missing (apt-get install cage xvfb "
                    "systemd util-linux)")
    python = nobody_python()
    # not in /tmp or /var/tmp: the nested systemd, and the unit's PrivateTmp=, have their own
    with tempfile.TemporaryDirectory(dir="/var/lib") as folder, xvfb() as display:
        top = Path(folder)
        top.chmod(0o755)
        data = top / "data"
        data.mkdir(mode=0o700)
        os.chown(data, NOBODY, NOBODY)
        probe_home = top / "probe"
        probe_home.mkdir(mode=0o700)
        os.chown(probe_home, NOBODY, NOBODY)
        runtime = top / "runtime"
        runtime.mkdir(mode=0o700)
        os.chown(runtime, NOBODY, NOBODY)
        why = cage_cannot_show(
            ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"],
            {"PATH": "/usr/bin:/bin", "HOME": str(probe_home), "XDG_RUNTIME_DIR": str(runtime),
             "WLR_BACKENDS": "x11", "WLR_RENDERER": "pixman", "DISPLAY": display,
             "WLR_LIBINPUT_NO_DEVICES": "1"}, probe_home)
        if why:
            pytest.skip(why)
        units = top / "units"
        units.mkdir()
        (units / "kfr-test.target").write_text(
            f"[Unit]\nDefaultDependencies=no\nWants={UNIT_NAME}\n")
        # mail with a password that only root can read on disk: systemd hands it over
        tls = top / "tls"
        tls.mkdir(mode=0o755)
        certificate = make_certificate(tls)
        certificate[0].chmod(0o644)
        # (EnvironmentFile=, which PID 1 reads as root: LoadCredential= works on a booted
        # host, but systemd 252 in this nested namespace leaves its folder closed to the user)
        secrets = top / "secrets"
        secrets.mkdir(mode=0o700)
        (secrets / "smtp.env").write_text("KFR_TEST_SMTP_PASSWORD=s3cret\n")
        (secrets / "smtp.env").chmod(0o600)
        stack = contextlib.ExitStack()
        inbox = Inbox()
        server = stack.enter_context(smtp_server(inbox, tls=certificate,
                                                 logins={"kiosk": "s3cret"}))
        config = top / "reader.toml"
        config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\n'
                          f'ca_file = "{certificate[0]}"\nusername = "kiosk"\n'
                          'password_env = "KFR_TEST_SMTP_PASSWORD"\n')
        config.chmod(0o644)
        with Outbox(data / "outbox.sqlite3") as box:  # written before the kiosk started
            box.submit(FeedbackInput(name="Ana", comments="Sent by the sandboxed kiosk."))
        for path in data.iterdir():
            os.chown(path, NOBODY, NOBODY)
        # the unit as `kiosk service` writes it, sandbox and all, its data folder writable
        spec = ServiceSpec(command=(*python, str(ROOT / "main.py"), "--kiosk"), user="nobody",
                           cage=shutil.which("cage"), watchdog_seconds=5, data_dir=str(data),
                           password=Secret("environment", str(secrets / "smtp.env")))
        # 2 s after its first paint the reader's GUI thread sleeps for a minute
        (units / UNIT_NAME).write_text(_test_unit(spec, top / "kiosk.log", {
            "WLR_BACKENDS": "x11", "WLR_RENDERER": "pixman", "DISPLAY": display,
            "QT_QPA_PLATFORM": "wayland", "KFR_DATA_DIR": str(data),
            "KFR_CONFIG": str(config), "KFR_TEST_HANG_GUI": "2,60"}))
        with stack, booted_systemd(units) as systemctl:
            seen, deadline = [], time.monotonic() + 90
            while time.monotonic() < deadline:
                state = _state(systemctl)
                if not seen or state != seen[-1]:
                    seen.append(state)
                if state.get("NRestarts") == "1" and state["ActiveState"] == "active":
                    break
                time.sleep(0.1)
            systemctl("stop", UNIT_NAME)
            stopped = _state(systemctl)
        log = (top / "kiosk.log").read_text() if (top / "kiosk.log").exists() else ""
        written = sorted(path.name for path in data.iterdir())
        with Outbox(data / "outbox.sqlite3") as box:
            outbox_status = box.status()
    running = [s for s in seen if s["ActiveState"] == "active"]
    assert running, ([(s["ActiveState"], s["Result"], s["ExecMainStatus"]) for s in seen], log)
    first = running[0]
    assert first["StatusText"] == "Showing the FAQ"  # the reader's READY=1, via cage's unit
    assert any(s["Result"] == "watchdog" for s in seen), seen  # not a crash: the watchdog
    again = running[-1]
    assert again["NRestarts"] == "1" and again["StatusText"] == "Showing the FAQ", seen
    assert again["MainPID"] != first["MainPID"]  # a new cage, a new reader
    assert "search-cache" in written, (written, log)  # the sandbox leaves its data writable
    # the kiosk's sender logged in with the password systemd gave it, and delivered the mail
    assert [m.get_content().count("Sent by the sandboxed kiosk.") for m in inbox.messages] \
        == [1], (outbox_status, log[-2000:])
    # staff stopping it see a clean stop, not a failure
    assert (stopped["ActiveState"], stopped["Result"]) == ("inactive", "success"), stopped


# --- the outbox timer ---------------------------------------------------------------


def test_kiosk_service_outbox_timer_prints_a_sandboxed_sender_and_its_timer(bundle):
    result = run_main("kiosk", "service", "--outbox-timer", "--program", str(bundle))
    assert result.returncode == 0, result.stderr
    service_text, timer_text = result.stdout.split("# ===== ")[1:]
    service, timer = parse_unit(service_text), parse_unit(timer_text)
    assert service["Service.ExecStart"] == [f"{bundle} outbox send"]
    assert service["Service.Type"] == ["oneshot"] and service["Service.User"] == ["kiosk"]
    assert service["Service.SuccessExitStatus"] == ["75"]  # 78 fails the unit
    assert service["Service.PrivateDevices"] == ["yes"]
    assert service["Service.ProtectSystem"] == ["strict"]
    assert timer["Timer.OnUnitActiveSec"] == ["15min"]
    assert timer["Install.WantedBy"] == ["timers.target"]


@pytest.mark.slow
def test_the_outbox_timer_service_under_systemd_sends_and_fails_on_78():
    """The sender unit under a real systemd, sandbox and all: it delivers with the password
    systemd hands it; with none it fails (78) and `systemctl` says so; a server that cannot
    be reached (75) is not a failure."""
    if os.geteuid() != 0:
        pytest.skip("booting a nested systemd needs root")
    if not all(shutil.which(tool) for tool in ("unshare", "nsenter")) or not SYSTEMD.exists():
        pytest.skip("systemd or util-linux missing (apt-get install systemd util-linux)")
    from reader.service import SENDER_NAME, sender_units

    python = nobody_python()
    with tempfile.TemporaryDirectory(dir="/var/lib") as folder:
        top = Path(folder)
        top.chmod(0o755)
        data = top / "data"
        data.mkdir(mode=0o700)
        tls = top / "tls"
        tls.mkdir(mode=0o755)
        certificate = make_certificate(tls)
        certificate[0].chmod(0o644)
        secrets = top / "secrets"
        secrets.mkdir(mode=0o700)
        env_file = secrets / "smtp.env"
        units = top / "units"
        units.mkdir()
        (units / "kfr-test.target").write_text("[Unit]\nDefaultDependencies=no\n")
        inbox = Inbox()
        with smtp_server(inbox, tls=certificate, logins={"kiosk": "s3cret"}) as server:
            config = top / "reader.toml"

            def configure(port: int) -> None:
                config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\n'
                                  f'ca_file = "{certificate[0]}"\nusername = "kiosk"\n'
                                  'password_env = "KFR_TEST_SMTP_PASSWORD"\n')
                config.chmod(0o644)

            def queue(comments: str) -> None:
                with Outbox(data / "outbox.sqlite3") as box:
                    box.submit(FeedbackInput(name="Ana", comments=comments))
                for path in [data, *data.iterdir()]:
                    os.chown(path, NOBODY, NOBODY)

            spec = ServiceSpec(command=(*python, str(ROOT / "main.py"), "--kiosk", "--config",
                                        str(config), "--data-dir", str(data)),
                               user="nobody", data_dir=str(data),
                               password=Secret("environment", str(env_file)))
            service, _ = sender_units(spec)
            text = service.replace("[Unit]\n", "[Unit]\nDefaultDependencies=no\n").replace(
                "[Service]\n", f"[Service]\nStandardOutput=append:{top / 'send.log'}\n"
                f"StandardError=append:{top / 'send.log'}\n")
            (units / f"{SENDER_NAME}.service").write_text(text.replace(
                "Wants=network-online.target\nAfter=network-online.target\n", ""))
            with booted_systemd(units) as systemctl:
                def run() -> dict[str, str]:
                    systemctl("start", f"{SENDER_NAME}.service")
                    out = systemctl("show", "-p", "Result,ExecMainStatus,ActiveState",
                                    f"{SENDER_NAME}.service")
                    systemctl("reset-failed", f"{SENDER_NAME}.service")
                    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

                configure(server.port)
                queue("sent by the timer")
                env_file.write_text("KFR_OTHER=x\n")  # the password is not there
                missing = run()
                env_file.write_text("KFR_TEST_SMTP_PASSWORD=s3cret\n")
                configure(free_port())  # nobody listens: try again later
                unreachable = run()
                delivered_before = len(inbox.messages)
                unreachable_log = (top / "send.log").read_text().split("not set)\n")[-1]
                configure(server.port)
                sent = run()
    assert (missing["Result"], missing["ExecMainStatus"]) == ("exit-code", "78"), missing
    # exit 75 (try later) is SuccessExitStatus=: not a failed unit (systemd shows status 0)
    assert delivered_before == 0 and unreachable["Result"] == "success", unreachable
    assert "0 sent, 1 will be tried again (cannot connect to 127.0.0.1:" in unreachable_log
    assert (sent["Result"], sent["ExecMainStatus"]) == ("success", "0"), sent
    assert [m.get_content().count("sent by the timer") for m in inbox.messages] == [1]
