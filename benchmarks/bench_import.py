"""Import pipeline speed and memory against baselines measured in the same run.

Builds 5.000- and 50.000-row Metas workbooks and times, each against the calamine read
interleaved run by run (A B A B, one pair at a time; median and range of 7 runs after a
warm-up):
  * the full import (safety checks, read, normalise, validate, store) as the dashboard's server
    makes it: the file analysed in the server's warm, limited analysis process (started once,
    as the server does: pmas.entrada.isolado) and stored in the server's one database (made
    before the runs; each run imports into a plan of its own, another municipality's upload, so
    the same file is not refused as repeated);
  * the same import with the analysis in a limited child forked from this process: the path of
    the command line, which has no warm worker (its whole process is measured below);
  * a plain python-calamine read of the same sheet (the floor: parsing the file at all);
  * pandas.read_excel(engine="openpyxl") (what a hand-written importer would use).
Targets (issue #16): the server's import ≤ 1,3x the calamine read at 50.000 rows and ≤ 2x at
5.000 (the forked path's ratio is printed too); ≤ 0,3x the openpyxl read; ≤ 300 MB peak at
50.000 (the process's and its analysis child's peaks, both printed).
Then the whole ``python -m pmas importar`` process against a whole process that only reads the
sheet with python-calamine (both started fresh, interleaved, median and range of 7; target
≤ 2,5x at 50.000 rows: start-up counts).
Then, at 50.000 rows, each stage on its own (best of 3) and the peak memory of a fresh process at
the end of each stage; and the floor of any importer that stores rows (the calamine read plus a
plain SQLite insert of the raw rows, nothing checked), to show what the 1,5x target leaves for
normalising, checking and the safety scan.
"""

from __future__ import annotations

import io
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd
import python_calamine
from common import (
    ROOT,
    best_of,
    goals_workbook,
    interleaved,
    median_range,
    peak_mb_of,
    ratio_range,
    tree_peak_mb,
)

from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada import isolado, memoria, validate
from pmas.entrada.normalize import normalize_workbook
from pmas.entrada.pipeline import analyse, import_file
from pmas.entrada.reader import DEFAULT_LIMITS, read

STAGES = ("ler", "normalizar", "conferir", "gravar")


def calamine_read(data: bytes) -> list:
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return wb.get_sheet_by_name("Metas").to_python()


def calamine_and_raw_insert(data: bytes) -> None:
    """The floor of any importer that stores rows: the calamine read, then the sheet's rows as
    they come, no checking at all, inserted into a fresh SQLite file (WAL, one transaction)."""
    import sqlite3

    rows = calamine_read(data)
    header, body = rows[2], rows[3:]
    with tempfile.TemporaryDirectory() as d:
        con = sqlite3.connect(Path(d) / "bruto.db", isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        cols = ", ".join(f"c{i}" for i in range(len(header)))
        con.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {cols})")
        con.execute("BEGIN IMMEDIATE")
        con.executemany(f"INSERT INTO t ({cols}) VALUES ({', '.join('?' * len(header))})", body)
        con.execute("COMMIT")
        con.close()


_CALAMINE_PROCESS = (
    "import sys, python_calamine\n"
    "python_calamine.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name('Metas')"
    ".to_python()"
)


