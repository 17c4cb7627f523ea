"""The store's reads and writes at state scale (issue #16): a database of ``--municipios`` plans
(pmas.sintetico: 4 years × 150 goals each, plus conferences and indicators), written through
Store.save_import, then each read the screens use, median and range of 7 runs after a warm-up.

Run it with the code to measure on the path; to compare two commits, run it once with each
(e.g. ``git archive COMMIT | tar -x -C /tmp/old; cd /tmp/old && PYTHONPATH=. python
/path/to/bench_store.py``): the two processes' figures then come from different runs, so run
them one right after the other on a quiet machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import interleaved, median_range

from pmas.analise import metrics
from pmas.dados.store import Store
from pmas.sintetico import generate, municipality_name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--municipios", type=int, default=400)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "estado.db"
    store = Store(f"sqlite:///{path}")
    t = time.perf_counter()
    total = generate(store, args.municipios)
    written = time.perf_counter() - t
    size = sum(p.stat().st_size for p in path.parent.glob("estado.db*")) / 1e6
    print(
        f"{args.municipios} municípios, {total:,} metas".replace(",", ".")
        + f": gravados em {written:.1f} s; banco {size:.0f} MB".replace(".", ",")
    )
    pid = store.plan(municipality_name(1))[0]
    municipio = municipality_name(args.municipios // 2)
    reads = {
        "load_all metas (tudo)": lambda: store.load_all("metas"),
        "load_all metas, 1 ano, colunas do ranking": lambda: store.load_all(
            "metas", [2023], columns=metrics.RANKING_COLUMNS, exemplo=True
        ),
        "load_all conferencias": lambda: store.load_all("conferencias"),
        "load de um plano (metas)": lambda: store.load("metas", pid),
        "load_municipality (metas)": lambda: store.load_municipality(
            "metas", municipio, exemplo=True
        ),
        "goal_codes": lambda: store.goal_codes(municipio, exemplo=True),
        "integrity_ok": store.integrity_ok,
    }
    times = interleaved(reads)
    for name, values in times.items():
        print(f"{name:<44} {median_range(values)}")
    store.engine.dispose()


if __name__ == "__main__":
    main()
