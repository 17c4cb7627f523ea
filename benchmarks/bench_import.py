"""Import pipeline speed and memory against baselines measured in the same run.

Builds 5.000- and 50.000-row Metas workbooks and times, best of 3:
  * the full import (read, normalise, validate, store into a fresh SQLite file);
  * a plain python-calamine read of the same sheet (the floor: parsing the file at all);
  * pandas.read_excel(engine="openpyxl") (what a hand-written importer would use).
Targets: import ≤ 1,5x the calamine read; ≤ 0,3x the openpyxl read; < 400 MB peak at 50.000.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd  # noqa: E402
import python_calamine  # noqa: E402

from common import ROOT, best_of, goals_workbook, peak_mb_of  # noqa: E402
from pmas.pipeline import import_file  # noqa: E402
from pmas.plano import LONDRINA  # noqa: E402
from pmas.store import Store  # noqa: E402


def calamine_read(data: bytes) -> list:
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return wb.get_sheet_by_name("Metas").to_python()


def full_import(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        store = Store(f"sqlite:///{Path(d) / 'b.db'}")
        result = import_file(store, data, "bench.xlsx", LONDRINA, usuario="bench")
        assert result.situacao == "importado", [f.mensagem for f in result.analysis.findings[:3]]
        store.engine.dispose()


def main() -> None:
    print("Importação: pipeline completo × leitura simples (mesma execução, melhor de 3)")
    print(f"{'linhas':>8} {'importação':>11} {'calamine':>9} {'openpyxl':>9} "
          f"{'÷calamine':>10} {'÷openpyxl':>10} {'pico MB':>8}")
    for rows in (5_000, 50_000):
        data = goals_workbook(rows)
        t_import = best_of(lambda: full_import(data))
        t_cal = best_of(lambda: calamine_read(data))
        t_opx = best_of(lambda: pd.read_excel(io.BytesIO(data), sheet_name="Metas",
                                              engine="openpyxl", header=2), repeat=1)
        path = Path(tempfile.gettempdir()) / f"pmas_bench_{rows}.xlsx"
        path.write_bytes(data)
        peak = peak_mb_of(
            f"import sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, "
            f"{str(ROOT / 'benchmarks')!r})\n"
            f"from bench_import import full_import\n"
            f"full_import(open({str(path)!r}, 'rb').read())")
        print(f"{rows:>8,} {t_import:>10.2f}s {t_cal:>8.2f}s {t_opx:>8.2f}s "
              f"{t_import / t_cal:>9.2f}x {t_import / t_opx:>9.2f}x {peak:>8.0f}".replace(",", "."))
    print("Metas: ≤ 1,50x calamine; ≤ 0,30x openpyxl; pico < 400 MB com 50.000 linhas.")


if __name__ == "__main__":
    main()
