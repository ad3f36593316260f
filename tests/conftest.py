import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_ISOLATED = ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "LANG", "LANGUAGE",
             "LC_ALL", "LC_MESSAGES", "NOTIFY_SOCKET", "WATCHDOG_USEC")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    """No test reads or writes the real home, config or data, nor inherits a KFR_ setting,
    a language or a systemd socket from whoever runs the suite."""
    for name in list(os.environ):
        if name.startswith("KFR_") or name in _ISOLATED:
            monkeypatch.delenv(name)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("LANG", "C.UTF-8")
