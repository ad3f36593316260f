"""Helpers for ketamine-faq-reader.spec: version metadata and the trimming rules.

Kept out of the spec so the rules can be read (and unit-tested) as plain Python. The spec
imports this module from its own folder; nothing here imports reader/ (the version is
read from reader/__init__.py as text, so a half-edited package cannot break the build).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "ketamine-faq-reader"


def read_version(init_file: Path = ROOT / "reader" / "__init__.py") -> str:
    """reader.__version__, read without importing the package."""
    for node in ast.parse(init_file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise SystemExit(f"no __version__ in {init_file}")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", version)[:4]]
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def windows_version_info(version: str, exe_name: str, description: str):
    """A VSVersionInfo for the Windows version resource (Explorer's Details tab)."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = version_tuple(version)
    strings = [
        vi.StringStruct("CompanyName", "Ketamine Advocacy Network"),
        vi.StringStruct("FileDescription", description),
        vi.StringStruct("FileVersion", version),
        vi.StringStruct("InternalName", exe_name),
        vi.StringStruct("LegalCopyright", "MIT License"),
        vi.StringStruct("OriginalFilename", f"{exe_name}.exe"),
        vi.StringStruct("ProductName", "Ketamine FAQ Reader"),
        vi.StringStruct("ProductVersion", version),
    ]
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers, mask=0x3F, flags=0x0,
                             OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
        kids=[
            vi.StringFileInfo([vi.StringTable("040904B0", strings)]),
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0409, 1200])]),
        ],
    )


# --- trimming ----------------------------------------------------------------------------
#
# Each rule names what it drops and why it is safe. Patterns are regular expressions
# matched against the destination path inside the bundle ("/" separators), so one rule
# covers libQt6Foo.so.6 (Linux), Qt6Foo.dll (Windows) and QtFoo.framework (macOS).


def qt_lib(*names: str) -> str:
    alternatives = "|".join(names)
    return (rf"(^|/)(lib)?Qt6?({alternatives})(\.so[.\d]*|\.dll|\.dylib|\.framework/.*"
            rf"|\.abi3\.so|\.pyd)$")


def plugin(kind: str, *names: str) -> str:
    if not names:
        return rf"(^|/)plugins/{kind}/"
    alternatives = "|".join(names)
    return rf"(^|/)plugins/{kind}/(lib)?({alternatives})\.(so|dll|dylib)$"


def system_lib(*stems: str) -> str:
    alternatives = "|".join(re.escape(s) for s in stems)
    return rf"(^|/)({alternatives})(\.so[.\d]*|\.dylib|\.dll)$"


@dataclass(frozen=True)
class Rule:
    name: str
    why: str
    patterns: tuple[str, ...]

    def matches(self, dest: str) -> bool:
        dest = dest.replace(os.sep, "/")
        return any(re.search(p, dest) for p in self.patterns)


HOST_RULE = "linux-host-libs"

