"""reader/system_memory.py, with glibc's real malloc."""

from __future__ import annotations

import ctypes
import subprocess
import sys
from pathlib import Path

import pytest

from reader.system_memory import keep_heap_compact

ROOT = Path(__file__).resolve().parent.parent


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
    assert keep_heap_compact()
    libc.free(libc.malloc(16 * 2**20))  # a window's backing store, freed with its reader
    mapped = libc.mallinfo2().hblks
    block = libc.malloc(2**20)  # glibc would have raised its threshold past this
    try:
        assert libc.mallinfo2().hblks == mapped + 1  # a mapping of its own, not the heap
    finally:
        libc.free(block)
    assert libc.mallinfo2().hblks == mapped  # and given back whole


_WORKER_THREAD = """
import ctypes, sys, threading
from reader.system_memory import keep_heap_compact
libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.sbrk.restype, libc.sbrk.argtypes = ctypes.c_void_p, [ctypes.c_ssize_t]
compact = sys.argv[1] == "compact"
if compact:
    assert keep_heap_compact()
blocks = []
worker = threading.Thread(target=lambda: blocks.append(libc.malloc(1000)))  # as a search runs
worker.start()
worker.join()
print("main heap" if blocks[0] < libc.sbrk(0) else "own arena")  # the heap ends at sbrk(0)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
@pytest.mark.parametrize(("compact", "expected"), [("compact", "main heap"),
                                                   ("as glibc starts", "own arena")])
def test_a_new_worker_thread_allocates_from_the_main_heap(compact, expected):
    """In a fresh process: in one that has run threads, glibc hands out their old arenas."""
    if not hasattr(ctypes.CDLL(None), "mallinfo2"):
        pytest.skip("malloc is not glibc's (2.33 or newer)")
    where = subprocess.run([sys.executable, "-c", _WORKER_THREAD, compact], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where == expected
