"""The overview's light charts in a real browser (pmas.ui.grafico): on a cold load each chart is
first painted as a static sketch (``svg.pmas-esboco``, drawn from the figure without Plotly),
which Plotly's interactive chart then replaces in the same place, and the page does not move."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import light_chart, wait_ready
from tests.e2e.test_e2e_telas import WIDTHS, axe_violations

pytestmark = pytest.mark.e2e

# What the page sees, from its first byte: each sketch as it is inserted (its bars, its texts,
# how it is labelled), whether a frame was painted while it was there, when Plotly first drew
# bars in each chart and when each sketch left.
RECORD = """
(() => {
  const rec = window.__esbocos = [];
  const plotly = window.__plotly = new Map();
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      for (const n of m.addedNodes) {
        if (n.nodeType === 1 && n.matches("svg.pmas-esboco")) {
          const r = {
            div: n.parentElement, t: performance.now(), removido: null, pintado: null,
            barras: n.querySelectorAll(".pmas-esboco-barras rect").length,
            textos: [...n.querySelectorAll("text")].map((t) => t.textContent),
            oculto: n.getAttribute("aria-hidden"),
            papel: n.parentElement.getAttribute("role"),
            nome: n.parentElement.getAttribute("aria-label"),
          };
          r.no = n;
          rec.push(r);
          requestAnimationFrame(() => setTimeout(() => {
            if (n.isConnected && r.pintado === null) r.pintado = performance.now();
          }, 0));
        }
      }
      for (const n of m.removedNodes) {
        for (const r of rec) if (r.no === n) r.removido = performance.now();
      }
    }
    for (const g of document.querySelectorAll(".pmas-grafico")) {
      if (!plotly.has(g) && g.querySelector(".barlayer .point")) plotly.set(g, performance.now());
    }
  }).observe(document, { subtree: true, childList: true });
})();
"""

RECORDS = """() => window.__esbocos.map((r) => ({
  barras: r.barras, textos: r.textos, oculto: r.oculto, papel: r.papel, nome: r.nome,
  t: r.t, pintado: r.pintado, removido: r.removido,
  grafico: [...document.querySelectorAll(".pmas-grafico")].indexOf(r.div),
  plotly: window.__plotly.get(r.div) ?? null,
}))"""

# From the figure Plotly drew: its categories and how many segments are not zero.
FIGURE = """(n) => {
  const gd = document.querySelectorAll(".pmas-grafico")[n];
  return {
    categorias: gd.data[0].y,
    segmentos: gd.data.reduce((s, t) => s + t.x.filter((v) => v !== 0).length, 0),
  };
}"""


def _both_drawn_by_plotly(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.pmas-grafico')].filter("
        "g => g.querySelector('.barlayer .point')).length === 2"
        " && !document.querySelector('svg.pmas-esboco')",
        timeout=60_000,
    )


def test_a_sketch_is_painted_first_then_plotly_replaces_it_and_a_click_opens_the_eixo(app, page):
    page.add_init_script(RECORD)  # a fresh context: nothing cached, the cold load
    page.goto(f"{app.url}/?ano=2024")
    wait_ready(page)
    chart = light_chart(page)
    _both_drawn_by_plotly(page)

    records = page.evaluate(RECORDS)
    first = [r for r in records if r["grafico"] == 0]
    assert first, "no sketch was drawn for the first chart"
    sketch = first[0]
    figure = page.evaluate(FIGURE, 0)
    # one bar per segment that is not zero, and every eixo's name written on it
    assert sketch["barras"] == figure["segmentos"] > 5
    for name in figure["categorias"]:
        assert name in sketch["textos"], name
    assert "Metas avaliáveis (%)" in sketch["textos"]  # the value axis's title
    assert {"0%", "50%", "100%"} & set(sketch["textos"])  # its ticks, in Brazilian format
    # decoration for screen readers: the figure is the div, named for the chart
    assert sketch["oculto"] == "true"
    assert sketch["papel"] == "figure"
    assert sketch["nome"].startswith("Gráfico: ")
    # the second chart had its sketch too, and each was painted before Plotly drew, then removed
    # once Plotly had drawn in its place
    assert {r["grafico"] for r in records} == {0, 1}
    for r in records:
        assert r["pintado"] is not None and r["plotly"] is not None, r
        assert r["t"] <= r["pintado"] <= r["plotly"] <= r["removido"], r
    assert page.locator("svg.pmas-esboco").count() == 0
    assert page.locator(".pmas-grafico.js-plotly-plot").count() == 2

    # the chart is Plotly's, interactive: a click on eixo 3's bar opens that eixo
    bar = chart.locator(".barlayer .trace").first.locator(".point").nth(2)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => location.pathname.endsWith('/eixos')")
    wait_ready(page)
    assert "eixo=3" in page.url


# Each chart's box, the place of what follows it, and its bars and texts relative to the chart.
GEOMETRY = """() => [...document.querySelectorAll(".pmas-grafico")].map((d) => {
  const r = d.getBoundingClientRect();
  const sketch = d.querySelector(":scope > svg.pmas-esboco");
  const rel = (e) => { const q = e.getBoundingClientRect();
    return [q.x - r.x, q.y - r.y, q.width, q.height]; };
  let block = d;
  while (block.parentElement && !block.nextElementSibling) block = block.parentElement;
  return {
    sketch: !!sketch,
    height: r.height,
    next: block.nextElementSibling.getBoundingClientRect().top - r.top,
    bars: [...d.querySelectorAll(sketch ? ".pmas-esboco-barras rect" : ".barlayer .point path")]
      .map(rel).filter((b) => b[2] > 0 && b[3] > 0)
      .sort((a, b) => a[1] - b[1] || a[0] - b[0]),
    texts: [...d.querySelectorAll(sketch ? "svg.pmas-esboco text" : ".main-svg text")]
      .filter((t) => t.textContent && t.getBoundingClientRect().width > 0)
      .map((t) => [t.textContent, ...rel(t)]),
  };
})"""


@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_sketch_holds_the_charts_place_and_passes_axe(app, browser, size):
    """With Plotly's bundle held back the sketches stay on screen: axe finds nothing; released,
    Plotly draws each chart at the same height, its bars and texts where the sketch had them
    (within 3 px), and nothing below moves."""
    width, height = WIDTHS[size]
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="pt-BR", is_mobile=width < 500
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    held = []
    page.route("**/plotly-basic.min.js", lambda route: held.append(route))
    try:
        page.goto(f"{app.url}/?ano=2024")
        page.wait_for_function("() => document.querySelectorAll('svg.pmas-esboco').length === 2")
        wait_ready(page)
        assert held, "Plotly's bundle was not requested"
        assert axe_violations(page) == []
        before = page.evaluate(GEOMETRY)
        assert [c["sketch"] for c in before] == [True, True]
        for route in held:
            route.continue_()
        _both_drawn_by_plotly(page)
        page.wait_for_timeout(300)
        after = page.evaluate(GEOMETRY)
    finally:
        context.close()
    for n, (a, b) in enumerate(zip(before, after, strict=True)):
        assert a["height"] == b["height"], n
        assert abs(a["next"] - b["next"]) <= 1, n
        assert len(a["bars"]) == len(b["bars"]), n
        for p, q in zip(a["bars"], b["bars"]):
            assert max(abs(x - y) for x, y in zip(p, q)) <= 3, (n, p, q)
        # every text of Plotly's chart is in the sketch, in the same place
        left = list(a["texts"])
        for text, *box in b["texts"]:
            same = [t for t in left if t[0] == text]
            assert same, (n, text)
            best = min(same, key=lambda t: abs(t[1] - box[0]) + abs(t[2] - box[1]))
            left.remove(best)
            assert abs(best[1] - box[0]) <= 3 and abs(best[2] - box[1]) <= 3, (n, text, best, box)
        assert not left, (n, left)  # and the sketch wrote nothing Plotly does not
