"""Memory in a reader that runs for months (a kiosk above all; every reader does the same).

A kiosk frees a whole reader at every language switch, and its search and speech run on
short-lived worker threads. Two of glibc's malloc habits made its resident size creep up
with every patient, though nothing leaked:
- Each window's backing store and its images are blocks of several MiB. Such a block gets a
  mapping of its own, returned to the system when freed, but every time one is freed malloc
  raises the size it maps from (up to 32 MiB): after the first switch the next readers'
  large blocks were carved from the heap instead, and the holes they left, each a little
  too small for the next reader's, stayed.
- Each new thread may get an arena (a heap) of its own, up to eight per core. What a worker
  frees there is kept for that arena alone, and the next worker may be given another one.
`keep_heap_compact()` fixes the mapping size and keeps new threads on the main heap.
"""

from __future__ import annotations

import sys

M_ARENA_MAX = -8  # glibc's malloc.h
M_MMAP_THRESHOLD = -3  # setting it also stops the threshold moving
LARGE_BLOCK = 128 * 1024  # glibc's own starting threshold


def keep_heap_compact(threshold: int = LARGE_BLOCK) -> bool:
    """True when blocks of `threshold` bytes and more now always get their own mapping and
    no new arena is made for a thread; False where malloc is not glibc's (nothing changes)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes  # left out of the frozen bundle

        mallopt = ctypes.CDLL(None).mallopt  # glibc's; musl and others have none
    except (ImportError, OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    fixed_threshold = mallopt(M_MMAP_THRESHOLD, threshold) == 1
    return bool(fixed_threshold and mallopt(M_ARENA_MAX, 1) == 1)
