"""Helpers shared by the benchmark scripts: synthetic workbooks, timing, peak memory."""

from __future__ import annotations

import io
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmas.dados.plano import LONDRINA  # noqa: E402
from pmas.dados.schema import STATUS_ORDER  # noqa: E402

HEADER = [
    "Código",
    "Eixo",
    "Diretriz",
    "Ação",
    "Meta",
    "Indicador",
    "Unidade de medida",
    "Sentido",
    "Ano",
    "Previsto",
    "Realizado",
    "Situação",
    "Justificativa",
    "Responsável",
    "Prazo",
    "Território",
    "Nível de proteção",
    "Fonte de recurso",
    "Valor previsto (R$)",
    "Valor executado (R$)",
]


def goals_workbook(rows: int, *, seed: int = 7) -> bytes:
    """A Metas workbook with ``rows`` goals (a title block, then the header), as users send."""
    import random

    rnd = random.Random(seed)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Metas")
    ws.write_string(0, 0, "Prefeitura Municipal — Monitoramento do PMAS")
    for c, h in enumerate(HEADER):
        ws.write_string(2, c, h)
    eixos = [e.rotulo for e in LONDRINA.eixos]
    statuses = [s for s in STATUS_ORDER]
    terr = ["Centro A", "Norte B", "Sul A", "Leste", "Oeste A", "Rural", "Municipal"]
    for i in range(rows):
        r = 3 + i
        ano = 2022 + i % 4
        prev = rnd.randint(10, 500)
        real = rnd.randint(0, prev + 50)
        ratio = real / prev
        status = (
            "Realizada"
            if ratio >= 1
            else ("Parcialmente realizada" if ratio > 0 else "Não realizada")
        )
        if i % 3 == 0:
            status = rnd.choice(statuses)
            prev = real = None
        values = [
            f"{i // 4 + 1}",
            eixos[i % 5],
            f"Diretriz {i % 17 + 1} do eixo",
            f"Ação estratégica número {i // 4} para ampliar a oferta do serviço",
            f"Meta {i // 4}: atender famílias referenciadas no território",
            "Famílias acompanhadas",
            "famílias",
            "Aumentar",
            ano,
            prev,
            real,
            status,
            "Justificativa de acompanhamento" if status != "Realizada" else None,
            "Diretoria de Proteção Social Básica",
            "2022-2025",
            terr[i % len(terr)],
            "Proteção Social Básica",
            "FMAS",
            12000.5,
            11000.25,
        ]
        for c, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    ws.write_string(3 + rows, 0, "Fonte: SMAS")
    wb.close()
    return buf.getvalue()


def interleaved(fns: dict, runs: int = 7, warmup: int = 1) -> dict[str, list[float]]:
    """Seconds of each named callable, measured run by run in turn (A B A B …, the order of the
    pair flipped every other run), so that a burst of load on a shared machine hits all of them
    alike instead of all the runs of one. ``warmup`` rounds first are not kept."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    items = list(fns.items())
    for i in range(warmup + runs):
        for name, fn in items if i % 2 == 0 else reversed(items):
            t = time.perf_counter()
            fn()
            if i >= warmup:
                times[name].append(time.perf_counter() - t)
    return times


def median_range(values: list[float]) -> str:
    """'1,64 s (1,58–1,80)': the median and the range, Brazilian decimals."""
    m = statistics.median(values)
    return f"{m:.2f} s ({min(values):.2f}–{max(values):.2f})".replace(".", ",")


def ratio_range(num: list[float], den: list[float]) -> str:
    """The ratio of the medians, with the range of the run-by-run ratios: '2,69x (2,41–2,95)'."""
    pairs = [a / b for a, b in zip(num, den, strict=True)]
    m = statistics.median(num) / statistics.median(den)
    return f"{m:.2f}x ({min(pairs):.2f}–{max(pairs):.2f})".replace(".", ",")


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def peak_mb_of(code: str, children: bool = False):
    """Peak resident memory (MB) of a fresh Python process running ``code``; with ``children``,
    also the largest peak of the processes it forked (the limited analysis child), as a pair.

    Read from the child's own ``VmHWM`` (Linux): ``ru_maxrss`` is carried over ``exec`` from the
    process that spawned the child, so in a child of this (large) benchmark process it reported
    the benchmark's own peak, not the child's. A forked child's ``ru_maxrss`` counts the pages
    it shares with its parent too (it is its whole resident size at its peak).
    """
    out = subprocess.run(
        [sys.executable, "-c", code + "\n" + _PRINT_PEAK],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    own, forked = json.loads(out.stdout.strip().splitlines()[-1])
    return (own / 1024, forked / 1024) if children else own / 1024


_PRINT_PEAK = """
import json, resource
try:
    with open("/proc/self/status") as _status:
        _kb = next(int(line.split()[1]) for line in _status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    _kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps([_kb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
"""


def tree_peak_mb(code: str, interval: float = 0.005) -> float:
    """Peak memory (MB) of a fresh Python process running ``code`` together with every process
    under it (the analysis worker or child, and the process reading the sheet beside it): the
    sum of their proportional set sizes (PSS, so pages shared after a fork count once), sampled
    every ``interval`` seconds (Linux). A peak shorter than the interval can be missed; the
    processes' own ``VmHWM`` (:func:`peak_mb_of`) cannot miss one but cannot be summed."""
    import threading

    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss_kb(pid) for pid in _tree(proc.pid)))
            time.sleep(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(err.decode(errors="replace")[-2000:])
    return peak / 1024


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:  # gone meanwhile
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def baseline_process_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
