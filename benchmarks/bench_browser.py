"""Browser time to chart: from navigation until the overview's charts are drawn, against a bare
one-line Streamlit page served the same way, measured in the same run with Debian's chromium.

Both servers run here on loopback; each page is opened 5 times in a fresh browser context after
one warm-up load, and the median is reported. Target: overview at most 2x the bare page.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, FLAGS, App  # noqa: E402


def time_to(browser, url: str, selector: str, repeat: int = 5) -> float:
    times = []
    for i in range(repeat + 1):
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(selector, state="visible", timeout=120_000)
        elapsed = time.perf_counter() - start
        ctx.close()
        if i:  # the first load warms the server and the browser cache
            times.append(elapsed)
    return statistics.median(times)


def main() -> None:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp())
    script = work / "pagina_minima.py"
    script.write_text("import streamlit as st\nst.write('pronto')\n")
    dashboard = App(work / "pmas.db")
    bare = App(work / "minima.db", script=str(script))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            t_bare = time_to(browser, bare.url, "text=pronto")
            t_overview = time_to(browser, dashboard.url, ".js-plotly-plot .barlayer")
            browser.close()
    finally:
        bare.stop()
        dashboard.stop()
    print("Navegador: tempo até os gráficos da visão geral × página mínima (mediana de 5)")
    print(f"página mínima: {t_bare:.2f} s; visão geral com gráficos: {t_overview:.2f} s; "
          f"razão {t_overview / t_bare:.2f}x (meta ≤ 2x)".replace(".", ","))


if __name__ == "__main__":
    main()
