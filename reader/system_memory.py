"""Memory that a long-running reader gives back to the system.

A kiosk frees a whole reader at each reset and language switch, but glibc's malloc keeps
much of what was freed for later, so the resident size creeps up over months of patients.
`give_back_free_memory()` hands those free pages back to the system (malloc_trim).
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache
from typing import Any


@cache
def _malloc_trim() -> Any:  # glibc's malloc_trim, or None
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim  # glibc's; musl and others have none
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def give_back_free_memory() -> bool:
    """True when free memory could be handed back (glibc); False where there is no way."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
