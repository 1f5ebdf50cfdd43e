"""Freed memory is kept for reuse (:mod:`capsim.heap`): a large block freed and asked for again
costs no new page faults, where by default glibc returns it to the kernel and faults it back in."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import numpy as np

from capsim.heap import plain_pages, reuse_freed_memory

FAULTS = textwrap.dedent("""
    import resource, sys
    import numpy as np
    if sys.argv[1] == "reuse":
        from capsim.heap import reuse_freed_memory
        assert reuse_freed_memory()
    def touched() -> int:  # minor page faults while filling a fresh 200 MB array
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        np.ones(25_000_000)  # 200 MB, freed at once
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    touched()
    print(touched())
""")


def faults_on_second_use(mode: str) -> int:
    """Page faults on filling a 200 MB array the second time, in a fresh Python (``mode``: "reuse" or "default")."""
    done = subprocess.run([sys.executable, "-c", FAULTS, mode], capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux") or not reuse_freed_memory(), reason="glibc only")
def test_a_freed_block_is_reused_without_page_faults():
    # 200 MB is 51,200 pages of 4 KB (or 100 of 2 MB where the kernel gives huge pages): by default
    # the second array is faulted in again; kept, it needs no new page at all (a few for Python's own
    # small objects: allow 20).
    assert faults_on_second_use("default") >= 50  # half the 100 huge pages, the fewest it could take
    assert faults_on_second_use("reuse") <= 20


def test_it_is_set_once():
    assert reuse_freed_memory() is reuse_freed_memory()


def test_numpy_no_longer_advises_huge_pages():
    switch = (getattr(np, "_core", None) or np.core).multiarray._set_madvise_hugepage
    assert plain_pages() and plain_pages() is plain_pages()
    assert switch(False) is False  # the setting it replaces: already off
    switch(True)  # numpy's default back on: plain_pages, set once, does not redo it
    plain_pages()
    assert switch(False) is True

