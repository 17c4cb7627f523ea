"""Plotly figure builders: metric frames in, figures out. Pure; no Streamlit.

Every number a chart shows (text on bars, hover) is formatted by :mod:`pmas.fmt`, so it reads the
same as the tables and cards. One status palette (Okabe–Ito, safe for colour-blind readers) is
used everywhere, and status is never shown by colour alone: each segment carries its label.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pmas import fmt
from pmas.schema import STATUS_ORDER

STATUS_COLORS = {
    "Realizada": "#009E73",
    "Parcialmente realizada": "#56B4E9",
    "Em andamento": "#0072B2",
    "Não iniciada": "#E69F00",
    "Não realizada": "#D55E00",
    "Cancelada": "#8C8C8C",
    "Não se aplica": "#C8C8C8",
}
# Text on each colour that stays readable.
_TEXT_ON = {"Realizada": "white", "Parcialmente realizada": "black", "Em andamento": "white",
            "Não iniciada": "black", "Não realizada": "white", "Cancelada": "white",
            "Não se aplica": "black"}
ACCENT = "#0072B2"
SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]
FONT = "Source Sans 3, Segoe UI, Arial, sans-serif"


def base_layout(fig: go.Figure, *, height: int | None = None, legend: bool = True) -> go.Figure:
    fig.update_layout(separators=fmt.PLOTLY_SEPARATORS, font={"family": FONT, "size": 13},
                      margin={"l": 10, "r": 10, "t": 30, "b": 10}, plot_bgcolor="white",
                      paper_bgcolor="white", hoverlabel={"font_family": FONT},
                      showlegend=legend,
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0,
                              "title": None})
    if height:
        fig.update_layout(height=height)
    return fig


def completion_bars(frame: pd.DataFrame, label: str, *, key: str | None = None,
                    height: int | None = None) -> go.Figure:
    """100% stacked horizontal bars by situação, one bar per row of ``frame`` (in its order).

    ``frame`` has the column ``label`` (bar name), ``metas`` and one count column per situação
    (as :func:`pmas.metrics.completion_by_eixo` returns). ``key`` names a column carried in
    ``customdata`` so a click can tell which bar it was (e.g. the eixo number).
    """
    names = list(frame[label].astype(str))
    totals = frame["metas"].astype(float)
    fig = go.Figure()
    for status in STATUS_ORDER:
        if status not in frame or not frame[status].any():
            continue
        counts = frame[status].astype(int)
        share = [100.0 * c / t if t else 0.0 for c, t in zip(counts, totals)]
        text = [f"{fmt.numero(c)} ({fmt.pct(s)})" if c else "" for c, s in zip(counts, share)]
        hover = [f"<b>{n}</b><br>{status}: {fmt.numero(c)} de {fmt.numero(t)} metas "
                 f"({fmt.pct(s)})" for n, c, t, s in zip(names, counts, totals, share)]
        custom = list(frame[key]) if key else None
        fig.add_bar(y=names, x=share, name=status, orientation="h", text=text,
                    textposition="inside", insidetextanchor="middle",
                    textfont={"color": _TEXT_ON[status]}, marker_color=STATUS_COLORS[status],
                    hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                    customdata=custom)
    fig.update_layout(barmode="stack", xaxis={"range": [0, 100], "ticksuffix": "%",
                                              "title": "Metas (%)", "gridcolor": "#EEEEEE"},
                      yaxis={"autorange": "reversed", "title": None, "automargin": True})
    return base_layout(fig, height=height or max(220, 70 * len(names) + 80))


def indice_bars(frame: pd.DataFrame, label: str, value: str = "indice_cumprimento",
                *, height: int | None = None) -> go.Figure:
    """Horizontal bars of a 0–100 figure (the índice de cumprimento by default) per row."""
    names = list(frame[label].astype(str))
    values = [None if pd.isna(v) else float(v) for v in frame[value]]
    text = [fmt.pct(v) for v in values]
    fig = go.Figure(go.Bar(y=names, x=[v or 0 for v in values], orientation="h", text=text,
                           textposition="outside", marker_color=ACCENT,
                           hovertext=[f"<b>{n}</b><br>Índice de cumprimento: {t}"
                                      for n, t in zip(names, text)],
                           hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_layout(xaxis={"range": [0, 110], "ticksuffix": "%", "title": "Índice (%)",
                             "gridcolor": "#EEEEEE"},
                      yaxis={"autorange": "reversed", "title": None, "automargin": True})
    return base_layout(fig, height=height or max(200, 55 * len(names) + 60), legend=False)


def grouped_bars(frame: pd.DataFrame, x: str, y: str, series: str, *, y_title: str,
                 percent: bool = True) -> go.Figure:
    """Vertical bars of ``y`` per ``x``, one colour per value of ``series`` (e.g. year)."""
    fig = go.Figure()
    for i, (name, g) in enumerate(frame.groupby(series, sort=True)):
        vals = list(g[y])
        text = [fmt.pct(v) if percent else fmt.numero(v) for v in vals]
        fig.add_bar(x=list(g[x].astype(str)), y=[0 if pd.isna(v) else v for v in vals],
                    name=str(name), text=text, textposition="outside",
                    marker_color=SERIES[i % len(SERIES)],
                    hovertext=[f"<b>{a}</b><br>{name}: {t}" for a, t in zip(g[x], text)],
                    hovertemplate="%{hovertext}<extra></extra>")
    fig.update_layout(barmode="group", yaxis={"title": y_title, "gridcolor": "#EEEEEE",
                                              **({"ticksuffix": "%", "range": [0, 110]}
                                                 if percent else {})},
                      xaxis={"title": None})
    return base_layout(fig, height=420)


def lines(frame: pd.DataFrame, x: str, y: str, series: str, *, y_title: str,
          percent: bool = True) -> go.Figure:
    """One line per value of ``series`` over ``x`` (e.g. a line per eixo over the years)."""
    fig = go.Figure()
    for i, (name, g) in enumerate(frame.groupby(series, sort=False)):
        g = g.sort_values(x)
        text = [fmt.pct(v) if percent else fmt.numero(v) for v in g[y]]
        fig.add_scatter(x=list(g[x].astype(str)), y=list(g[y]), mode="lines+markers",
                        name=str(name), line={"color": SERIES[i % len(SERIES)], "width": 3},
                        hovertext=[f"<b>{name}</b><br>{a}: {t}" for a, t in zip(g[x], text)],
                        hovertemplate="%{hovertext}<extra></extra>")
    fig.update_layout(yaxis={"title": y_title, "gridcolor": "#EEEEEE",
                             **({"ticksuffix": "%", "range": [0, 105]} if percent else {})},
                      xaxis={"title": None, "type": "category"})
    return base_layout(fig, height=400)


def count_bars(names: list[str], values: list[float], *, title: str, color: str = ACCENT,
               horizontal: bool = True) -> go.Figure:
    """Plain bars of counts (participants per region, per segment…) with Brazilian labels."""
    text = [fmt.numero(v) for v in values]
    hover = [f"<b>{n}</b><br>{title}: {t}" for n, t in zip(names, text)]
    if horizontal:
        bar = go.Bar(y=names, x=values, orientation="h", text=text, textposition="outside",
                     marker_color=color, hovertext=hover,
                     hovertemplate="%{hovertext}<extra></extra>")
    else:
        bar = go.Bar(x=names, y=values, text=text, textposition="outside", marker_color=color,
                     hovertext=hover, hovertemplate="%{hovertext}<extra></extra>")
    fig = go.Figure(bar)
    if horizontal:
        fig.update_layout(yaxis={"autorange": "reversed", "automargin": True},
                          xaxis={"title": title, "gridcolor": "#EEEEEE"})
    else:
        fig.update_layout(yaxis={"title": title, "gridcolor": "#EEEEEE"})
    return base_layout(fig, height=max(260, 40 * len(names) + 80) if horizontal else 380,
                       legend=False)
