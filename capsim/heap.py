"""Freed memory kept for reuse within a process, so that each replication's large arrays take
the pages the previous one gave back instead of fresh ones from the operating system.

By default glibc's malloc hands every block above 32 MB straight back to the kernel when it is
freed, and asks for new zero-filled pages for the next: a three-year national replication
(``growth-central``, 6.2 M item rows) then spent 1.2-2.5 s of its 4.4-7 s in the kernel's page
faults. With the thresholds below, a freed block stays in the heap for the next one to reuse:
measured on a 2-core AMD EPYC (Linux, glibc 2.36), 2026-11-26, one process, three replications
in a row: 3.3 s each after the first instead of 4.4-5.9 s, system time 0.0 s instead of 1.2-2.0 s,
and the same peak resident memory (1.14 GB). The cost: the process keeps its peak memory until
it exits (capsim's commands and worker processes end after their run; a notebook keeps it).

Only glibc (Linux) has these settings; elsewhere nothing changes.

Nor does numpy ask the kernel for huge pages for its large arrays (:func:`plain_pages`). Where the
kernel makes huge pages only for memory that asks (transparent huge pages "madvise", Debian's
default), it may stop to compact memory for each fault of such memory. Measured on the machine
above, 2026-11-26, a fresh Python filling six 200 MB arrays: 4.3-5.6 s (3.0-3.9 s of it system
time) with numpy's advice, 1.0-1.2 s (0.7 s) without; a first ``growth-central`` replication
5.3-8.5 s wall against 3.2-4.6 s, and the replications after it no slower (2.2-2.8 s user either
way, the pages being kept).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import importlib

import numpy as np

M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3
"""glibc's ``mallopt`` parameters (malloc.h)."""

KEEP_BYTES = 2**31 - 1
"""Blocks up to this size come from the reused heap, and freed memory up to it stays there (bytes)."""

PAD_BYTES = 256 * 2**20
"""Extra heap asked for at each growth, so that growing tables take fewer calls (bytes)."""


@functools.cache
def reuse_freed_memory() -> bool:
    """Set this process's malloc to keep freed memory for reuse (see the module docstring), once;
    whether it could (False where the C library is not glibc)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):  # not glibc: no mallopt
        return False
    return all(mallopt(option, value) == 1 for option, value in
               ((M_MMAP_THRESHOLD, KEEP_BYTES), (M_TRIM_THRESHOLD, KEEP_BYTES), (M_TOP_PAD, PAD_BYTES)))


@functools.cache
def plain_pages() -> bool:
    """Stop numpy advising huge pages for this process's new arrays (see the module docstring),
    once; whether this numpy could be told (its private switch, there since numpy 1.20)."""
    # numpy.core became numpy._core in numpy 2 (numpy 1.26 has a numpy._core without it)
    module = "numpy._core.multiarray" if int(np.__version__.split(".")[0]) >= 2 else "numpy.core.multiarray"
    switch = getattr(importlib.import_module(module), "_set_madvise_hugepage", None)
    if switch is None:
        return False
    switch(False)
    return True

