"""What bench_handout.py and bench_slides.py share: the reader on the path, offscreen, the
interface in each language (its translation compiled first), and what a footer must say.

Not a benchmark itself (dev.py bench runs bench_*.py).
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LANGUAGES = ("en", "es")


def flat(text: str) -> str:
    """Ligatures undone, whitespace collapsed: text as pdftotext and labels give it."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def speak(app, language: str) -> None:
    """The interface in `language`, as a facilitator would have it; stops when its
    translation cannot be had (a handout or slide in Spanish with English page words and
    "(continued)" would measure the wrong text)."""
    import dev  # compiles translations/*.ts as `dev.py run` does before starting
    from reader.ui.i18n import install_translators

    dev.compile_translations(Path(sys.executable))
    warnings = install_translators(app, language)
    if any("is shown in English" in w for w in warnings):
        raise SystemExit("; ".join(warnings))


def footer_forms(meta) -> list[tuple[str, str]]:
    """The notice and the crisis line as a footer may give them: whole (the notice's first
    sentence), or in the content's footer forms."""
    forms = [(flat(meta.notice.split(". ")[0]), flat(meta.crisis_line))]
    if meta.footer_crisis_line:
        forms.append((flat(meta.footer_notice or meta.notice.split(". ")[0]),
                      flat(meta.footer_crisis_line)))
    return [(notice.rstrip("."), crisis) for notice, crisis in forms]


def says_notice_and_crisis(footer: str, meta) -> bool:
    footer = flat(footer)
    return any(notice in footer and crisis in footer for notice, crisis in footer_forms(meta))


def report(missed: int, note: str) -> int:
    print(f"\n{note} Targets missed: {missed}")
    return 1 if missed else 0
