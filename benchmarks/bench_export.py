"""XLSX export of 50.000 rows against DataFrame.to_excel with default settings (openpyxl), and
the CSV export, measured in the same run (best of 3). Target: XLSX at least 2x faster."""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from common import best_of  # noqa: E402

from pmas.saida import export  # noqa: E402
from pmas.textos import COLUNAS_METAS  # noqa: E402


def goals_frame(rows: int) -> pd.DataFrame:
    rnd = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "codigo": [f"{i // 100}.{i % 100}" for i in range(rows)],
            "eixo": rnd.choice(
                ["Gestão", "Controle e Participação", "Transferência de Renda"], rows
            ),
            "diretriz": [f"Diretriz {i % 17}" for i in range(rows)],
            "acao": [f"Ação estratégica {i} para ampliar a oferta" for i in range(rows)],
            "meta": [f"Meta {i}: atender famílias" for i in range(rows)],
            "ano": rnd.integers(2022, 2026, rows),
            "previsto": rnd.integers(10, 500, rows).astype(float),
            "realizado": rnd.integers(0, 550, rows).astype(float),
            "execucao_pct": rnd.random(rows) * 120,
            "situacao": rnd.choice(["Realizada", "Parcialmente realizada", "Não realizada"], rows),
            "justificativa": [
                '=HYPERLINK("x")' if i % 1000 == 0 else "Sem observações" for i in range(rows)
            ],
            "responsavel": rnd.choice(["Diretoria de Gestão do SUAS", "CMAS"], rows),
            "territorio": rnd.choice(["Norte", "Sul", "Rural"], rows),
            "valor_previsto": rnd.random(rows) * 10000,
            "valor_executado": rnd.random(rows) * 10000,
        }
    )


def main() -> None:
    rows = 50_000
    df = goals_frame(rows)
    labels = {c: COLUNAS_METAS.get(c, c) for c in df.columns}
    t_ours = best_of(lambda: export.to_xlsx_bytes(df, labels, filtros=[("Ano", "Todos")]))
    t_pandas = best_of(lambda: df.to_excel(io.BytesIO(), index=False))
    t_csv = best_of(lambda: export.to_csv_bytes(df, labels))
    print("Exportação de 50.000 linhas × 15 colunas (melhor de 3, mesma execução)")
    br = lambda v, casas=2: f"{v:.{casas}f}".replace(".", ",")  # noqa: E731
    print(
        f"XLSX do PMAS Monitor: {br(t_ours)} s; DataFrame.to_excel padrão: {br(t_pandas)} s; "
        f"{br(t_pandas / t_ours, 1)}x mais rápido (meta ≥ 2x); CSV: {br(t_csv)} s"
    )


if __name__ == "__main__":
    main()
