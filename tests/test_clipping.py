"""Nothing cut, elided or drawn over, on every screen people have (issue 20 item 3, issue 18
item 5): every visible button and one-line label against its size hint, every wrapped label
against the height its lines need, over 1024x768, 1280x1024, 1366x768, 1920x1080 and a
portrait 1080x1920; the desktop at 100, 200, 250 and 300 % text (its answer showing eight
lines), the kiosk at its default and largest text; English and Spanish; with
and without the on-screen keyboard; an answer, searches with and without results and the
crisis card (crisis words of either language), the Ask button, the feedback form and its
thank-you (tests/clipping_probe.py).

One process per screen size, on Qt's offscreen platform with a screen of that size.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from screen_session import screen_env

PROBE = Path(__file__).resolve().parent / "clipping_probe.py"
SCREENS = ["1024x768", "1280x1024", "1366x768", "1920x1080", "1080x1920"]


def probe(size: str, tmp_path: Path) -> dict:
    result = subprocess.run([sys.executable, str(PROBE), str(tmp_path / "data")],
                            env=screen_env(size, tmp_path), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("size", SCREENS)
def test_nothing_is_cut_on_the_screen(size, tmp_path):
    result = probe(size, tmp_path)
    # every combination was shown: 2 languages x (desktop 4 text sizes + kiosk 2 sizes x 2,
    # keyboard up and down) x 9 states (an answer, 4 searches, the form and the thank-you
    # in 2 languages)
    assert len(result["cases"]) == 2 * (4 + 2 * 2) * 9
    assert result["problems"] == [], "\n".join(result["problems"])
