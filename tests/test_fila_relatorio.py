"""Report builds are queued, one at a time per server, with a visible place in the queue, and
cached per data version so a second reader gets the same file at once (issue #12, item 5)."""

from __future__ import annotations

import threading
import time

from pmas.saida.fila import Fila


def test_builds_run_one_at_a_time_and_each_waiter_sees_its_place():
    fila: Fila[str] = Fila()
    running = 0
    most = 0
    started = threading.Event()
    release = threading.Event()
    lock = threading.Lock()
    places: dict[int, list[int]] = {}

    def build(i: int):
        def go() -> str:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            started.set()
            release.wait(30)
            with lock:
                running -= 1
            return f"relatório {i}"

        return go

    results: dict[int, str] = {}

    def ask(i: int) -> None:
        results[i] = fila.gerar(
            ("dados", i), build(i), lambda p: places.setdefault(i, []).append(p)
        )

    first = threading.Thread(target=ask, args=(0,))
    first.start()
    assert started.wait(30)
    others = []
    for i in (1, 2, 3):
        t = threading.Thread(target=ask, args=(i,))
        t.start()
        others.append(t)
        deadline = time.monotonic() + 30
        while i not in places and time.monotonic() < deadline:  # queued in this order
            time.sleep(0.01)
    assert places == {1: [1], 2: [2], 3: [3]}  # one build ahead of the first waiter, …
    release.set()
    for t in [first, *others]:
        t.join(60)
    assert results == {i: f"relatório {i}" for i in range(4)}
    assert most == 1 and fila.construcoes == 4
    # each waiter's place went down to the front as the builds ahead finished
    assert places[3][0] == 3 and places[3] == sorted(places[3], reverse=True)


def test_a_second_reader_of_the_same_data_gets_the_same_file_without_a_new_build():
    fila: Fila[object] = Fila()
    calls = []
    release = threading.Event()

    def build():
        calls.append(1)
        release.wait(30)
        return object()

    got = {}
    a = threading.Thread(target=lambda: got.setdefault("a", fila.gerar("v1", build)))
    a.start()
    deadline = time.monotonic() + 30
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    waited = []
    b = threading.Thread(target=lambda: got.setdefault("b", fila.gerar("v1", build, waited.append)))
    b.start()
    while not waited and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    a.join(60)
    b.join(60)
    assert got["a"] is got["b"] and len(calls) == 1
    assert waited == [1]  # it waited for the build already running
    # later: straight from the cache, no wait, no build
    assert fila.em_cache("v1") is got["a"] and fila.gerar("v1", build) is got["a"]
    assert len(calls) == 1
    # a new data version is a new document
    assert fila.gerar("v2", lambda: "novo") == "novo"


def test_a_failed_build_lets_the_next_one_run_and_caches_nothing():
    fila: Fila[str] = Fila()

    def boom() -> str:
        raise RuntimeError("falhou")

    try:
        fila.gerar("k", boom)
    except RuntimeError:
        pass
    assert fila.em_cache("k") is None
    assert fila.gerar("k", lambda: "ok") == "ok"


def test_the_cache_keeps_only_the_newest_results():
    fila: Fila[int] = Fila(capacidade=2)
    for i in range(3):
        fila.gerar(i, lambda i=i: i)
    assert fila.em_cache(0) is None and fila.em_cache(1) == 1 and fila.em_cache(2) == 2
