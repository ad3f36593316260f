"""Guards PySide6 upgrades against reference leaks on None, True and False.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every wrapped call that returns
nothing, and to True/False on every signal emit; after a few thousand calls the refcount of
None reaches zero and the interpreter aborts. Here the counts must stay put over thousands
of calls. (From Python 3.12 these objects are immortal and the counts never move, so the soak
then passes trivially; the version test below still holds the line.)
"""

from __future__ import annotations

import contextlib
import gc
import importlib.metadata
import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

CALLS = 20_000
TOLERANCE = 100
BAD_VERSIONS = {"6.12.0"}


class Emitter(QObject):
    toggled = Signal(bool)


def _counts() -> dict[str, int]:
    gc.collect()
    return {"None": sys.getrefcount(None), "True": sys.getrefcount(True),
            "False": sys.getrefcount(False)}


def _assert_steady(before: dict[str, int], after: dict[str, int], what: str) -> None:
    drift = {name: after[name] - before[name] for name in before}
    assert all(abs(d) <= TOLERANCE for d in drift.values()), (
        f"{what}: reference counts drifted by {drift} over {CALLS} calls "
        "(a PySide6 reference leak; see pyproject.toml and DESIGN.md)"
    )


def test_calls_returning_nothing_keep_none_alive(qapp):
    parent = QWidget()  # never shown: children's setVisible only flips flags
    label = QLabel(parent)
    for i in range(200):  # warm up lazily created state before the first count
        label.setText(str(i))
        label.setVisible(i % 2 == 0)
    texts = [str(i) for i in range(100)]
    before = _counts()
    for i in range(CALLS):
        label.setText(texts[i % 100])
        label.setVisible(i % 2 == 0)
        label.setEnabled(i % 3 != 0)
    after = _counts()
    parent.deleteLater()
    _assert_steady(before, after, "QLabel.setText / QWidget.setVisible / setEnabled")


def test_signal_emits_keep_true_and_false_alive(qapp):
    emitter = Emitter()
    seen = [0, 0]

    def slot(value: bool) -> None:
        seen[value] += 1

    emitter.toggled.connect(slot)
    for i in range(200):
        emitter.toggled.emit(i % 2 == 0)
    seen[:] = [0, 0]
    before = _counts()
    for i in range(CALLS):
        emitter.toggled.emit(i % 2 == 0)
    after = _counts()
    assert seen == [CALLS // 2, CALLS // 2]
    _assert_steady(before, after, "Signal(bool).emit")


def test_pyside6_is_not_a_known_leaking_release():
    import PySide6

    found = {}
    for dist in ("PySide6-Essentials", "PySide6", "shiboken6"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[dist] = importlib.metadata.version(dist)
    assert found, "no PySide6 distribution is installed"
    found["PySide6 (module)"] = PySide6.__version__
    bad = {dist: version for dist, version in found.items() if version in BAD_VERSIONS}
    assert not bad, (
        f"{bad}: this PySide6 release leaks references to None/True/False on Python 3.11 and "
        "aborts the interpreter; pin PySide6-Essentials>=6.11,<6.12 (see pyproject.toml)"
    )


@pytest.mark.parametrize("version", sorted(BAD_VERSIONS))
def test_pyproject_pin_excludes_leaking_release(version):
    """The dependency pin in pyproject.toml must keep the bad release out."""
    import tomllib
    from pathlib import Path

    from packaging.requirements import Requirement

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pyside = [Requirement(d) for d in deps if Requirement(d).name.lower().startswith("pyside6")]
    assert pyside, "pyproject.toml does not name PySide6"
    for req in pyside:
        assert version not in req.specifier, f"{req} admits PySide6 {version}"