RULES: tuple[Rule, ...] = (
    Rule("qt-translations", "Qt's own .qm files of every Qt module and language; the "
         "qtbase_*.qm of the reader's languages are copied to translations/ instead",
         (r"(^|/)Qt/translations/",)),
    Rule("qt-platforms-unused", "eglfs, linuxfb, vnc, vkkhrdisplay, minimalegl, direct2d: "
         "the reader runs on xcb, wayland, windows, cocoa, or offscreen/minimal for tests",
         (plugin("platforms", "qeglfs", "qlinuxfb", "qvnc", "qvkkhrdisplay", "qminimalegl",
                 "qdirect2d"),
          plugin("egldeviceintegrations"), qt_lib("EglFSDeviceIntegration", "EglFsKmsSupport"),
          plugin("generic"))),
    Rule("qt-wayland-extras", "wayland shells other than xdg-shell, the adwaita decoration "
         "(bradient stays): a desktop compositor only needs xdg-shell",
         (plugin("wayland-shell-integration", "fullscreen-shell-v1", "ivi-shell", "qt-shell",
                 "wl-shell-plugin"),
          plugin("wayland-decoration-client", "adwaita"))),
    Rule("qt-gtk3-theme", "the GTK3 platform theme (and, as orphans, the GTK/cairo/pango "
         "stack it links): the reader draws its own Fusion theme; xdgdesktopportal (kept) "
         "still reports the desktop's dark mode",
         (plugin("platformthemes", "qgtk3"),)),
    Rule("qt-network", "QtNetwork and its plugins: mail goes through Python's smtplib/ssl",
         (qt_lib("Network"), plugin("networkinformation"), plugin("tls"),
          plugin("generic", "qtuiotouchplugin"))),
    Rule("qt-opengl", "OpenGL integrations: QtWidgets paints with the raster engine",
         (qt_lib("OpenGL", "OpenGLWidgets"), plugin("xcbglintegrations"),
          plugin("wayland-graphics-integration-client"), r"(^|/)opengl32sw\.dll$",
          r"(^|/)d3dcompiler_\d+\.dll$")),
    Rule("qt-svg", "QtSvg, the SVG image and icon plugins: icons and QR codes are PNG",
         (qt_lib("Svg", "SvgWidgets"), plugin("imageformats", "qsvg"),
          plugin("iconengines", "qsvgicon"))),
    Rule("qt-imageformats", "gif/jpeg/tiff/webp/ico/icns/tga/wbmp/pdf readers: PNG is "
         "built into QtGui and the FAQ has no other images",
         (plugin("imageformats"),)),
    Rule("qt-styles", "native style plugins: the reader sets the Fusion style",
         (plugin("styles"),)),
    Rule("python-stdlib-unused", "tkinter, unittest, pydoc, doctest, pdb, lib2to3, "
         "distutils/setuptools/pip, xmlrpc, multiprocessing, asyncio, CJK codecs, decimal",
         (r"(^|/)lib-dynload/_(tkinter|decimal|codecs_(cn|hk|iso2022|jp|kr|tw)|multibytecodec"
          r"|asyncio|multiprocessing|curses|curses_panel|dbm|gdbm|lzma|bz2|ctypes_test"
          r"|testcapi|testinternalcapi|testbuffer|testimportmultiple|testmultiphase|xxtestfuzz"
          r"|ctypes)\.",
          r"(^|/)lib-dynload/(readline|audioop|nis|ossaudiodev|spwd|xxlimited\w*)\.",
          system_lib("libtcl8.6", "libtk8.6"))),
    Rule(HOST_RULE, "libraries every Linux desktop provides and that should match the "
         "running system, taken from it as AppImage's excludelist does (fontconfig and "
         "freetype read the host's font config and caches, X11, glib, libstdc++, zlib...), "
         "plus session libraries that exist wherever they can be used: libwayland-* "
         "(only a Wayland compositor loads the wayland plugin) and libcups (the CUPS print "
         "plugin loads only where CUPS is installed; elsewhere Qt still prints to PDF). "
         "Their private dependencies (libXau, pcre2, png, brotli, gnutls, krb5...) go as "
         "orphans",
         (system_lib("libX11", "libfontconfig", "libfreetype", "libexpat", "libglib-2.0",
                     "libgthread-2.0", "libgobject-2.0", "libgio-2.0", "libgpg-error",
                     "libstdc++", "libgcc_s", "libz", "libuuid", "libharfbuzz",
                     "libfribidi", "libwayland-client", "libwayland-cursor",
                     "libwayland-egl", "libcups"),)),
)

# Python modules never imported by the reader (or by Python-Markdown, segno, smtplib, ssl,
# email, sqlite3, tomllib). Passed to Analysis(excludes=...); the rule above then removes
# any of their extension modules that a hook still pulled in.
PYTHON_EXCLUDES = [
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "unittest", "pydoc",
    "pydoc_data", "doctest", "pdb", "lib2to3", "distutils", "setuptools", "pkg_resources",
    "pip", "xmlrpc", "multiprocessing", "asyncio", "concurrent.futures.process", "curses",
    "dbm", "_decimal", "lzma", "bz2", "ctypes", "test",
    "http.server", "wsgiref", "ensurepip", "venv", "pygments", "yaml",
    # Qt modules the reader does not use (QtCore, QtGui, QtWidgets, QtPrintSupport only)
    "PySide6.QtNetwork", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtQml",
    "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2", "PySide6.QtSvg",
    "PySide6.QtSvgWidgets", "PySide6.QtDBus", "PySide6.QtTest", "PySide6.QtSql",
    "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtHelp", "PySide6.QtDesigner",
    "PySide6.QtUiTools", "PySide6.QtQuickTest", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
]


