"""reader/system_memory.py, with glibc's real malloc."""

from __future__ import annotations

import ctypes
import sys

import pytest

from reader.system_memory import map_large_blocks_apart


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_after_a_large_block_is_freed_the_next_large_ones_still_get_their_own_mapping():
    libc = ctypes.CDLL(None)
    if not hasattr(libc, "mallinfo2"):
        pytest.skip("malloc is not glibc's (2.33 or newer)")
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.mallinfo2.restype = _MallInfo2
    assert map_large_blocks_apart()
    libc.free(libc.malloc(16 * 2**20))  # a window's backing store, freed with its reader
    mapped = libc.mallinfo2().hblks
    block = libc.malloc(2**20)  # glibc would have raised its threshold past this
    try:
        assert libc.mallinfo2().hblks == mapped + 1  # a mapping of its own, not the heap
    finally:
        libc.free(block)
    assert libc.mallinfo2().hblks == mapped  # and given back whole
