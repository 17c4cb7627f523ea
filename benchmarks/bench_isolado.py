"""Upload-to-preview of an ordinary file: the analysis in this process (as before issue #12)
against the same analysis in the limited child process (pmas.entrada.isolado), measured in the
same run, interleaved run by run (median and range of 7 runs after a warm-up).

What the screen does for an upload is ``gestao.conferir``: read, normalise, validate (now in the
child), then compare with the current data (here). Two sizes: 500 goals (a municipality's year)
and 5.000. The worker is started ahead and warmed, as the Importar screen does; the extra cost
per upload is sending the bytes to the worker and taking its answer back (the analysed tables'
columns through a shared-memory file, the rest pickled through the pipe).

Target: about the same (ratio close to 1,0x; the crossing is a few thousandths of a second).
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import goals_workbook, interleaved, median_range, ratio_range

from pmas.acesso import gestao
from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada import isolado, pipeline


def main() -> None:
    # A second thread, as in the Streamlit server: the analysis goes to the warm worker.
    keep = threading.Event()
    threading.Thread(target=keep.wait, daemon=True).start()
    isolado.aquecer()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/pmas.db")
        for rows in (500, 5_000):
            book = goals_workbook(rows)

            def in_process(book=book):
                original = pipeline.analyse_isolated
                gestao.analyse_isolated = pipeline.analyse  # the path before issue #12
                try:
                    conf = gestao.conferir(store, LONDRINA, "metas.xlsx", book, 2024)
                finally:
                    gestao.analyse_isolated = original
                assert conf.analysis.ok, conf.analysis.findings[:3]

            def isolated(book=book):
                conf = gestao.conferir(store, LONDRINA, "metas.xlsx", book, 2024)
                assert conf.analysis.ok, conf.analysis.findings[:3]

            times = interleaved({"no processo": in_process, "isolada": isolated})
            print(f"{rows:>6} metas: no processo {median_range(times['no processo'])}")
            print(f"{'':>13} isolada     {median_range(times['isolada'])}")
            print(
                f"{'':>13} razão isolada/no processo {ratio_range(times['isolada'], times['no processo'])}"
            )
        store.engine.dispose()
    print(f"trabalhos no processo de análise: {isolado.padrao().trabalhos}")
    isolado.padrao().parar()
    keep.set()


if __name__ == "__main__":
    main()
