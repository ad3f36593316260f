"""The one place that knows where content, resources, data and config live.

Frozen-aware: inside a PyInstaller bundle the read-only files sit under sys._MEIPASS.
Tests point everything at tmp_path by passing explicit directories or by setting
KFR_DATA_DIR / KFR_CONFIG.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reader import APP_ID


def bundle_root() -> Path:
    """Folder holding content/ and resources/: the repo checkout, or the frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def _user_dir(kind: str) -> Path:
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / APP_ID / ("config" if kind == "config" else "data")
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP_ID
    if kind == "config":
        return Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / APP_ID
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / APP_ID


@dataclass(frozen=True)
class Paths:
    """Where the content, resources, data and config file are."""

    content_dir: Path
    resources_dir: Path
    data_dir: Path
    config_file: Path

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.json"

    @property
    def outbox_file(self) -> Path:
        return self.data_dir / "outbox.sqlite3"

    @property
    def search_cache_dir(self) -> Path:
        return self.data_dir / "search-cache"

    def ensure_data_dir(self) -> Path:
        """The data dir; if the reader creates it, owner-only (feedback is private)."""
        make_private_dir(self.data_dir)
        return self.data_dir


def make_private_dir(path: Path) -> None:
    """Create `path` and any missing parents as owner-only folders, whatever the umask. A
    folder that already exists is left as it is: it may be the user's home or a shared one."""
    missing = []
    while not path.is_dir():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by another process: theirs to set
            if folder.is_dir():
                continue
            raise
        if os.name == "posix":
            os.chmod(folder, 0o700)


LOCATION_OPTIONS = ("--content", "--data-dir", "--config", "--lang")


def add_location_options(parser: argparse.ArgumentParser, default: object = None) -> None:
    """--content, --data-dir, --config and --lang, declared once for the window and every
    subcommand (which pass argparse.SUPPRESS to keep a value given before their name)."""
    parser.add_argument("--content", metavar="DIR", default=default,
                        help="read the FAQ from another folder")
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="where settings, the outbox and caches live")
    parser.add_argument("--config", metavar="FILE", default=default, help="reader.toml to use")
    parser.add_argument("--lang", choices=("en", "es"), default=default,
                        help="the language of the FAQ (default: reader.toml, then the system's)")


def resolve_paths(
    content: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    config: str | os.PathLike[str] | None = None,
) -> Paths:
    root = bundle_root()
    data = data_dir or os.environ.get("KFR_DATA_DIR") or _user_dir("data")
    config_file = config or os.environ.get("KFR_CONFIG") or _user_dir("config") / "reader.toml"
    return Paths(
        content_dir=Path(content) if content else root / "content",
        resources_dir=root / "resources",
        data_dir=Path(data).expanduser(),
        config_file=Path(config_file).expanduser(),
    )


def write_private_file(path: Path, text: str) -> None:
    """Write a file readable by the owner only, whole or not at all."""
    write_atomically(path, text.encode("utf-8"))


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write `data` to `path` whole or not at all (a power cut leaves the old file), with
    `mode` whatever the umask. The one way the reader writes its files."""
    with replaced_atomically(path, mode) as temp:
        fd = os.open(temp, os.O_WRONLY | os.O_TRUNC)
        try:
            view = memoryview(data)
            while view:  # os.write may write only part
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def replaced_atomically(path: Path, mode: int = 0o600, prefix: str = "",
                        suffix: str = ".tmp") -> Iterator[Path]:
    """A new temporary file beside `path` for the caller (or a printer, or SQLite) to fill;
    moved onto `path` when the block ends, removed if it raises."""
    import tempfile  # only when writing: it is slow to import at start-up

    fd, name = tempfile.mkstemp(dir=path.parent, prefix=prefix or f".{path.name}-",
                                suffix=suffix)
    temp = Path(name)
    try:
        if os.name == "posix":
            os.fchmod(fd, mode)
        os.close(fd)
        yield temp
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