def _fresh_database(template: Path, folder: Path) -> str:
    target = folder / f"b{len(list(folder.iterdir()))}.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def process_runs(path: Path) -> dict[str, list[float]]:
    """The whole ``python -m pmas importar`` process (a fresh copy of a database holding the
    plan, each run) against a process that only reads the sheet with python-calamine."""
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        template = folder / "modelo.db"
        store = Store(f"sqlite:///{template}")
        store.create_plan(LONDRINA, usuario="bench")
        store.engine.dispose()
        runs_dir = folder / "runs"
        runs_dir.mkdir()

        def importar() -> None:
            banco = _fresh_database(template, runs_dir)
            out = subprocess.run(
                [sys.executable, "-m", "pmas", "--banco", banco, "importar", str(path)],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            assert out.returncode == 0, out.stderr[-2000:]

        def calamine() -> None:
            subprocess.run(
                [sys.executable, "-c", _CALAMINE_PROCESS, str(path)], check=True, cwd=ROOT
            )

        return interleaved({"importar": importar, "cal": calamine})


def full_import(data: bytes, store: Store | None = None) -> None:
    """One import into a database of its own (the peak memory measure)."""
    if store is not None:
        result = import_file(store, data, "bench.xlsx", LONDRINA, usuario="bench")
        assert result.situacao == "importado", [f.mensagem for f in result.analysis.findings[:3]]
        store.engine.dispose()
        return
    with tempfile.TemporaryDirectory() as d:
        full_import(data, Store(f"sqlite:///{Path(d) / 'b.db'}"))


def _peak_code(path: Path, server: bool = False) -> str:
    """A fresh process that imports the file once: as the command line does (the analysis in a
    forked child), or as the server does (its warm worker and the worker's helper, started and
    warmed first)."""
    start = (
        "from pmas.entrada import isolado\n"
        "isolado.aquecer()\n"
        "isolado.padrao().analisar(goals_workbook(100), 'a.xlsx', LONDRINA)\n"
        "import time; time.sleep(1.0)\n"  # the helper's warm-up, as in a running server
        if server
        else ""
    )
    return (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, "
        f"{str(ROOT / 'benchmarks')!r})\n"
        "from bench_import import full_import\n"
        "from common import goals_workbook\n"
        "from pmas.dados.plano import LONDRINA\n"
        f"{start}"
        f"full_import(open({str(path)!r}, 'rb').read())\n"
        + ("isolado.padrao().parar()\n" if server else "")
    )


class _Server:
    """The database a server has (one, made before the runs), with a plan of its own for each
    run: another municipality's upload of the same file, so nothing is refused as repeated and
    the store's compiled statements are as warm as in a running server."""

    def __init__(self, folder: Path, name: str, runs: int) -> None:
        self.store = Store(f"sqlite:///{folder / name}.db")
        self.planos = []
        for i in range(runs):
            plano = replace(LONDRINA, municipio=f"{LONDRINA.municipio} {name} {i + 1}")
            self.store.create_plan(plano, usuario="bench")
            self.planos.append(plano)

    def importar(self, data: bytes, forked: bool = False) -> None:
        plano = self.planos.pop(0)
        analysis = None
        if forked:  # what import_file does in a single-threaded process with no worker
            codigos = self.store.goal_codes(plano.municipio, exemplo=plano.exemplo)
            analysis = isolado.analisar_aqui(
                analyse,
                data,
                "bench.xlsx",
                (plano, None, DEFAULT_LIMITS),
                {"codigos": codigos},
                None,
                isolado.Limites.do_ambiente(),
            )
        result = import_file(
            self.store, data, "bench.xlsx", plano, usuario="bench", analysis=analysis
        )
        assert result.situacao == "importado", [f.mensagem for f in result.analysis.findings[:3]]


def stages(data: bytes, report=lambda stage: None) -> dict[str, float]:
    """The import's stages one by one (the calls ``import_file`` makes, the memory given back
    where the analysis gives it back): seconds of each.
    ``gravar`` is the store's transaction alone (the fresh database is created before it)."""
    import time

    times = {}
    with tempfile.TemporaryDirectory() as d:
        store = Store(f"sqlite:///{Path(d) / 'b.db'}")
        t = time.perf_counter()
        raw = read(data, "bench.xlsx")
        memoria.devolver(len(data))  # as the analysis does (pipeline.analyse)
        times["ler"] = time.perf_counter() - t
        report("ler")
        t = time.perf_counter()
        sheets, _findings = normalize_workbook(raw, plano=LONDRINA)
        del raw
        memoria.devolver(len(data))
        times["normalizar"] = time.perf_counter() - t
        report("normalizar")
        t = time.perf_counter()
        frames = {norm.table.name: validate.check(norm, LONDRINA)[0] for norm in sheets}
        times["conferir"] = time.perf_counter() - t
        report("conferir")
        t = time.perf_counter()
        store.save_import(LONDRINA, frames, usuario="bench", arquivo=data, nome_arquivo="b.xlsx")
        times["gravar"] = time.perf_counter() - t
        report("gravar")
        store.engine.dispose()
    return times


def _stage_peaks(path: Path) -> dict[str, float]:
    """Peak memory (MB) of a fresh process at the end of each stage."""
    code = (
        f"import sys, json; sys.path.insert(0, {str(ROOT)!r}); "
        f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
        "from bench_import import stages\n"
        "def peak(stage):\n"
        "    with open('/proc/self/status') as f:\n"
        "        kb = next(int(l.split()[1]) for l in f if l.startswith('VmHWM:'))\n"
        "    print(json.dumps([stage, kb / 1024]), flush=True)\n"
        f"stages(open({str(path)!r}, 'rb').read(), peak)"
    )
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return dict(json.loads(line) for line in out.stdout.splitlines() if line.startswith("["))


def main() -> None:
    print(
        "Importação: pipeline completo × leitura simples do calamine, intercaladas "
        "(mediana e faixa de 7 execuções; openpyxl: uma execução)"
    )
    isolado.aquecer()  # the server starts its analysis worker once
    for rows in (5_000, 50_000):
        data = goals_workbook(rows)
        with tempfile.TemporaryDirectory() as d:
            server = _Server(Path(d), "servidor", 8)  # the warm-up and the 7 runs
            forked = _Server(Path(d), "bifurcado", 8)
            # Each path interleaved with its own baseline (pairs, A B A B), one pair after the
            # other: a forked child's run between the server's runs changed what they measured.
            runs = interleaved(
                {
                    "import": lambda data=data, server=server: server.importar(data),
                    "cal": lambda data=data: calamine_read(data),
                }
            )
            pair = interleaved(
                {
                    "fork": lambda data=data, forked=forked: forked.importar(data, forked=True),
                    "cal": lambda data=data: calamine_read(data),
                }
            )
            runs["fork"], runs["cal_fork"] = pair["fork"], pair["cal"]
            server.store.engine.dispose()
            forked.store.engine.dispose()
        t_cal = statistics.median(runs["cal"])
        t_opx = best_of(
            lambda data=data: pd.read_excel(
                io.BytesIO(data), sheet_name="Metas", engine="openpyxl", header=2
            ),
            repeat=1,
        )
        path = Path(tempfile.gettempdir()) / f"pmas_bench_{rows}.xlsx"
        path.write_bytes(data)
        peak, child_peak = peak_mb_of(_peak_code(path), children=True)
        tree_fork = tree_peak_mb(_peak_code(path))
        tree_server = tree_peak_mb(_peak_code(path, server=True))
        linhas = f"{rows:,}".replace(",", ".")
        t_import = statistics.median(runs["import"])
        opx = f"{t_opx:.2f} s ({t_import / t_opx:.2f}x)".replace(".", ",")
        target = 1.3 if rows == 50_000 else 2.0
        verdict = "atingida" if t_import / t_cal <= target else "NÃO atingida"
        print(
            f"{linhas:>7} linhas: importação no servidor {median_range(runs['import'])}; "
            f"calamine {median_range(runs['cal'])}; razão "
            f"{ratio_range(runs['import'], runs['cal'])} "
            f"(meta ≤ {str(target).replace('.', ',')}x: {verdict}); "
            f"com a análise num filho bifurcado (linha de comando) "
            f"{median_range(runs['fork'])}, razão {ratio_range(runs['fork'], runs['cal_fork'])}; "
            f"openpyxl {opx}; pico {peak:.0f} MB (o maior dos filhos: {child_peak:.0f} MB); "
            f"pico da árvore de processos somada (PSS): {tree_server:.0f} MB no servidor "
            f"(trabalhador e ajudante), {tree_fork:.0f} MB com filho bifurcado"
        )
    print(
        "Metas: ≤ 1,30x calamine com 50.000 linhas (≤ 2x com 5.000); ≤ 0,30x openpyxl; "
        "pico ≤ 300 MB com 50.000 linhas."
    )
    isolado.padrao().parar()
    for rows, target in ((5_000, None), (50_000, 2.5)):
        path = Path(tempfile.gettempdir()) / f"pmas_bench_{rows}.xlsx"
        runs = process_runs(path)
        ratio = statistics.median(runs["importar"]) / statistics.median(runs["cal"])
        meta = ""
        if target is not None:
            verdict = "atingida" if ratio <= target else "NÃO atingida"
            meta = f"; meta ≤ {target:.1f}x: {verdict}".replace(".", ",")
        linhas = f"{rows:,}".replace(",", ".")
        print(
            f"Processo inteiro, {linhas} linhas: python -m pmas importar "
            f"{median_range(runs['importar'])}; processo que só lê com o calamine "
            f"{median_range(runs['cal'])}; razão {ratio_range(runs['importar'], runs['cal'])}"
            + meta
        )

    linhas = f"{rows:,}".replace(",", ".")
    print(
        f"\nEtapas com {linhas} linhas (melhor de 3, e a leitura do calamine medida entre elas; "
        "pico: processo novo, ao fim da etapa)"
    )
    print(f"{'etapa':<11} {'tempo':>7} {'÷calamine':>10} {'pico MB':>8}")
    best: dict[str, float] = {}
    t_cal = float("inf")  # the baseline measured beside the stages (the machine's load moves)
    for _ in range(3):
        t_cal = min(t_cal, best_of(lambda: calamine_read(data), repeat=1))
        for stage, seconds in stages(data).items():
            best[stage] = min(best.get(stage, seconds), seconds)
    peaks = _stage_peaks(path) if sys.platform.startswith("linux") else {}
    for stage in STAGES:
        peak = f"{peaks[stage]:>8.0f}" if stage in peaks else f"{'—':>8}"
        print(f"{stage:<11} {best[stage]:>6.2f}s {best[stage] / t_cal:>9.2f}x {peak}")
    total = sum(best.values())
    print(f"{'soma':<11} {total:>6.2f}s {total / t_cal:>9.2f}x")

    t_floor = best_of(lambda: calamine_and_raw_insert(data))
    figures = f"{t_floor:.2f}s = {t_floor / t_cal:.2f}x calamine".replace(".", ",")
    print(
        f"\nPiso de qualquer importador que grava linhas ({linhas} linhas): leitura calamine + "
        f"gravação direta das linhas no SQLite, sem conferir nada: {figures}"
    )


if __name__ == "__main__":
    main()
