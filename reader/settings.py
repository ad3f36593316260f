"""The reader's remembered preferences: text size, theme, last question, window geometry,
the question list's width, a facilitator's session plan and handout paper.

A JSON file in the data dir, written whole or not at all. A missing or corrupt file
means the defaults: a reader must always be able to start.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from reader.paths import write_private_file

THEMES = ("system", "light", "dark", "contrast")
PAPERS = ("", "letter", "a4")  # "": follow the locale
MIN_SCALE, MAX_SCALE, DEFAULT_SCALE = 50, 300, 100
MIN_SIDEBAR_EMS, MAX_SIDEBAR_EMS = 8, 80


@dataclass
class Preferences:
    """What the reader remembers between starts (a kiosk, nothing)."""

    text_scale: int = DEFAULT_SCALE
    theme: str = "system"
    last_section: str = ""
    geometry: str = ""  # base64 of QWidget.saveGeometry()
    sidebar_ems: float = 0.0  # the question list's width in ems of the text; 0: the default
    plan: list[str] = field(default_factory=list)  # question ids to present and hand out
    paper: str = ""  # the handout's paper as last chosen; "": the locale's
    large_print: bool = False  # the handout's print size as last chosen

    def normalised(self) -> Preferences:
        scale = self.text_scale if type(self.text_scale) is int else DEFAULT_SCALE  # not bool
        return Preferences(
            text_scale=min(MAX_SCALE, max(MIN_SCALE, scale)),
            theme=self.theme if self.theme in THEMES else "system",
            last_section=self.last_section if isinstance(self.last_section, str) else "",
            geometry=self.geometry if isinstance(self.geometry, str) else "",
            sidebar_ems=_sidebar_ems(self.sidebar_ems),
            plan=[i for i in self.plan if isinstance(i, str)] if isinstance(self.plan, list)
            else [],
            paper=self.paper if self.paper in PAPERS else "",
            large_print=self.large_print is True,
        )


def _sidebar_ems(value: object) -> float:
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not MIN_SIDEBAR_EMS <= value <= MAX_SIDEBAR_EMS):
        return 0.0
    return float(value)


def load_preferences(path: Path) -> Preferences:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    known = {f.name for f in fields(Preferences)}
    return Preferences(**{k: v for k, v in data.items() if k in known}).normalised()


def save_preferences(path: Path, prefs: Preferences) -> bool:
    """Atomically replace the file; False (and nothing changed) if it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private_file(path, json.dumps(asdict(prefs), indent=1))
    except OSError:
        return False
    return True
