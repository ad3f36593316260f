"""A kiosk gives the memory of the readers before back to the system (reader/system_memory)."""

from __future__ import annotations

import ctypes
import sys

import pytest

from reader.system_memory import give_back_free_memory


def resident_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_blocks_leave_the_resident_size_once_given_back():
    libc = ctypes.CDLL(None)
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(4096) for _ in range(20_000)]  # 80 MiB in small blocks, touched
    for block in blocks:
        ctypes.memset(block, 1, 4096)
    keep = libc.malloc(64)  # above them all: the freed ones cannot shrink the heap's top
    for block in blocks:
        libc.free(block)
    before = resident_kib()
    assert give_back_free_memory()
    after = resident_kib()
    libc.free(keep)
    assert before - after > 40_000, (before, after)  # most of the 80 MiB went back