# Steps that are not file rules but can be switched off the same way: PYTHON_EXCLUDES
# (applied by Analysis, before the rules), the ICU data filter and strip (after them).
EXTRA_STEPS = ("python-excludes", "icu-data", "strip")


def translation_datas(out_dir: Path, ts_dir: Path = ROOT / "translations") -> list:
    """datas for translations/: each reader_LANG.ts compiled now with the wheel's lrelease
    (never a stale .qm from the checkout), and Qt's qtbase_LANG.qm for its dialogs, where
    reader.ui.i18n looks for them (bundle_root()/translations)."""
    import PySide6
    from PySide6.QtCore import QLibraryInfo

    tool = Path(PySide6.__file__).parent / ("lrelease.exe" if sys.platform == "win32"
                                            else "lrelease")
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    out_dir.mkdir(parents=True, exist_ok=True)
    datas = []
    for ts in sorted(ts_dir.glob("reader_*.ts")):
        qm = out_dir / f"{ts.stem}.qm"
        result = subprocess.run([str(tool), "-silent", str(ts), "-qm", str(qm)],
                                capture_output=True, text=True)
        if result.returncode != 0 or not qm.is_file():
            raise SystemExit(f"lrelease could not compile {ts}:\n{result.stderr}{result.stdout}")
        qtbase = qt_dir / f"qtbase_{ts.stem.split('_', 1)[1]}.qm"
        if not qtbase.is_file():
            raise SystemExit(f"{qtbase} is missing from the Qt wheel")
        datas += [(str(qm), "translations"), (str(qtbase), "translations")]
    return datas


def kept_steps(keep: str | None = None) -> set[str]:
    """KFR_BUNDLE_KEEP=name,name (or 'all'): rules and steps switched off, to measure them."""
    keep = os.environ.get("KFR_BUNDLE_KEEP", "") if keep is None else keep
    skipped = {k.strip() for k in keep.split(",") if k.strip()}
    if "all" in skipped:
        return {r.name for r in RULES} | set(EXTRA_STEPS)
    unknown = skipped - {r.name for r in RULES} - set(EXTRA_STEPS)
    if unknown:
        raise SystemExit(f"KFR_BUNDLE_KEEP: unknown rule(s) {sorted(unknown)}")
    return skipped


def active_rules(keep: str | None = None) -> list[Rule]:
    """The rules in force, in order."""
    skipped = kept_steps(keep)
    return [r for r in RULES if r.name not in skipped]


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def trim(toc, rules, dropped: dict[str, list]):
    """The TOC without entries any rule matches; `dropped[rule]` collects what went."""
    kept = []
    for entry in toc:
        dest = entry[0]
        if entry[2] == "SYMLINK":  # handled by drop_dangling_symlinks
            kept.append(entry)
            continue
        rule = next((r for r in rules if r.matches(dest)), None)
        if rule is None:
            kept.append(entry)
        else:
            dropped.setdefault(rule.name, []).append(entry)
    return kept


def check_dependencies(binaries, dropped: dict[str, list]) -> None:
    """Fail the build if a kept binary links against one that a rule removed.

    Libraries dropped by the host rule (and its orphans) are expected from the system.
    """
    removed = {
        os.path.basename(e[0]): rule
        for rule, entries in dropped.items() if rule != HOST_RULE for e in entries
    }
    problems = []
    for dest, src, kind in binaries:
        if kind not in ("BINARY", "EXTENSION") or not os.path.isfile(src):
            continue
        for name in needed(src):
            if name in removed:
                problems.append(f"{dest} needs {name}, dropped by rule {removed[name]!r}")
    if problems:
        raise SystemExit("trimming broke a dependency:\n  " + "\n  ".join(sorted(problems)))


def drop_dangling_symlinks(binaries, datas):
    """PyInstaller links top-level names to libraries in subfolders; drop the links whose
    target a rule removed."""
    present = {e[0].replace(os.sep, "/") for e in binaries + datas if e[2] != "SYMLINK"}

    def alive(entry) -> bool:
        if entry[2] != "SYMLINK":
            return True
        target = os.path.normpath(os.path.join(os.path.dirname(entry[0]), entry[1]))
        return target.replace(os.sep, "/") in present

    return [e for e in binaries if alive(e)], [e for e in datas if alive(e)]


