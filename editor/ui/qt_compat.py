"""A guard against a reference-counting bug of PySide6 6.12.0 on Python 3.11.

Those bindings return None from every Qt call that returns nothing without taking a reference to
it, so None's reference count drops by one per call until Python aborts with "none_dealloc" — after
some tens of thousands of calls, i.e. minutes of typing or a long test run. Python 3.12 made None
immortal, so the bug is harmless there, and earlier PySide6 releases (6.11.3 checked) do not have it.
The guard measures the leak instead of trusting version numbers, and when it is there gives None a
reference count no session can use up. The real fix is keeping 6.12.0 out of the dependencies.
"""

from __future__ import annotations

import ctypes
import sys

_PROBES = 64
_guarded = False


def leaks_none() -> bool:
    """True when a Qt call that returns nothing takes a reference from None (measured, 64 calls)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBES):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= _PROBES - 4


def guard_none_refcount() -> bool:
    """Makes None effectively immortal if (and only if) the running bindings leak it; True if applied."""
    global _guarded
    if _guarded or sys.version_info >= (3, 12) or not leaks_none():
        return _guarded
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    _guarded = True
    return True
