"""A light interactive chart: one Plotly figure drawn by Plotly's *basic* bundle (bar, scatter
and pie traces) in a small Streamlit component, instead of ``st.plotly_chart``.

Why: ``st.plotly_chart`` loads Streamlit's Plotly chunk, the full plotly.js (4,7 MB of
JavaScript that the browser must evaluate before the first chart appears); the basic bundle is
1,2 MB. The overview (pages/visao-geral.py), the screen everyone opens first, draws only bar
charts, so it uses this component; the other screens keep ``st.plotly_chart`` and every trace
type. The component keeps what the overview needs: hover, the Portuguese modebar and number
format (the same ``PLOTLY_CONFIG``), and a click on a point, whose ``customdata`` comes back to
the script for that one run (a trigger: a rerun after it does not see the click again).

It is a ``st.components.v2`` component drawn in the page itself (no frame: the bundle is
evaluated once for every chart of the page, not once per frame), with short hand-written scripts
(``grafico_web/``): ``carregar.js`` loads the bundle once per page, ``grafico.js`` draws a chart.

The first paint does not wait for Plotly: on mount, ``esboco.js`` draws a static SVG sketch of a
bar figure from the same JSON (its bars, stacking, colours, in-bar texts, category labels, value
axis and gridlines, legend, annotations and title, laid out by Plotly's own rules, in the
layout's height and the container's width), hidden from screen readers (the div is the figure
they hear); once the browser has painted it, Plotly's bundle is loaded (its evaluation would
hold the sketch's paint back), draws the interactive chart in the same div and the sketch is
removed. A figure with other trace types waits for Plotly.

The vendored ``static/plotly-basic.min.js`` (with its licence, beside dashboard.py: the app's
static folder) has the plotly.js version bundled with the installed plotly.py
(tests/test_grafico.py checks it), so a figure is drawn as ``st.plotly_chart`` would draw it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import streamlit as st

PASTA = Path(__file__).parent / "grafico_web"
# Plotly's basic bundle, served by Streamlit's static route (server.enableStaticServing): unlike
# a component folder's route, it answers with Last-Modified and ETag, so a returning browser
# takes the bundle (and its compiled code) from its cache instead of loading it again.
BUNDLE = Path(__file__).resolve().parents[2] / "static" / "plotly-basic.min.js"

# The component's script: the bundle's loader, the sketch drawn while the bundle loads, the chart.
_JS = "\n".join(
    (PASTA / nome).read_text(encoding="utf-8")
    for nome in ("carregar.js", "esboco.js", "grafico.js")
)

_componente = st.components.v2.component(
    "pmas.grafico",
    js=_JS,
    isolate_styles=False,  # Plotly's own style rules live in the page's head
)


def bundle_url() -> str:
    """Where the page loads Plotly's basic bundle from (under the server's base path)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + (base + "/" if base else "") + "app/static/" + BUNDLE.name


def grafico(
    fig: go.Figure,
    *,
    key: str,
    titulo: str,
    config: dict[str, Any],
    clicavel: bool = False,
) -> Any | None:
    """Draw ``fig``; returns the ``customdata`` of the point clicked (when ``clicavel``) in the
    run that the click started, else None. ``titulo`` names the chart for screen readers."""
    result = _componente(
        key=key,
        data={
            "figura": fig.to_json(),
            "config": config,
            "titulo": titulo,
            "clicavel": clicavel,
            "plotly": bundle_url(),
        },
        on_clique_change=lambda: None,
    )
    return getattr(result, "clique", None)
