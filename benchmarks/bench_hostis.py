"""How fast and in how much memory every hostile file of the test corpus is refused, against an
ordinary workbook analysed the same way in the same run (the baseline).

The unit tests only assert what a machine's speed cannot flip: each file is refused with its own
code while the analysis child (pmas.entrada.isolado) holds it under a memory and a CPU limit. The
figures live here: for each case, the median time of the analysis in the warm child (run by
run, interleaved with the baseline) and the child's peak resident memory over its warm size
(VmHWM, calamine's allocations included: tracemalloc cannot see them).

    python benchmarks/bench_hostis.py [--runs 5]

Targets (the issue's): every file refused within 1,2 s, and no more memory than an ordinary
file of 20.000 rows needs.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import tempfile
from pathlib import Path

from common import ROOT, goals_workbook, interleaved, median_range, peak_mb_of

sys.path.insert(0, str(ROOT))

from pmas.dados.plano import LONDRINA
from pmas.entrada import reader
from pmas.entrada.isolado import Analisador, Interrompida, Limites
from tests.test_reader import REJECTED

ALVO_SEGUNDOS = 1.2


def _peak_mb(data: bytes, name: str, limits, pasta: Path) -> float:
    """Peak resident memory (VmHWM, MB) of a fresh Python process that imports the libraries,
    analyses a tiny workbook (as the warm worker has) and then analyses ``data``."""
    arquivo = pasta / "caso.bin"
    arquivo.write_bytes(data)
    code = f"""
import pickle
from pmas.dados.plano import LONDRINA
from pmas.entrada.isolado import _warm_up
from pmas.entrada.pipeline import analyse
_warm_up(analyse)
limits = pickle.loads({pickle.dumps(limits)!r})
analyse(open({str(arquivo)!r}, "rb").read(), {name!r}, LONDRINA, None, limits)
"""
    return peak_mb_of(code)


def _codigo(result) -> str:
    """The answer's first error code (or "lido" when the file was read)."""
    if isinstance(result, Interrompida):
        return result.achado.codigo.value
    erros = [f for f in result.findings if f.nivel == "erro"]
    return erros[0].codigo.value if erros else "lido"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    baseline = goals_workbook(20_000)
    a = Analisador(Limites())
    a.iniciar()

    def analyse(data: bytes, name: str, limits):
        return lambda: a.analisar(data, name, LONDRINA, None, limits)

    cases = {}
    for case, (build, _code, _word, limits) in sorted(REJECTED.items()):
        data = build()
        name = "planilha.csv" if _code.startswith("csv_") else "planilha.xlsx"
        cases[case] = (data, name, limits or reader.DEFAULT_LIMITS)

    pasta = Path(tempfile.mkdtemp(prefix="bench_hostis_"))
    base_mb = _peak_mb(baseline, "base.xlsx", reader.DEFAULT_LIMITS, pasta)
    base_t = interleaved({"base": analyse(baseline, "b.xlsx", reader.DEFAULT_LIMITS)}, runs=3)
    print(
        f"Linha de base: planilha comum de 20.000 linhas, {median_range(base_t['base'])}, "
        f"pico {base_mb:.0f} MB, resposta "
        f"{_codigo(a.analisar(baseline, 'b.xlsx', LONDRINA, None, reader.DEFAULT_LIMITS))}"
    )
    print(f"{'caso':<34} {'tempo':>24} {'÷ base':>8} {'pico MB':>8}  resposta")
    lentos = pesados = 0
    for case, (data, name, limits) in cases.items():
        times = interleaved(
            {
                "caso": analyse(data, name, limits),
                "base": analyse(baseline, "b.xlsx", reader.DEFAULT_LIMITS),
            },
            runs=args.runs,
        )
        mb = _peak_mb(data, name, limits, pasta)
        codigo = _codigo(a.analisar(data, name, LONDRINA, None, limits))
        razao = statistics.median(times["caso"]) / statistics.median(times["base"])
        lentos += statistics.median(times["caso"]) > ALVO_SEGUNDOS
        pesados += mb > base_mb
        print(
            f"{case:<34} {median_range(times['caso']):>24} "
            f"{razao:>7.3f}x {mb:>8.0f}  {codigo}".replace(".", ",")
        )
    a.parar()
    print(
        f"\n{len(cases)} casos; acima de {ALVO_SEGUNDOS:.1f} s: {lentos}; ".replace(".", ",")
        + f"acima do pico da linha de base: {pesados}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
