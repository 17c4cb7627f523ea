"""Concurrent report builds are bounded (issue #12, item 5): four readers press "Gerar relatório"
at once, through the server's queue (pmas.saida.fila, the entry point the Relatório screen
uses), with charts, so each build starts a real Chromium (through Kaleido). The browsers'
processes together never hold more than one browser's memory (their resident sizes, summed).

A sampler reads /proc while they run and counts the browsers this test process started (a
Chromium's main process: no ``--type=`` among its arguments; LibreOffice's ``soffice`` too): never
more than one at a time. Two of the four ask for the same data version: that one is built once and
the second reader gets the very same document from the cache. Without the queue the renderer
alone allows two browsers at once (pmas.saida.render), and four builds would start two.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada.pipeline import load_examples
from pmas.saida import fila, report
from tests.e2e.conftest import _require_browser

pytestmark = pytest.mark.e2e


def _renderers(root: int, antes: frozenset[int] = frozenset()) -> tuple[int, float]:
    """Chromium (main processes) and soffice processes descending from ``root``, and the
    resident memory (MB) of every process of theirs (a browser's helpers included), leaving out
    the processes in ``antes`` and theirs (e.g. the other browser tests' own Chromium, started
    by Playwright from this same test process)."""
    parents: dict[int, int] = {}
    kinds: dict[int, bool] = {}
    rss: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        pid = int(entry)
        parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
        exe = os.path.basename(cmd[0].decode(errors="replace")) if cmd and cmd[0] else ""
        browser = "chrom" in exe and not any(a.startswith(b"--type=") for a in cmd)
        kinds[pid] = browser or exe.startswith(("soffice", "libreoffice"))
        if "chrom" in exe or exe.startswith(("soffice", "libreoffice")):
            pages = int(stat.rsplit(")", 1)[1].split()[21])  # rss, in pages
            rss[pid] = pages * os.sysconf("SC_PAGE_SIZE") / 2**20

    def descends(pid: int) -> bool:
        if pid in antes:
            return False
        for _ in range(64):
            pid = parents.get(pid, 0)
            if pid == root:
                return True
            if pid in antes:
                return False
            if pid <= 1:
                return False
        return False

    mine = [pid for pid in kinds if descends(pid)]
    return sum(1 for pid in mine if kinds[pid]), sum(rss.get(pid, 0.0) for pid in mine)


def test_four_concurrent_builds_run_one_renderer_at_a_time_and_share_the_cache(tmp_path):
    _require_browser()
    store = Store(f"sqlite:///{tmp_path / 'pmas.db'}")
    load_examples(store, LONDRINA)
    plano_id = store.plan()[0]
    versoes = tuple(sorted(v.id for v in store.current_versions(plano_id)))
    queue = fila.Fila()
    pedidos = [2022, 2023, 2024, 2022]  # the last one: the same data version as the first
    chaves = [fila.versao_dos_dados(store, plano_id, ano, versoes, True) for ano in pedidos]
    assert chaves[0] == chaves[3] and len(set(chaves)) == 3

    peak, seen, peak_mb, stop = [0], [0], [0.0], threading.Event()
    recent: list[int] = []
    antes = frozenset(int(p) for p in os.listdir("/proc") if p.isdigit())  # before the builds

    def sample() -> None:
        while not stop.is_set():
            n, mb = _renderers(os.getpid(), antes)
            # a browser still exiting while the next one starts is seen for a sample or two;
            # two builds at once would overlap for seconds: count what lasts 0,25 s (5 samples)
            recent[:] = [*recent[-4:], n]
            if len(recent) == 5:
                peak[0] = max(peak[0], min(recent))
            peak_mb[0] = max(peak_mb[0], mb)
            seen[0] += n > 0
            time.sleep(0.05)

    resultados: dict[int, report.ReportResult] = {}
    erros: list[BaseException] = []

    def reader(i: int) -> None:
        try:
            ano = pedidos[i]
            resultados[i] = queue.gerar(
                chaves[i], lambda: report.build_report(store, ano, LONDRINA.municipio, charts=True)
            )
        except BaseException as exc:
            erros.append(exc)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    threads = [threading.Thread(target=reader, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    stop.set()
    sampler.join(timeout=10)

    assert not erros, erros
    assert all(r.graficos > 0 for r in resultados.values())  # charts drawn: a browser ran
    assert seen[0] > 0  # the sampler did see the browser
    assert peak[0] == 1, f"{peak[0]} navegadores ao mesmo tempo"
    # one browser's memory at a time: the unbounded builds held ~2,3 GB in 19 processes
    print(f"pico de memória dos navegadores: {peak_mb[0]:.0f} MB")
    assert 0 < peak_mb[0] < 1200, f"{peak_mb[0]:.0f} MB nos navegadores ao mesmo tempo"
    assert queue.construcoes == 3  # the repeated data version was not built again
    assert resultados[3] is resultados[0]  # the same document, from the cache
    assert {resultados[i].ano for i in range(3)} == {2022, 2023, 2024}
