"""Browser time to chart: from navigation until the overview's charts are painted and until they
are interactive, against a bare one-line Streamlit page served the same way, measured in the same
run with Debian's chromium.

Both servers run here on loopback; after one warm-up load of each, the two pages are opened in
turn (bare, overview, overview, bare, …), 7 times each, each time in a fresh browser context
(cold cache), so that load on the shared machine hits both alike; the median and range are
reported. Times are taken in the page, since navigation start, at the first animation frame
after the element appears (the frame that paints it; an element added during a long task is
painted only after it): the bare page when its text appears; on the overview three moments:

- first chart painted: the first chart drawn in any form, the light chart component's sketch
  (``svg.pmas-esboco``, pmas.ui.grafico: a static SVG drawn from the figure before Plotly
  loads) or Plotly's own bars, whichever comes first;
- every chart painted: each of the charts drawn in one form or the other;
- every chart interactive: Plotly has drawn the bars of each chart (``.js-plotly-plot .barlayer
  .point``: hover and click work), for ``st.plotly_chart`` and the light component alike.

Targets (cold cache): first chart painted ≤ 2x the bare page, every chart painted ≤ 2,3x; the
interactive time is printed with its ratio, without a target.

Then the same interleaved measure for a returning visitor (warm cache: one context per page, the
page loaded again; reported, no target), and the JavaScript one more cold overview load
evaluates.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from tests.e2e.conftest import CHROMIUM, FLAGS, App  # noqa: E402

RUNS = 7
CHARTS = 2  # the overview's charts (situação por eixo, índice por eixo)
VIEWPORT = {"width": 1400, "height": 1000}

# When each chart of the page is first painted in any form (the light component's sketch or
# Plotly's bars) and when Plotly has drawn it (interactive), in ms since navigation start: the
# time of the animation frame after the element appears (the frame that paints it).
MARK_CHARTS = """
(() => {
  window.__pintados = [];
  window.__interativos = [];
  const pintados = new WeakSet();
  const interativos = new WeakSet();
  const quadro = (lista) => requestAnimationFrame((t) => lista.push(t));
  const olhar = () => {
    for (const g of document.querySelectorAll(".pmas-grafico, .js-plotly-plot")) {
      const plotly = !!g.querySelector(".barlayer .point");
      if (!pintados.has(g) && (plotly || g.querySelector("svg.pmas-esboco rect"))) {
        pintados.add(g);
        quadro(window.__pintados);
      }
      if (!interativos.has(g) && plotly) {
        interativos.add(g);
        quadro(window.__interativos);
      }
    }
  };
  new MutationObserver(olhar).observe(document, {subtree: true, childList: true});
})();
"""
# The bare page: when its one text appears (the animation frame after it, as for the charts).
MARK_BARE = """
(() => {
  window.__pronto = null;
  let visto = false;
  const olhar = () => {
    if (visto) return;
    for (const p of document.querySelectorAll("[data-testid='stMarkdownContainer'] p")) {
      if (p.textContent === "pronto") {
        visto = true;
        requestAnimationFrame((t) => { window.__pronto = t; });
        return;
      }
    }
  };
  new MutationObserver(olhar).observe(document, {subtree: true, childList: true});
})();
"""
JS_BYTES = """() => performance.getEntriesByType('resource')
    .filter(e => e.name.split('?')[0].endsWith('.js'))
    .map(e => [e.name.split('?')[0].split('/').pop(), e.decodedBodySize])"""


def bare_time(page, url: str) -> dict[str, float]:
    page.goto(url)
    page.wait_for_function("() => window.__pronto !== null", timeout=120_000)
    return {"pronto": page.evaluate("window.__pronto") / 1000}


def overview_times(page, url: str) -> dict[str, float]:
    page.goto(url)
    page.wait_for_function(f"() => window.__interativos.length >= {CHARTS}", timeout=120_000)
    painted = sorted(page.evaluate("window.__pintados"))
    interactive = sorted(page.evaluate("window.__interativos"))
    return {
        "primeiro": painted[0] / 1000,
        "todos": painted[CHARTS - 1] / 1000,
        "interativos": interactive[CHARTS - 1] / 1000,
    }


def cold(browser, script: str, measure, url: str) -> dict[str, float]:
    """One load in a fresh context (nothing cached)."""
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(script)
    try:
        return measure(ctx.new_page(), url)
    finally:
        ctx.close()


def interleave(loads: dict, runs: int = RUNS, warmup: int = 1) -> dict[str, list[dict]]:
    """Each named load run by run in turn (the order flipped every other run); the ``warmup``
    rounds first are not kept."""
    out: dict[str, list[dict]] = {name: [] for name in loads}
    items = list(loads.items())
    for i in range(warmup + runs):
        for name, fn in items if i % 2 == 0 else reversed(items):
            r = fn()
            if i >= warmup:
                out[name].append(r)
    return out


def _n(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def median_range(values: list[float]) -> str:
    return f"{_n(statistics.median(values))} s ({_n(min(values))}–{_n(max(values))})"


def ratio(num: list[float], den: list[float], target: float | None = None) -> str:
    """Ratio of the medians, the range of the run-by-run ratios, and the verdict."""
    pairs = [a / b for a, b in zip(num, den, strict=True)]
    m = statistics.median(num) / statistics.median(den)
    text = f"{_n(m)}x ({_n(min(pairs))}–{_n(max(pairs))})"
    if target is None:
        return text
    meta = _n(target).rstrip("0").rstrip(",")
    return text + f" (meta ≤ {meta}x {'✔' if m <= target else '✘'})"


def report(title: str, runs: dict[str, list[dict]], targets: bool = True) -> None:
    """The three moments against the bare page; the targets (cold cache) only when ``targets``."""
    bare = [r["pronto"] for r in runs["minima"]]
    first = [r["primeiro"] for r in runs["visao"]]
    every = [r["todos"] for r in runs["visao"]]
    interactive = [r["interativos"] for r in runs["visao"]]
    print(title)
    print(f"  página mínima: {median_range(bare)}")
    print(
        f"  visão geral, primeiro gráfico pintado: {median_range(first)}; "
        f"razão {ratio(first, bare, 2 if targets else None)}"
    )
    print(
        f"  visão geral, todos os {CHARTS} gráficos pintados: {median_range(every)}; "
        f"razão {ratio(every, bare, 2.3 if targets else None)}"
    )
    print(
        f"  visão geral, todos os {CHARTS} gráficos interativos (Plotly): "
        f"{median_range(interactive)}; razão {ratio(interactive, bare)}",
        flush=True,
    )


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
            runs = interleave(
                {
                    "minima": lambda: cold(browser, MARK_BARE, bare_time, bare.url),
                    "visao": lambda: cold(browser, MARK_CHARTS, overview_times, dashboard.url),
                }
            )
            report(
                f"Navegador, cache frio (contexto novo a cada carga; intercaladas, mediana e "
                f"faixa de {RUNS}; tempos desde a navegação)",
                runs,
            )

            # a returning visitor: one context per page, Streamlit's JavaScript in its cache
            pages = {}
            for name, mark in (("minima", MARK_BARE), ("visao", MARK_CHARTS)):
                ctx = browser.new_context(viewport=VIEWPORT)
                ctx.add_init_script(mark)
                pages[name] = ctx.new_page()
            warm = interleave(
                {
                    "minima": lambda: bare_time(pages["minima"], bare.url),
                    "visao": lambda: overview_times(pages["visao"], dashboard.url),
                }
            )
            report(
                "\nNavegador, quem volta (cache do navegador, mesma aba recarregada; sem meta)",
                warm,
                targets=False,
            )
            for pg in pages.values():
                pg.context.close()

            # what one more cold overview load evaluates
            ctx = browser.new_context(viewport=VIEWPORT)
            ctx.add_init_script(MARK_CHARTS)
            page = ctx.new_page()
            overview_times(page, dashboard.url)
            files: dict[str, int] = {}
            for name, size in page.evaluate(JS_BYTES):
                files[name] = files.get(name, 0) + size
            ctx.close()
            browser.close()
    finally:
        bare.stop()
        dashboard.stop()

    total = sum(files.values())
    biggest = sorted(files.items(), key=lambda kv: -kv[1])[:3]
    print(
        f"\nJavaScript de uma carga fria da visão geral : {_mb(total)}; maiores: "
        + "; ".join(f"{n} {_mb(size)}" for n, size in biggest)
    )


def _mb(size: int) -> str:
    return f"{size / 1e6:.2f} MB".replace(".", ",")


if __name__ == "__main__":
    main()
