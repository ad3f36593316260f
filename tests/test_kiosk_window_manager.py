"""The kiosk under an ordinary window manager (the README's autostart setup): Xvfb with
openbox, the reader on xcb as a person starts it. Minimised from outside, it comes back
full screen by itself: no one is there to bring it back."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def xdotool(env, *args: str, timeout: float = 20) -> str:
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True,
                          timeout=timeout).stdout.strip()


def wm_state(env, window: str) -> str:
    """"Normal" or "Iconic" as the window manager records it (ICCCM WM_STATE)."""
    out = subprocess.run(["xprop", "-id", window, "WM_STATE"], env=env, capture_output=True,
                         text=True, timeout=10).stdout
    for line in out.splitlines():
        if "window state:" in line:
            return line.split(":", 1)[1].strip()
    return ""


def until(condition, seconds: float = 20.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)  # polling another process: the condition, not the time, decides
    return condition()


@pytest.fixture
def kiosk_on_openbox(display, tmp_path):
    for tool in ("xdotool", "xprop"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} (Debian: xdotool x11-utils)")
    env = {**display, "QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path)}
    reader = subprocess.Popen([sys.executable, "main.py", "--kiosk", "--data-dir",
                               str(tmp_path / "data"), "--config", str(tmp_path / "reader.toml")],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        window = xdotool(env, "search", "--sync", "--onlyvisible", "--name",
                         "Ketamine FAQ Reader", timeout=60).splitlines()
        assert window, "the kiosk window never appeared"
        yield env, window[0]
    finally:
        reader.terminate()
        reader.wait(20)


def test_minimised_it_comes_back_full_screen(kiosk_on_openbox):
    env, window = kiosk_on_openbox
    assert until(lambda: wm_state(env, window) == "Normal")
    xdotool(env, "windowminimize", window)  # what Alt+Space, Minimise does
    assert until(lambda: wm_state(env, window) == "Normal"), "still minimised"
    assert until(lambda: window in xdotool(env, "search", "--onlyvisible", "--name",
                                           "Ketamine FAQ Reader").splitlines())
    assert until(lambda: "1366x768" in xdotool(env, "getwindowgeometry", window))
