"""Memory in a reader that runs for months (a kiosk).

A kiosk frees a whole reader at every language switch. Each window's backing store and its
images are blocks of several MiB. glibc's malloc gives such a block a mapping of its own,
returned to the system when freed, but every time one is freed it raises the size it maps
from (up to 32 MiB): after the first switch the next readers' large blocks were carved from
the heap instead, and the holes they left, each a little too small for the next reader's,
made the resident size creep up with every patient though nothing leaked.
`map_large_blocks_apart()` fixes that size, so large blocks always have their own mapping.
"""

from __future__ import annotations

import sys

M_MMAP_THRESHOLD = -3  # glibc's malloc.h; setting it also stops the threshold moving
LARGE_BLOCK = 128 * 1024  # glibc's own starting threshold


def map_large_blocks_apart(threshold: int = LARGE_BLOCK) -> bool:
    """True when blocks of `threshold` bytes and more now always get their own mapping;
    False where malloc is not glibc's (nothing changes there)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes  # left out of the frozen bundle

        mallopt = ctypes.CDLL(None).mallopt  # glibc's; musl and others have none
    except (ImportError, OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, threshold) == 1)