def write_report(path: Path, dropped: dict[str, list]) -> dict:
    """Per-rule bytes removed (sizes of the source files, before any strip)."""
    report = {}
    whys = {rule.name: rule.why for rule in RULES}
    whys["icu-data"] = "ICU data filtered to what Qt calls ICU for (see icu_trim.py)"
    for name, why in whys.items():
        entries = dropped.get(name, [])
        # an entry may carry the bytes it saved as a 4th field (a file replaced, not removed)
        files = {e[0]: (e[3] if len(e) > 3 else _size(e[1])) for e in entries}
        report[name] = {"files": len(files), "bytes": sum(files.values()), "why": why,
                        "dropped": sorted(files)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    for name, item in report.items():
        print(f"[kfr trim] {name:22} {item['files']:4} files {item['bytes'] / 2**20:7.2f} MiB",
              file=sys.stderr)
    return report


def _elf_needed(path: str) -> list[str] | None:
    """DT_NEEDED of an ELF file (direct link-time dependencies), None if not ELF64 LE."""
    import struct

    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    names = []
    for _n, kind, _f, _a, off, size, link, _i, _al, _e in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strtab = sections[link][4]
        for j in range(size // 16):
            tag, val = struct.unpack_from("<qQ", data, off + 16 * j)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                names.append(data[strtab + val:data.index(b"\0", strtab + val)].decode())
    return names


_NEEDED_CACHE: dict[str, list[str]] = {}


def needed(path: str) -> list[str]:
    """Base names of the libraries `path` links against directly."""
    if path not in _NEEDED_CACHE:
        names = _elf_needed(path) if sys.platform.startswith("linux") else None
        if names is None:
            from PyInstaller.depend import bindepend

            names = [n for n, _p in bindepend.get_imports(path)]
        _NEEDED_CACHE[path] = [os.path.basename(n) for n in names]
    return _NEEDED_CACHE[path]


def _is_root(entry) -> bool:
    """Loaded by Python or by Qt's plugin loader rather than through a link-time import."""
    dest, _src, kind = entry
    dest = dest.replace(os.sep, "/")
    base = os.path.basename(dest)
    return (kind == "EXTENSION" or "/plugins/" in f"/{dest}"
            or base.startswith(("libpython", "python3", "Python")))


def _orphans(entries) -> set[str]:
    """Shared libraries in `entries` that no root reaches through direct links."""
    by_name = {os.path.basename(e[0]): e for e in entries}
    seen: set[str] = set()
    todo = [e for e in entries if _is_root(e)]
    while todo:
        entry = todo.pop()
        base = os.path.basename(entry[0])
        if base in seen:
            continue
        seen.add(base)
        if os.path.isfile(entry[1]):
            todo.extend(by_name[n] for n in needed(entry[1]) if n in by_name and n not in seen)
    return {os.path.basename(e[0]) for e in entries
            if e[2] == "BINARY" and not _is_root(e) and os.path.basename(e[0]) not in seen}


def prune_orphans(binaries, rules, dropped: dict[str, list]):
    """Drop shared libraries that nothing kept links against any more.

    Rules are applied one at a time so that each orphan (e.g. libgtk-3 once the gtk3
    theme plugin is gone) is counted against the rule that orphaned it. Libraries that
    were orphans before any rule (the private dependencies of system libraries that
    PyInstaller itself never bundles, such as libxcb's libXau) go with the host rule.
    """
    everything = binaries + [e for r in rules for e in dropped.get(r.name, [])]
    # Orphans before any rule: the private dependencies of system libraries PyInstaller
    # never bundles (libxcb's libXau...). They go with HOST_RULE, or stay without it.
    baseline = _orphans(everything)
    claimed = set(baseline)
    current = list(binaries)
    for i, rule in enumerate(rules):
        later = [e for r in rules[i + 1:] for e in dropped.get(r.name, [])]
        fresh = _orphans(current + later) - claimed
        if rule.name == HOST_RULE:
            fresh |= baseline
        claimed |= fresh
        kept = []
        for entry in current:
            if os.path.basename(entry[0]) in fresh:
                dropped.setdefault(rule.name, []).append(entry)
            else:
                kept.append(entry)
        current = kept
    return current
