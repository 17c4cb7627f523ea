"""Browser time to chart: from navigation until the overview's charts are drawn, against a bare
one-line Streamlit page served the same way, measured in the same run with Debian's chromium.

Both servers run here on loopback; after one warm-up load of each, the two pages are opened in
turn (bare, overview, overview, bare, …), 7 times each, each time in a fresh browser context, so
that load on the shared machine hits both alike; the median and range are reported. Target:
overview at most 2x the bare page.

After that measurement (which it does not touch) it prints diagnostics that say where the time
goes: the floor (a page holding a single three-bar ``st.plotly_chart`` and nothing else, timed
the same way), a returning visitor (the same pages reloaded in one context, with the browser's
cache), and the timeline of one more cold overview load.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from common import interleaved, median_range, ratio_range  # noqa: E402

from tests.e2e.conftest import CHROMIUM, FLAGS, App  # noqa: E402

CHART = ".js-plotly-plot .barlayer"
ONE_CHART = """import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Bar(y=["a", "b", "c"], x=[1, 2, 3], orientation="h")), theme=None)
"""
# Marks taken in the page, in ms since navigation: the websocket, the first message from the
# server, Streamlit's Plotly element and the bars drawn.
TIMELINE = """
window.__marcas = {};
const marcar = (k) => { if (!(k in window.__marcas)) window.__marcas[k] = performance.now(); };
new MutationObserver(() => {
  if (document.querySelector("[data-testid='stSidebar'] [data-testid='stSelectbox']")) marcar("filtros");
  if (document.querySelector("[data-testid='stMetric']")) marcar("cartoes");
  if (document.querySelector("[data-testid='stPlotlyChart']")) marcar("elemento_plotly");
  if (document.querySelector(".js-plotly-plot .barlayer")) marcar("barras");
}).observe(document, {subtree: true, childList: true});
const WS = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new WS(...args);
  ws.addEventListener("open", () => marcar("websocket"));
  ws.addEventListener("message", () => { marcar("primeira_mensagem");
                                          window.__marcas.ultima_mensagem = performance.now(); });
  return ws;
};
window.WebSocket.prototype = WS.prototype;
Object.assign(window.WebSocket, WS);
"""


def load_once(browser, url: str, selector: str) -> None:
    """One cold load in a fresh context, until ``selector`` is visible."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector(selector, state="visible", timeout=120_000)
    ctx.close()


def time_to(browser, url: str, selector: str, repeat: int = 5) -> float:
    """Median of ``repeat`` cold loads after a warm-up (diagnostics only)."""
    runs = interleaved({"p": lambda: load_once(browser, url, selector)}, runs=repeat)
    return statistics.median(runs["p"])


def time_returning(browser, url: str, selector: str, repeat: int = 5) -> float:
    """Median time of ``repeat`` loads in one context after a first one: the browser's cache
    holds Streamlit's (immutable) JavaScript, as for someone who has opened the app before."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    times = []
    for i in range(repeat + 1):
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(selector, state="visible", timeout=120_000)
        if i:
            times.append(time.perf_counter() - start)
    ctx.close()
    return statistics.median(times)


def timeline(browser, url: str) -> tuple[dict, dict]:
    """One more cold overview load: page marks and the fetch of Streamlit's Plotly chunk."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.add_init_script(TIMELINE)
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector(CHART, state="visible", timeout=120_000)
    marks = page.evaluate("window.__marcas")
    chunk = page.evaluate("""() => {
        const r = performance.getEntriesByType('resource')
            .find(e => e.name.includes('/PlotlyChart.'));
        return r ? {pedido: r.startTime, recebido: r.responseEnd, bytes: r.decodedBodySize}
                 : null; }""")
    js = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(e => e.name.endsWith('.js')).reduce((n, e) => n + e.decodedBodySize, 0)""")
    ctx.close()
    return marks, {"plotly": chunk, "js_total": js}


def _s(seconds: float) -> str:
    return f"{seconds:.2f}".replace(".", ",")


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
            runs = interleaved(
                {
                    "minima": lambda: load_once(browser, bare.url, "text=pronto"),
                    "visao": lambda: load_once(browser, dashboard.url, CHART),
                }
            )
            t_bare = statistics.median(runs["minima"])
            print(
                "Navegador: tempo até os gráficos da visão geral × página mínima "
                "(intercaladas, mediana e faixa de 7)"
            )
            print(
                f"página mínima: {median_range(runs['minima'])}; visão geral com gráficos: "
                f"{median_range(runs['visao'])}; razão {ratio_range(runs['visao'], runs['minima'])}"
                " (meta ≤ 2x)",
                flush=True,
            )

            # --- diagnostics, after the measurement above ---
            (work / "um_grafico").mkdir()
            um = work / "um_grafico" / "pagina_um_grafico.py"
            um.write_text(ONE_CHART)
            floor_app = App(work / "um_grafico" / "um.db", script=str(um))
            try:
                t_floor = time_to(browser, floor_app.url, CHART)
            finally:
                floor_app.stop()
            r_bare = time_returning(browser, bare.url, "text=pronto")
            r_overview = time_returning(browser, dashboard.url, CHART)
            marks, res = timeline(browser, dashboard.url)
            browser.close()
    finally:
        bare.stop()
        dashboard.stop()

    print("\nDiagnóstico (depois da medição acima)")
    print(
        f"piso: página só com um gráfico st.plotly_chart de 3 barras: {_s(t_floor)} s "
        f"({_s(t_floor / t_bare)}x a página mínima)"
    )
    print(
        f"quem volta (cache do navegador, mesma aba): página mínima {_s(r_bare)} s; "
        f"visão geral {_s(r_overview)} s; razão {_s(r_overview / r_bare)}x"
    )
    ordem = sorted(marks.items(), key=lambda kv: kv[1])
    print(
        "uma carga fria da visão geral, ms desde a navegação: "
        + "; ".join(f"{k} {v:.0f}" for k, v in ordem)
    )
    chunk = res["plotly"]
    if chunk:
        print(
            f"JavaScript do Plotly no Streamlit ({chunk['bytes'] / 1e6:.1f} MB): pedido em "
            f"{chunk['pedido']:.0f} ms, recebido em {chunk['recebido']:.0f} ms; "
            f"JavaScript total da página {res['js_total'] / 1e6:.1f} MB".replace(".", ",")
        )


if __name__ == "__main__":
    main()
