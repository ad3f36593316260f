"""Build the bundle once per source state; used by tests/test_bundle.py and the benchmark.

    .venv/bin/python build_spec/build_bundle.py      # prints the dist folder

The build goes to build/bundle-cache/<key>/ where key hashes everything that goes into it
(spec and helpers, reader/, main.py, content/, resources/, the Python, PyInstaller and
PySide6 versions, KFR_BUNDLE_KEEP). A finished build leaves a marker file; an unchanged
checkout reuses it, so CI and local test runs pay for PyInstaller only after a change.
Older cache entries are removed. For releases use the plain command in the spec's header.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_spec" / "ketamine-faq-reader.spec"
APP_ID = "ketamine-faq-reader"
CACHE = ROOT / "build" / "bundle-cache"
INPUTS = ("build_spec", "reader", "content", "resources", "translations", "main.py")


def _files() -> list[Path]:
    found = []
    for name in INPUTS:
        path = ROOT / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in path.rglob("*")
                         if p.is_file() and "__pycache__" not in p.parts
                         and p.suffix != ".qm")  # compiled from the .ts by the spec
    return sorted(found)


def source_key(keep: str = "") -> str:
    digest = hashlib.sha256()
    for path in _files():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for dist in ("pyinstaller", "pyinstaller-hooks-contrib", "PySide6-Essentials",
                 "Markdown", "segno"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=none\0".encode())
    digest.update(f"{sys.version}\0{sys.platform}\0keep={keep}".encode())
    return digest.hexdigest()[:16]


def executable(dist: Path, cli: bool = False) -> Path:
    """The program inside a dist folder (the -cli one on Windows when asked)."""
    name = f"{APP_ID}-cli" if cli and sys.platform == "win32" else APP_ID
    return dist / (name + (".exe" if sys.platform == "win32" else ""))


def ensure_bundle(keep: str = "", cache: Path = CACHE, quiet: bool = True) -> Path:
    """The dist folder of an up-to-date build (built now if the sources changed)."""
    key = source_key(keep)
    tag = hashlib.sha256(keep.encode()).hexdigest()[:8]
    base = cache / (key if not keep else f"{key}-keep-{tag}")
    dist = base / "dist" / APP_ID
    marker = base / "complete"
    if marker.exists() and executable(dist).exists():
        return dist
    shutil.rmtree(base, ignore_errors=True)
    env = {**os.environ, "KFR_BUNDLE_KEEP": keep}
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
           "--log-level", "WARN", "--distpath", str(base / "dist"),
           "--workpath", str(base / "work"), str(SPEC)]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=quiet, text=True)
    if result.returncode != 0:
        detail = (result.stdout or "") + (result.stderr or "") if quiet else ""
        raise RuntimeError(f"PyInstaller failed (exit {result.returncode}):\n{detail[-6000:]}")
    marker.write_text(key, encoding="utf-8")
    _prune_cache(cache, keep_keys=2)
    return dist


def _prune_cache(cache: Path, keep_keys: int) -> None:
    """Keep the builds of the newest source states only (others may be editing reader/
    meanwhile, so the state a caller is still using is not removed at once)."""
    groups: dict[str, float] = {}
    for entry in cache.iterdir():
        if entry.is_dir():
            key = entry.name.split("-", 1)[0]
            groups[key] = max(groups.get(key, 0.0), entry.stat().st_mtime)
    stale = sorted(groups, key=groups.get, reverse=True)[keep_keys:]
    for entry in cache.iterdir():
        if entry.is_dir() and entry.name.split("-", 1)[0] in stale:
            shutil.rmtree(entry, ignore_errors=True)


def trim_report(dist: Path) -> Path:
    """Where the spec wrote what each rule removed for this dist folder."""
    return dist.parent.parent / "work" / "ketamine-faq-reader" / "trim-report.json"


def folder_size(path: Path) -> int:
    """Bytes on disk of the folder, like du -s (symlinks counted as links)."""
    total = 0
    for p in path.rglob("*"):
        try:
            st = p.lstat()
        except OSError:
            continue
        total += getattr(st, "st_blocks", 0) * 512 if hasattr(st, "st_blocks") else st.st_size
    return total


if __name__ == "__main__":
    print(ensure_bundle(keep=os.environ.get("KFR_BUNDLE_KEEP", ""), quiet=False))
