"""Replace PySide6's 30 MiB libicudata with one holding only what Qt asks ICU for.

Linux only: the PySide6 wheels for Windows and macOS use the system's ICU. On Linux,
libQt6Core links libicuuc/libicui18n, whose data lives in libicudata.so.NN as one symbol,
icudtNN_dat, an ICU "common data" package (a table of contents and ~3900 items). Qt 6
calls ICU for exactly four things (nm -D --undefined-only libQt6*.so | grep _73):
collation (ucol_*, QCollator), legacy text codecs (ucnv_*, QStringConverter for non-UTF
encodings), time-zone display names (ucal_*) and locale-aware case mapping
(u_strToUpper/Lower, which needs no data). Qt has its own CLDR locale data, break
iterators and normalisation, so ICU's locale display names, units, currencies,
transliterators, break dictionaries, CJK converter tables and per-locale collation
tailorings are dead weight for an English-language reader.

What stays (about 3 MiB): the package's supplemental tables (zones, likely subtags,
plurals...), root and English locale data, the UCA collation root (every locale falls back
to it: correct for English, close for other Latin-script languages), converter aliases
plus the small single-byte converters, time-zone names for root/English, and the
normalisation tables. A missing item only makes ICU fall back (root collation, GMT+hh:mm
zone names, "unsupported codec"), never crash; check_icu() below proves the kept calls
work before the build goes on.

The new library is built with binutils alone (objcopy, ld), which PyInstaller itself
already requires on Linux.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

SINGLE_BYTE_CNV_MAX = 32 * 1024


def keep_item(name: str, size: int) -> bool:
    """name is e.g. 'coll/root.res' (the 'icudt73l/' prefix removed)."""
    if "/" in name:
        tree, leaf = name.split("/", 1)
        if tree == "coll":
            return leaf in ("root.res", "res_index.res", "ucadata.icu") or leaf.startswith("en")
        if tree == "zone":
            return leaf in ("root.res", "res_index.res", "pool.res", "tzdbNames.res") \
                or leaf.startswith("en")
        return False  # brkitr, translit, curr, lang, region, unit, rbnf
    if name.endswith(".res"):
        stem = name[:-4]
        if stem in ("res_index", "root", "pool") or stem == "en" or stem.startswith("en_"):
            return True
        return not re.fullmatch(r"[a-z]{2,3}(_\w+)?", stem)  # supplemental tables
    if name.endswith(".cnv"):
        return size <= SINGLE_BYTE_CNV_MAX
    if name.endswith((".nrm",)):
        return True
    if name.endswith(".icu"):
        return name != "unames.icu"  # character names: u_charName is not used by Qt
    return False  # .spp (stringprep/IDNA2003), .cfu (spoof checks), .dict


# --- ELF reading (enough to find one symbol's bytes) -----------------------------------


def _elf_symbol_bytes(path: Path, symbol: str) -> bytes:
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise RuntimeError(f"{path}: not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    for _name, kind, _f, _a, off, size, link, _i, _al, entsize in sections:
        if kind not in (2, 11):  # SHT_SYMTAB, SHT_DYNSYM
            continue
        strtab_off = sections[link][4]
        for j in range(size // entsize):
            st_name, _info, _other, shndx, value, st_size = struct.unpack_from(
                "<IBBHQQ", data, off + j * entsize)
            end = data.index(b"\0", strtab_off + st_name)
            if data[strtab_off + st_name:end].decode() != symbol:
                continue
            sec = sections[shndx]  # (name, type, flags, addr, offset, ...)
            start = value - sec[3] + sec[4]
            return data[start:start + st_size]
    raise RuntimeError(f"{path}: symbol {symbol} not found")


# --- ICU common data (.dat) ---------------------------------------------------------------


def parse_common_data(blob: bytes):
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD" or blob[8] != 0:
        raise RuntimeError("not a little-endian ICU common data package")
    toc = blob[header_size:]
    count, = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_off, data_off) in enumerate(entries):
        name = toc[name_off:toc.index(b"\0", name_off)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        items.append((name, toc[data_off:end]))
    return blob[:header_size], items


def build_common_data(header: bytes, items) -> bytes:
    items = sorted(items)  # ICU binary-searches the table of contents by name
    count = len(items)
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    names_start = 4 + 8 * count
    data_start = (names_start + len(names) + 15) // 16 * 16
    entries, body, name_off = b"", b"", names_start
    for name, data in items:
        entries += struct.pack("<II", name_off, data_start + len(body))
        name_off += len(name) + 1
        body += data + b"\0" * (-len(data) % 16)
    toc = struct.pack("<I", count) + entries + names
    toc += b"\0" * (data_start - len(toc))
    return header + toc + body


# --- building the replacement library --------------------------------------------------


def _objdump_target(lib: Path) -> tuple[str, str]:
    out = subprocess.run(["objdump", "-f", str(lib)], check=True, capture_output=True,
                         text=True).stdout
    fmt = re.search(r"file format (\S+)", out).group(1)
    arch = re.search(r"architecture: ([^,\s]+)", out).group(1)
    return fmt, arch


def build_library(original: Path, out_dir: Path) -> tuple[Path, dict]:
    soname = original.name  # libicudata.so.73
    major = re.search(r"\.so\.(\d+)", soname).group(1)
    symbol = f"icudt{major}_dat"
    blob = _elf_symbol_bytes(original, symbol)
    header, items = parse_common_data(blob)
    prefix = items[0][0].split("/", 1)[0] + "/"  # icudt73l/
    kept = [(n, d) for n, d in items if keep_item(n[len(prefix):], len(d))]
    data = build_common_data(header, kept)

    out_dir.mkdir(parents=True, exist_ok=True)
    dat = out_dir / "icudt.dat"
    dat.write_bytes(data)
    fmt, arch = _objdump_target(original)
    obj = out_dir / "icudt.o"
    # cwd=out_dir and a relative name keep the generated symbol names short and stable
    start = "_binary_icudt_dat_start"
    subprocess.run(["objcopy", "-I", "binary", "-O", fmt, "-B", arch,
                    "--rename-section", ".data=.rodata,alloc,load,readonly,data,contents",
                    "--set-section-alignment", ".rodata=16",
                    "--redefine-sym", f"{start}={symbol}",
                    "--strip-symbol", "_binary_icudt_dat_end",
                    "--strip-symbol", "_binary_icudt_dat_size",
                    "icudt.dat", "icudt.o"], check=True, cwd=out_dir)
    lib = out_dir / soname
    subprocess.run(["ld", "-shared", "-soname", soname, "-z", "noexecstack",
                    "-o", str(lib), str(obj)], check=True)
    stats = {"items_before": len(items), "items_after": len(kept),
             "bytes_before": len(blob), "bytes_after": len(data),
             "library_before": original.stat().st_size, "library_after": lib.stat().st_size}
    return lib, stats


_CHECK = textwrap.dedent(r"""
    import ctypes, sys
    data, uc, i18n, major = sys.argv[1:5]
    ctypes.CDLL(data, mode=ctypes.RTLD_GLOBAL)  # same soname: satisfies libicuuc's NEEDED
    uc = ctypes.CDLL(uc, mode=ctypes.RTLD_GLOBAL)
    i18n = ctypes.CDLL(i18n, mode=ctypes.RTLD_GLOBAL)
    f = lambda lib, name: getattr(lib, f"{name}_{major}")
    err = ctypes.c_int(0)
    def ok(what):
        if err.value > 0:
            sys.exit(f"ICU check failed: {what}: error {err.value}")
        err.value = 0
    for codec in (b"windows-1252", b"ISO-8859-15", b"UTF-8", b"latin1"):
        f(uc, "ucnv_open").restype = ctypes.c_void_p
        conv = f(uc, "ucnv_open")(codec, ctypes.byref(err)); ok(codec)
        f(uc, "ucnv_close")(ctypes.c_void_p(conv))
    f(i18n, "ucol_open").restype = ctypes.c_void_p
    for loc in (b"en_US", b"de_DE", b"fr", b""):
        coll = f(i18n, "ucol_open")(loc, ctypes.byref(err)); ok(b"ucol_open " + loc)
        f(i18n, "ucol_close")(ctypes.c_void_p(coll))
    f(i18n, "ucal_open").restype = ctypes.c_void_p
    zone = (ctypes.c_uint16 * 32)(*[ord(c) for c in "Europe/Berlin"] + [0] * 19)
    cal = f(i18n, "ucal_open")(zone, -1, b"en_US", 0, ctypes.byref(err)); ok("ucal_open")
    out = (ctypes.c_uint16 * 64)()
    n = f(i18n, "ucal_getTimeZoneDisplayName")(ctypes.c_void_p(cal), 0, b"en_US", out, 64,
                                               ctypes.byref(err)); ok("zone name")
    name = "".join(chr(c) for c in out[:n])
    f(i18n, "ucal_close")(ctypes.c_void_p(cal))
    print(f"ICU ok: Europe/Berlin is {name!r} in en_US")
