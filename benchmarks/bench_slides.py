"""Slides for a room: text size, slides and footer over the screen matrix, both languages.

Run: .venv/bin/python benchmarks/bench_slides.py

For the whole FAQ on each screen (1024x768, 1280x1024, 1366x768, 1920x1080, portrait
1080x1920) in English and Spanish, the real presentation offscreen prints: the one body size
(px) and the normal size it may shrink from, the footer's size and the most lines it took,
how many slides and how many answers continue on further slides, the most lines and the
most characters a line on one slide, and the slides that still need scrolling (target: 0),
take a footer of more than two lines or without the notice and the crisis line (target: 0),
and the screens whose footer is smaller than 16 px (target: 0; 1024x768 projected is about
2 mm a pixel on a 2 m screen, so 16 px is a line of type 3 cm tall).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from facilitator import LANGUAGES, report, says_notice_and_crisis, speak

os.environ["QT_QPA_PLATFORM"] = "offscreen"
READABLE_FOOTER_PX = 16
SCREENS = [(1024, 768), (1280, 1024), (1366, 768), (1920, 1080), (1080, 1920)]


def main() -> int:
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import QApplication

    from reader.paths import resolve_paths
    from reader.ui.presenter import Presenter
    from reader.ui.session import ReaderSession

    app = QApplication([sys.argv[0]])
    paths = resolve_paths(data_dir=Path(os.environ.get("TMPDIR", "/tmp")) / "bench-slides")
    print(f"{'lang':<5} {'screen':<10} {'body px':>7} {'of':>4} {'footer px':>9} "
          f"{'footer lines':>12} {'slides':>6} {'continued':>9} {'lines/slide':>11} "
          f"{'chars/line':>10} {'scroll':>6} {'no crisis':>9}")
    missed = 0
    for language in LANGUAGES:
        speak(app, language)
        session = ReaderSession.for_paths(paths, language=language)
        for width, height in SCREENS:
            presenter = Presenter(session.document, session.renderer)
            presenter.show()
            presenter.resize(width, height)
            view = presenter.text.viewport()
            for _ in range(200):
                app.processEvents()
                if presenter._fitted == (view.width(), view.height()) and \
                        presenter.height() == height:
                    break
            lines = chars = scroll = footer_most = no_crisis = 0
            for index in range(len(presenter.slides)):
                presenter.go(index)
                layout = presenter.text.document()
                block, count = layout.begin(), 0
                while block.isValid():
                    text = block.layout()
                    count += text.lineCount()
                    for n in range(text.lineCount()):
                        chars = max(chars, text.lineAt(n).textLength())
                    block = block.next()
                lines = max(lines, count)
                scroll += not presenter.fits()
                label = presenter.footer
                no_crisis += not says_notice_and_crisis(label.text(), session.document.metadata)
                rect = label.fontMetrics().boundingRect(
                    QRect(0, 0, label.contentsRect().width(), 100_000),
                    int(Qt.TextFlag.TextWordWrap), label.text())
                footer_most = max(footer_most,
                                  round(rect.height() / label.fontMetrics().lineSpacing()))
            continued = len({s.section_id for s in presenter.slides if s.parts > 1})
            print(f"{language:<5} {f'{width}x{height}':<10} {presenter._font_px:>7} "
                  f"{presenter._base_px:>4} {presenter._footer_px:>9} {footer_most:>12} "
                  f"{len(presenter.slides):>6} {continued:>9} {lines:>11} {chars:>10} "
                  f"{scroll:>6} {no_crisis:>9}")
            missed += scroll + (footer_most > 2) + no_crisis + \
                (presenter._footer_px < READABLE_FOOTER_PX)
            presenter.close()
            presenter.deleteLater()
            app.processEvents()
    return report(missed, "lines/slide counts the group and title lines too.")


if __name__ == "__main__":
    raise SystemExit(main())
