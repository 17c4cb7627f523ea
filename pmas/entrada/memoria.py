"""Giving freed memory back to the system between the stages of an analysis.

Reading a large workbook (fastexcel's Rust allocations, through the C allocator) and
normalising it (pyarrow's casts and trims, through its own mimalloc pool) free most of what they
allocated, but both allocators keep the freed pages for later: the process's resident size then
only grows, and the next stage's allocations come on top. Returning them between the stages
keeps the peak of a 50.000-row analysis under 300 MB (benchmarks/bench_import.py), at the cost
of a few milliseconds and of fresh pages for the next stage; so only for large files.
"""

from __future__ import annotations

import ctypes
from functools import cache


@cache
def _malloc_trim():
    """glibc's ``malloc_trim`` (among the symbols the process already has), or None (another C
    library, another system)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


# Files smaller than this (about 15.000 goals) are not worth it: their stages free a few MB,
# and the pages given back must be faulted in again by the next stage (7 ms of a 5.000-row
# analysis's 100).
GRANDE = 1 << 20


def devolver(tamanho: int) -> None:
    """Return the freed pages of pyarrow's pool and of the C allocator to the system, when the
    file analysed (``tamanho`` bytes) is of :data:`GRANDE` or more."""
    if tamanho < GRANDE:
        return
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