""")


def check_icu(new_data: Path, icu_dir: Path) -> str:
    major = re.search(r"\.so\.(\d+)", new_data.name).group(1)
    uc, i18n = icu_dir / f"libicuuc.so.{major}", icu_dir / f"libicui18n.so.{major}"
    result = subprocess.run([sys.executable, "-c", _CHECK, str(new_data), str(uc), str(i18n),
                             major], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"trimmed ICU data does not work:\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


def replace_icu_data(binaries, workdir: Path, dropped: dict[str, list]):
    """Swap libicudata in the TOC for the trimmed build; report the saving as 'icu-data'."""
    if not (shutil.which("objcopy") and shutil.which("ld") and shutil.which("objdump")):
        print("[kfr icu] binutils missing: keeping the full ICU data", file=sys.stderr)
        return binaries
    result = []
    for dest, src, kind in binaries:
        if re.fullmatch(r"libicudata\.so\.\d+", os.path.basename(dest)) and os.path.isfile(src):
            original = Path(src).resolve()
            lib, stats = build_library(original, Path(workdir) / "icu")
            print(f"[kfr icu] {check_icu(lib, original.parent)}", file=sys.stderr)
            print(f"[kfr icu] {stats['items_before']} -> {stats['items_after']} items, "
                  f"{stats['library_before'] / 2**20:.1f} -> "
                  f"{stats['library_after'] / 2**20:.1f} MiB", file=sys.stderr)
            dropped.setdefault("icu-data", []).append(
                (dest, str(original), kind, stats["library_before"] - stats["library_after"]))
            result.append((dest, str(lib), kind))
        else:
            result.append((dest, src, kind))
    return result
