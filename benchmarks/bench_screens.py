"""Warm rerun time of every screen under AppTest, on a state-scale database
(400 municipalities × 4 years × 150 goals, built by pmas.sintetico unless --banco is given).

Baseline, measured in the same run: the warm rerun of a one-line Streamlit page.
Target: every screen's warm rerun under 0,5 s on this machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCREENS = [
    "visao-geral.py",
    "eixos.py",
    "conferencias.py",
    "comparativo.py",
    "dados.py",
    "importar.py",
    "relatorio.py",
    "panorama.py",
]


def warm_rerun(script: str, repeat: int = 5, **query) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(script, default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    t = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t
    if at.exception:
        raise RuntimeError(f"{script}: {at.exception[0].message}")
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
    return cold, sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--banco", help="URL de um banco já gerado (senão, gera um novo)")
    parser.add_argument("--municipios", type=int, default=400)
    args = parser.parse_args()
    url = args.banco
    if url is None:
        from pmas.dados.store import Store
        from pmas.sintetico import generate

        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'estado.db'}"
        t = time.perf_counter()
        total = generate(Store(url), args.municipios)
        print(
            f"Banco estadual gerado: {total:,} metas em {time.perf_counter() - t:.0f} s".replace(
                ",", "."
            )
        )
    os.environ["PMAS_DATABASE_URL"] = url
    os.environ["PMAS_EXEMPLO"] = "0"

    bare = Path(tempfile.mkdtemp()) / "bare.py"
    bare.write_text("import streamlit as st\nst.write('ok')\n")
    _, base = warm_rerun(str(bare))
    print(
        f"Rerun a quente (mediana de 5), banco com {args.municipios} municípios; "
        f"página mínima: {base * 1000:.0f} ms"
    )
    print(f"{'tela':<18} {'1ª execução':>12} {'a quente':>10} {'÷ mínima':>9}  meta < 500 ms")
    for screen in SCREENS:
        cold, warm = warm_rerun(str(ROOT / "pages" / screen), municipio="Município 200", eixo="2")
        flag = "ok" if warm < 0.5 else "ACIMA"
        print(
            f"{screen:<18} {cold * 1000:>10.0f} ms {warm * 1000:>7.0f} ms "
            f"{warm / base:>8.1f}x  {flag}"
        )


if __name__ == "__main__":
    main()
