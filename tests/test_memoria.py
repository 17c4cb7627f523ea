"""pmas.entrada.memoria gives the freed pages back to the system between an analysis' stages
(the peak of a large import is measured by benchmarks/bench_import.py)."""

from __future__ import annotations

import sys

import pytest

from pmas.entrada import memoria


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc: Linux only")
def test_freed_heap_pages_go_back_to_the_system():
    assert memoria._malloc_trim() is not None  # glibc's, found among the process's symbols
    # 160 MB in chunks the C allocator serves from its heap; one in twenty kept, so the freed
    # ones sit between live ones and are not returned on their own
    chunks = [bytes(8000) + str(i).encode() for i in range(20_000)]
    kept = chunks[::20]
    del chunks
    before = _rss_mb()
    memoria.devolver(memoria.GRANDE - 1)  # a small file's analysis: nothing done
    assert before - _rss_mb() < 10
    memoria.devolver(memoria.GRANDE)
    after = _rss_mb()
    assert before - after > 50, (before, after)
    assert len(kept) == 1000  # the live ones are untouched
    assert all(k[:8000] == bytes(8000) for k in kept)
