"""Real Orca 43 (Debian 12's) reads the real reader: what its debug log says it spoke.

The reader runs under Xvfb with openbox on the xcb platform, in its own D-Bus session with
the accessibility bus, Orca and speech-dispatcher on ALSA's null device (no sound card).
tests/orca_session.py, on the system Python, presses the keys a screen-reader user presses
and collects what Orca said for each task; these tests judge it. One reader start for all
tasks (a few minutes on a loaded machine: every wait is on Orca's log, with generous
deadlines). It skips, saying why, only when Orca or speech-dispatcher is not installed or
Orca cannot speak at all here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SESSION = HERE / "orca_session.py"
SYSTEM_PYTHON = "/usr/bin/python3"


@pytest.fixture(scope="module")
def spoken(display, tmp_path_factory):
    missing = [tool for tool in ("orca", "speech-dispatcher") if not shutil.which(tool)]
    if missing or not Path("/usr/libexec/at-spi-bus-launcher").exists():
        pytest.skip(f"needs {', '.join(missing) or 'at-spi2-core'}: install the Debian "
                    "packages orca speech-dispatcher speech-dispatcher-espeak-ng at-spi2-core")
    tmp = tmp_path_factory.mktemp("orca")
    env = {**display, "HOME": str(tmp), "QT_QPA_PLATFORM": "xcb",
           "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
    command = ["dbus-run-session", "--", SYSTEM_PYTHON, str(SESSION), "reader", str(tmp), "--",
               sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp / "data"),
               "--config", str(tmp / "reader.toml")]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0 and lines, result.stdout + result.stderr[-3000:]
    seen = json.loads(lines[-1])
    if "skip" in seen:
        pytest.skip(seen["skip"])
    assert "error" not in seen, seen
    if seen["orca_exit"] == -9:  # SIGKILL: not the reader's doing (`orca --replace` elsewhere)
        pytest.skip("Orca was killed during the run by another process (SIGKILL); "
                    f"what it said until then: {seen['tasks']}")
    assert seen["orca_exit"] is None, f"Orca stopped during the run: {seen}"
    print(json.dumps(seen, indent=1, ensure_ascii=False))  # the quotes for the closing note
    return seen


def said(spoken, task: str) -> str:
    return " | ".join(spoken["tasks"][task])


def test_opening_a_question_from_the_list(spoken):
    assert "Is ketamine safe?" in said(spoken, "list_down")
    assert "Is ketamine safe? — Ketamine FAQ Reader" in said(spoken, "list_open")


def test_h_goes_to_the_heading_and_tab_through_the_links(spoken):
    assert "Answer document" in said(spoken, "answer_tab")
    assert "heading level 1" in said(spoken, "answer_h")
    assert "Is ketamine safe?" in said(spoken, "answer_h")
    links = said(spoken, "answer_link") + said(spoken, "answer_next_link")
    assert "link" in said(spoken, "answer_link") and "link" in said(spoken, "answer_next_link")
    assert said(spoken, "answer_link") != said(spoken, "answer_next_link"), links


def test_the_read_aloud_button_is_spoken_and_says_what_it_does(spoken):
    assert "Read aloud" in said(spoken, "read_aloud_focus")
    assert "Pause" in said(spoken, "read_aloud_press")
    assert "Resume" in said(spoken, "read_aloud_pause")


def test_a_search_and_its_results(spoken):
    assert any(line.strip(".").endswith(("result", "results")) or "results." in line
               for line in spoken["tasks"]["search"]), said(spoken, "search")
    assert "horse tranquilizer" in said(spoken, "result")


def test_the_crisis_card_is_spoken(spoken):
    card = said(spoken, "crisis")
    assert "Help is available now" in card and "988" in card and "911" in card


def test_the_crisis_card_in_the_form_is_spoken(spoken):
    card = said(spoken, "form_crisis")
    assert "988" in card and "read days later" in card


def test_submitting_the_form(spoken):
    assert "Thank you" in said(spoken, "form_submit")


def test_switching_to_spanish(spoken):
    assert "ketamina" in said(spoken, "spanish").lower()
