"""A light interactive chart: one Plotly figure drawn by Plotly's *basic* bundle (bar, scatter
and pie traces) in a small Streamlit component, instead of ``st.plotly_chart``.

Why: ``st.plotly_chart`` loads Streamlit's Plotly chunk, the full plotly.js (4,7 MB of
JavaScript that the browser must evaluate before the first chart appears); the basic bundle is
1,2 MB. The overview (pages/visao-geral.py), the screen everyone opens first, draws only bar
charts, so it uses this component; the other screens keep ``st.plotly_chart`` and every trace
type. The component keeps what the overview needs: hover, the Portuguese modebar and number
format (the same ``PLOTLY_CONFIG``), and a click on a point, whose ``customdata`` comes back
to the script as the component's value.

The frontend is static (``grafico_web/``: an HTML page, a short hand-written script speaking
Streamlit's component messages, and the vendored ``plotly-basic.min.js`` with its licence), so
there is no build step. Its plotly.js version is the one bundled with the installed plotly.py
(tests/test_grafico.py checks it), so a figure is drawn as ``st.plotly_chart`` would draw it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import streamlit.components.v1 as components

PASTA = Path(__file__).parent / "grafico_web"

_componente = components.declare_component("grafico", path=str(PASTA))


def grafico(
    fig: go.Figure,
    *,
    key: str,
    titulo: str,
    config: dict[str, Any],
    clicavel: bool = False,
) -> Any | None:
    """Draw ``fig``; returns the ``customdata`` of the point last clicked (when ``clicavel``),
    else None. ``titulo`` names the chart's frame for screen readers."""
    valor = _componente(
        figura=fig.to_json(),
        config=config,
        titulo=titulo,
        clicavel=clicavel,
        key=key,
        default=None,
    )
    if isinstance(valor, dict):
        return valor.get("customdata")
    return None
