"""Plotly figure builders: metric frames in, figures out. Pure; no Streamlit.

Every number a chart shows (text on bars, hover) is formatted by :mod:`pmas.fmt`, so it reads the
same as the tables and cards. One status palette (Okabe–Ito, safe for colour-blind readers) is
used everywhere, and status is never shown by colour alone: each segment carries its label.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from pmas import fmt, textos
from pmas.analise import deliberacoes as D
from pmas.dados import schema as S
from pmas.dados.schema import STATUS_COUNTED, STATUS_ORDER

G = textos.GRAFICOS

STATUS_COLORS = {
    S.REALIZADA: "#009E73",
    S.PARCIAL: "#56B4E9",
    S.EM_ANDAMENTO: "#0072B2",
    S.NAO_INICIADA: "#E69F00",
    S.NAO_REALIZADA: "#D55E00",
    S.CANCELADA: "#8C8C8C",
    S.NAO_SE_APLICA: "#C8C8C8",
}
# Text on each colour, at 4,5:1 or more (WCAG AA; tests/test_charts_acessibilidade.py checks it):
# white reads at 3,4-3,9:1 on the green, the vermilion and the grey, black at 5,0-7,6:1.
_TEXT_ON = {
    S.REALIZADA: "black",
    S.PARCIAL: "black",
    S.EM_ANDAMENTO: "white",
    S.NAO_INICIADA: "black",
    S.NAO_REALIZADA: "black",
    S.CANCELADA: "black",
    S.NAO_SE_APLICA: "black",
}
# Deliberation statuses (pmas.analise.deliberacoes): the gap ("Sem meta no PMAS") stands out.
DELIB_COLORS = {
    D.ATENDIDA: "#009E73",
    D.EM_ATENDIMENTO: "#56B4E9",
    D.NAO_ATENDIDA: "#D55E00",
    D.SEM_AVALIACAO: "#C8C8C8",
    D.SEM_META: "#E69F00",
    D.ENCAMINHADA: "#8C8C8C",
}
DELIB_TEXT_ON = {
    D.ATENDIDA: "white",
    D.EM_ATENDIMENTO: "black",
    D.NAO_ATENDIDA: "white",
    D.SEM_AVALIACAO: "black",
    D.SEM_META: "black",
    D.ENCAMINHADA: "white",
}
ACCENT = "#0072B2"
SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]
FONT = "Source Sans 3, Segoe UI, Arial, sans-serif"
LEGEND_MARGIN = 120  # pixels under the plot for the axis and a legend below it


def escape_html(text: object) -> str:
    """User text made safe for a Plotly label, hover, tick or legend: Plotly renders a subset of
    HTML there (``<a href>``, ``<b>``, ``<span style>``…), so ``&``, ``<`` and ``>`` become
    entities (Plotly shows them as the characters). Every chart escapes the data text it shows
    with this, once, where the text comes in."""
    if text is None:
        return ""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def base_layout(fig: go.Figure, *, height: int | None = None, legend: bool = True) -> go.Figure:
    fig.update_layout(
        separators=fmt.PLOTLY_SEPARATORS,
        font={"family": FONT, "size": 13},
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font_family": FONT},
        showlegend=legend,
        # legends below the chart: above it they wrap into many lines on a phone and sit under
        # the chart's toolbar
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "x": 0,
            "title": None,
            "traceorder": "normal",
            # entries of a fixed width: Plotly measures legend text before the page's web font
            # has loaded, and entries sized to it then overlap or are cut; 165 px holds the
            # longest status name and puts two entries a row on a phone
            "entrywidth": 165,
            "entrywidthmode": "pixels",
            "font": {"size": 12},
        },
    )
    if legend:  # room under the axis for a legend of up to three rows (a phone's width)
        fig.update_layout(margin={"b": LEGEND_MARGIN})
    if height:
        fig.update_layout(height=height)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)  # tick labels are never cut off at the edge
    return fig


_BAR_PX = 30  # a horizontal bar's thickness, in pixels
LABEL_ANNOTATION = "rotulo"  # the name of the annotations that write a bar's category above it
_LINE_PX = 17  # one line of a label written above its bar


def _labels_above(
    fig: go.Figure, names: list[str], *, top: int = 20, bottom: int = 60, bar_px: int = _BAR_PX
) -> go.Figure:
    """Horizontal bars with each category's name written above its bar, across the chart's
    whole width, instead of in a left margin: on a phone a margin wide enough for the names
    leaves the bars no room, and Plotly's automargin cuts long names. Sets the height."""
    lines = max((n.count("<br>") + 1 for n in names), default=1)
    row = bar_px + _LINE_PX * lines + 12
    fig.update_yaxes(showticklabels=False, ticks="")
    fig.update_layout(
        bargap=1 - bar_px / row,
        height=row * max(len(names), 1) + top + bottom,
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
    )
    for n in names:  # added to the figure's other annotations, if any
        fig.add_annotation(
            text=n,
            x=0,
            xref="paper",
            xanchor="left",
            y=n,
            yref="y",
            yanchor="bottom",
            yshift=bar_px / 2 + 1,
            showarrow=False,
            align="left",
            font={"size": 13},
            name=LABEL_ANNOTATION,
        )
    return fig


def completion_shares(frame: pd.DataFrame) -> dict[str, list[float]]:
    """Each situação's share of the avaliáveis (0–100), row by row, for the situações that count
    (DOMAIN.md: Realizada's share is the row's **% realizadas**). Cancelada and Não se aplica are
    outside the 100% and have no share. ``frame`` has one count column per situação."""
    counted = [s for s in STATUS_ORDER if STATUS_COUNTED[s]]
    avaliaveis = sum(frame[s].astype(int) for s in counted if s in frame)
    if isinstance(avaliaveis, int):  # no count column at all
        avaliaveis = pd.Series(0, index=frame.index)
    return {
        s: [100.0 * c / t if t else 0.0 for c, t in zip(frame[s].astype(int), avaliaveis)]
        for s in counted
        if s in frame
    }


def _outside(frame: pd.DataFrame) -> list[str]:
    """Per row, the goals outside the 100% ("1 Cancelada<br>2 Não se aplica"), or ""."""
    apart = [s for s in STATUS_ORDER if not STATUS_COUNTED[s] and s in frame]
    out = []
    for _, row in frame.iterrows():
        parts = [f"{fmt.numero(int(row[s]))} {s}" for s in apart if int(row[s])]
        out.append("<br>".join(parts))
    return out


def completion_bars(
    frame: pd.DataFrame,
    label: str,
    *,
    key: str | None = None,
    height: int | None = None,
    full_label: str | None = None,
) -> go.Figure:
    """100% stacked horizontal bars of the avaliáveis by situação, one bar per row of ``frame``
    (in its order): Realizada's segment is the row's **% realizadas** (Realizada ÷ avaliáveis),
    the same figure as the cards and tables. Cancelada and Não se aplica do not count: they are
    written beside the bar ("fora do cálculo"), with how many.

    ``frame`` has the column ``label`` (bar name) and one count column per situação (as
    :func:`pmas.analise.metrics.completion_by_eixo` returns). ``key`` names a column carried in
    ``customdata`` so a click can tell which bar it was (e.g. the eixo number); ``full_label``
    a column with the long name shown on hover.
    """
    long_names = [escape_html(n) for n in frame[full_label or label].astype(str)]
    names = [_wrap(escape_html(n)) for n in frame[label].astype(str)]
    shares = completion_shares(frame)
    counted = [s for s in STATUS_ORDER if STATUS_COUNTED[s] and s in frame]
    avaliaveis = [sum(int(frame[s].iloc[i]) for s in counted) for i in range(len(frame))]
    outside = _outside(frame)
    notes = [
        f"<br>{textos.GRAFICOS['fora_do_calculo']}: {o.replace('<br>', ', ')}" if o else ""
        for o in outside
    ]
    fig = go.Figure()
    for status in counted:
        if not frame[status].any():
            continue
        counts = frame[status].astype(int)
        share = shares[status]
        text = [f"{fmt.numero(c)} ({fmt.pct(s)})" if c else "" for c, s in zip(counts, share)]
        hover = [
            G["hover_situacao"].format(
                nome=n, situacao=status, n=fmt.numero(c), total=fmt.numero(t), pct=fmt.pct(s)
            )
            + note
            for n, c, t, s, note in zip(long_names, counts, avaliaveis, share, notes)
        ]
        custom = list(frame[key]) if key else None
        fig.add_bar(
            y=names,
            x=share,
            name=status,
            orientation="h",
            text=text,
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            textfont={"color": _TEXT_ON[status]},
            marker_color=STATUS_COLORS[status],
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            customdata=custom,
        )
    xaxis = {
        "range": [0, 100],
        "ticksuffix": "%",
        "title": textos.GRAFICOS["eixo_avaliaveis"],
        "gridcolor": "#EEEEEE",
    }
    if any(outside):
        # the goals that do not count, written beside their bar, outside the 100%
        xaxis["domain"] = [0, 0.7]  # room for "2 Não se aplica" on a phone
        for name, nota in zip(names, outside):
            if nota:
                fig.add_annotation(
                    x=100,
                    y=name,
                    xref="x",
                    yref="y",
                    xanchor="left",
                    xshift=8,
                    align="left",
                    showarrow=False,
                    text=nota,
                    font={"size": 12, "color": "#4D4D4D"},
                )
        fig.add_annotation(
            x=1,
            y=0,
            xref="paper",
            yref="paper",
            xanchor="right",
            yanchor="top",
            yshift=-4,
            showarrow=False,
            text=f"<b>{textos.GRAFICOS['fora_do_calculo']}</b>",
            font={"size": 12, "color": "#4D4D4D"},
        )
    fig.update_layout(
        barmode="stack",
        xaxis=xaxis,
        yaxis={"autorange": "reversed", "title": None},
        # a segment too narrow for its label shows none (the figures are in the hover and in
        # the chart's data table) rather than a label shrunk or turned sideways
        uniformtext={"minsize": 11, "mode": "hide"},
    )
    base_layout(fig)
    _labels_above(fig, names, bottom=LEGEND_MARGIN)
    if height:
        fig.update_layout(height=height)
    return fig


def _wrap(text: str, width: int = 40) -> str:
    """A long category label broken into lines (Plotly's <br>)."""
    return "<br>".join(textwrap.wrap(text, width)) if len(text) > width else text


def indice_bars(
    frame: pd.DataFrame,
    label: str,
    value: str = "indice_cumprimento",
    *,
    height: int | None = None,
    full_label: str | None = None,
) -> go.Figure:
    """Horizontal bars of a 0–100 figure (the índice de cumprimento by default) per row."""
    names = [escape_html(n) for n in frame[label].astype(str)]
    long_names = [escape_html(n) for n in frame[full_label].astype(str)] if full_label else names
    values = [None if pd.isna(v) else float(v) for v in frame[value]]
    text = [fmt.pct(v) for v in values]
    fig = go.Figure(
        go.Bar(
            y=[_wrap(n) for n in names],
            x=[v or 0 for v in values],
            orientation="h",
            text=text,
            # inside the bar's end (white on the accent, 5,1:1), outside only when the bar is
            # too short: the value is never cut at the chart's right edge
            textposition="auto",
            insidetextanchor="end",
            textangle=0,
            textfont={"color": "white"},
            outsidetextfont={"color": "#1F2A37"},
            marker_color=ACCENT,
            cliponaxis=False,
            hovertext=[G["hover_indice"].format(nome=n, valor=t) for n, t in zip(long_names, text)],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis={"range": [0, 100], "ticksuffix": "%", "title": None, "gridcolor": "#EEEEEE"},
        yaxis={"autorange": "reversed", "title": None},
    )
    base_layout(fig, legend=False)
    _labels_above(fig, [_wrap(n) for n in names], bottom=40)
    if height:
        fig.update_layout(height=height)
    return fig


def grouped_bars(
    frame: pd.DataFrame, x: str, y: str, series: str, *, y_title: str, percent: bool = True
) -> go.Figure:
    """Vertical bars of ``y`` per ``x``, one colour per value of ``series`` (e.g. year).

    The ``x`` labels are used as they are (markup): build them with :func:`wrap_label`, which
    escapes; the series names are escaped here."""
    fig = go.Figure()
    for i, (name, g) in enumerate(frame.groupby(series, sort=True)):
        name = escape_html(name)
        vals = list(g[y])
        text = [fmt.pct(v) if percent else fmt.numero(v) for v in vals]
        fig.add_bar(
            x=list(g[x].astype(str)),
            y=[0 if pd.isna(v) else v for v in vals],
            name=str(name),
            text=text,
            textposition="outside",
            marker_color=SERIES[i % len(SERIES)],
            hovertext=[f"<b>{a}</b><br>{name}: {t}" for a, t in zip(g[x], text)],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig.update_layout(
        barmode="group",
        yaxis={
            "title": y_title,
            "gridcolor": "#EEEEEE",
            **({"ticksuffix": "%", "range": [0, 110]} if percent else {}),
        },
        xaxis={"title": None},
    )
    return base_layout(fig, height=420)


def lines(
    frame: pd.DataFrame, x: str, y: str, series: str, *, y_title: str, percent: bool = True
) -> go.Figure:
    """One line per value of ``series`` over ``x`` (e.g. a line per eixo over the years)."""
    fig = go.Figure()
    for i, (name, g) in enumerate(frame.groupby(series, sort=False)):
        name = escape_html(name)
        g = g.sort_values(x)
        text = [fmt.pct(v) if percent else fmt.numero(v) for v in g[y]]
        fig.add_scatter(
            x=[escape_html(a) for a in g[x]],
            y=list(g[y]),
            mode="lines+markers",
            name=str(name),
            text=text,  # not drawn (mode has no "text"): the chart's data table reads it
            line={"color": SERIES[i % len(SERIES)], "width": 3},
            hovertext=[f"<b>{name}</b><br>{escape_html(a)}: {t}" for a, t in zip(g[x], text)],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig.update_layout(
        yaxis={
            "title": y_title,
            "gridcolor": "#EEEEEE",
            **({"ticksuffix": "%", "range": [0, 105]} if percent else {}),
        },
        xaxis={"title": None, "type": "category"},
    )
    return base_layout(fig, height=400)


def count_bars(
    names: list[str],
    values: Sequence[float],
    *,
    title: str,
    color: str = ACCENT,
    horizontal: bool = True,
) -> go.Figure:
    """Plain bars of counts (participants per region, per segment…) with Brazilian labels.

    ``names`` are markup: escape data text with :func:`escape_html` or :func:`wrap_label`."""
    text = [fmt.numero(v) for v in values]
    hover = [f"<b>{n}</b><br>{title}: {t}" for n, t in zip(names, text)]
    if horizontal:
        bar = go.Bar(
            y=names,
            x=values,
            orientation="h",
            text=text,
            textposition="outside",
            marker_color=color,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    else:
        bar = go.Bar(
            x=names,
            y=values,
            text=text,
            textposition="outside",
            marker_color=color,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig = go.Figure(bar)
    if horizontal:
        fig.update_layout(
            yaxis={"autorange": "reversed"},
            xaxis={"title": title, "gridcolor": "#EEEEEE"},
        )
        base_layout(fig, legend=False)
        return _labels_above(fig, names)
    fig.update_layout(yaxis={"title": title, "gridcolor": "#EEEEEE"})
    return base_layout(fig, height=380, legend=False)


# --- Conferências and Comparativo anual --------------------------------------------------------


def wrap_label(text: str, width: int = 18) -> str:
    """``text`` (data, escaped here) broken into lines of about ``width`` characters with
    ``<br>`` (axis labels)."""
    lines, current = [], ""
    for word in escape_html(text).split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return "<br>".join(lines)


def eixo_year_bars(por_ano: pd.DataFrame, figura: str, *, y_title: str) -> go.Figure:
    """A figure (0–100) per eixo, one horizontal bar per year, the eixo's name written above its
    bars (readable on a phone, where side-by-side vertical groups leave no room for names).

    ``por_ano`` is :func:`pmas.analise.comparacao.completion_by_year` (``curto``, ``ano``, ``figura``).
    """
    names = [_wrap(escape_html(n)) for n in dict.fromkeys(por_ano["curto"].astype(str))]
    fig = go.Figure()
    for i, (ano, g) in enumerate(por_ano.groupby("ano", sort=True)):
        vals = list(g[figura])
        text = [fmt.pct(v) for v in vals]
        fig.add_bar(
            y=[_wrap(escape_html(n)) for n in g["curto"].astype(str)],
            x=[0 if pd.isna(v) else v for v in vals],
            name=str(ano),
            orientation="h",
            text=text,
            textposition="outside",
            cliponaxis=False,
            marker_color=SERIES[i % len(SERIES)],
            hovertext=[f"<b>{escape_html(n)}</b><br>{ano}: {t}" for n, t in zip(g["curto"], text)],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    n_anos = max(por_ano["ano"].nunique(), 1)
    fig.update_layout(
        barmode="group",
        bargroupgap=0.05,
        xaxis={"range": [0, 115], "ticksuffix": "%", "title": y_title, "gridcolor": "#EEEEEE"},
        yaxis={"autorange": "reversed", "title": None},
    )
    base_layout(fig)
    fig.update_xaxes(tickvals=[0, 20, 40, 60, 80, 100])
    return _labels_above(fig, names, bottom=LEGEND_MARGIN, bar_px=14 * n_anos)


def eixo_year_lines(por_ano: pd.DataFrame, figura: str, *, y_title: str) -> go.Figure:
    """A figure (0–100) over the years, one line per eixo (:func:`lines`)."""
    fig = lines(por_ano, "ano", figura, "curto", y_title=y_title)
    # legend entries (escaped by lines()) wrapped: two a row must fit a phone's width
    fig.for_each_trace(
        lambda t: t.update(name="<br>".join(textwrap.wrap(t.name, 16, break_long_words=False)))
    )
    fig.update_layout(margin={"t": 30}, height=480)
    return fig


def participant_bars(
    counts: dict[str, int], *, title: str = "Participantes", color: str = ACCENT
) -> go.Figure:
    """Horizontal bars of participants per name (:func:`count_bars`), with room for the numbers
    outside the bars, Brazilian thousands on the axis and long names wrapped."""
    names = [wrap_label(n, 40) for n in counts]
    values = list(counts.values())
    fig = count_bars(names, values, title=title, color=color)
    top = max(values) if values else 1
    fig.update_traces(cliponaxis=False)
    fig.update_xaxes(range=[0, top * 1.18 or 1], tickformat=",d")
    return fig


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def edition_bars(long: pd.DataFrame) -> go.Figure:
    """Conference editions side by side: one panel per measure (``medida``), one bar per edition
    (``ano``) in each, each panel with its own scale (33 pré-conferências next to 2.804 people).

    ``long`` has ``medida``, ``ano`` and ``valor`` (:func:`pmas.analise.participacao.editions_long`).
    """
    from plotly.subplots import make_subplots

    medidas = list(dict.fromkeys(long["medida"]))
    anos = sorted(long["ano"].unique())
    colors = {a: SERIES[i % len(SERIES)] for i, a in enumerate(anos)}
    # two panels a row: side by side they fit a phone's width too, and titles never overlap
    ncols = min(2, max(len(medidas), 1))
    nrows = -(-max(len(medidas), 1) // ncols)
    fig = make_subplots(
        rows=nrows,
        cols=ncols,
        subplot_titles=[wrap_label(m, 22) for m in medidas],
        horizontal_spacing=0.14,
        vertical_spacing=0.3 / nrows if nrows > 1 else 0.1,
    )
    for i, medida in enumerate(medidas):
        row, col = divmod(i, ncols)
        row, col = row + 1, col + 1
        g = long[long["medida"] == medida]
        for a in anos:
            v = g.loc[g["ano"] == a, "valor"]
            value = float(v.iloc[0]) if len(v) and not pd.isna(v.iloc[0]) else 0.0
            fig.add_bar(
                x=[str(a)],
                y=[value],
                name=str(a),
                legendgroup=str(a),
                showlegend=i == 0,
                marker_color=colors[a],
                text=[fmt.numero(value)],
                textposition="outside",
                cliponaxis=False,
                hovertext=[G["hover_edicao"].format(medida=medida, ano=a, n=fmt.numero(value))],
                hovertemplate="%{hovertext}<extra></extra>",
                row=row,
                col=col,
            )
        top = float(pd.to_numeric(g["valor"], errors="coerce").max() or 0)
        fig.update_yaxes(
            range=[0, top * 1.25 or 1],
            gridcolor="#EEEEEE",
            tickformat=",d",
            nticks=4,
            row=row,
            col=col,
        )
        fig.update_xaxes(type="category", row=row, col=col)
    fig.update_annotations(font_size=13, yshift=4)
    fig = base_layout(fig, height=300 * nrows + 80)
    fig.update_layout(margin={"t": 60}, legend={"title": {"text": G["edicao"]}})
    return fig


def representation_bars(frame: pd.DataFrame) -> go.Figure:
    """Sociedade civil × governamental per stage, as 100% stacked horizontal bars.

    ``frame`` is :func:`pmas.analise.participacao.representation` (``etapa``, ``sociedade_civil``,
    ``governamental``).
    """
    names = [escape_html(n) for n in frame["etapa"]]
    totals = (frame["sociedade_civil"] + frame["governamental"]).astype(float)
    fig = go.Figure()
    parts = (
        ("sociedade_civil", "Sociedade civil", "#0072B2", "white"),
        ("governamental", "Governamental", "#E69F00", "black"),
    )
    for col, label, color, text_color in parts:
        counts = frame[col].astype(int)
        share = [100.0 * c / t if t else 0.0 for c, t in zip(counts, totals)]
        fig.add_bar(
            y=names,
            x=share,
            name=label,
            orientation="h",
            marker_color=color,
            text=[f"{fmt.numero(c)} ({fmt.pct(s)})" for c, s in zip(counts, share)],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": text_color},
            hovertext=[
                f"<b>{n}</b><br>{label}: {fmt.numero(c)} de {fmt.numero(t)} ({fmt.pct(s)})"
                for n, c, t, s in zip(names, counts, totals, share)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        xaxis={
            "range": [0, 100],
            "ticksuffix": "%",
            "title": None,
            "gridcolor": "#EEEEEE",
        },
        yaxis={"autorange": "reversed", "title": None},
        uniformtext={"minsize": 12, "mode": "hide"},
    )
    base_layout(fig)
    return _labels_above(fig, names, bottom=LEGEND_MARGIN)


def transition_sankey(
    matrix: pd.DataFrame, de: int, para: int, *, so_em_de: int = 0, so_em_para: int = 0
) -> go.Figure:
    """The goals' situação in year ``de`` (left) flowing to their situação in ``para`` (right).

    ``matrix`` is :func:`pmas.analise.comparacao.transition_matrix` (rows ``de``, columns ``para``).
    Goals found in one year only appear as grey nodes ("Sem correspondência em …"), so that no
    goal silently disappears from the picture.
    """
    left = [s for s in matrix.index if matrix.loc[s].sum() > 0]
    right = [s for s in matrix.columns if matrix[s].sum() > 0]
    labels, colors = [], []
    for s in left:
        labels.append(f"{escape_html(s)} ({de})")
        colors.append(STATUS_COLORS.get(s, "#8C8C8C"))
    for s in right:
        labels.append(f"{escape_html(s)} ({para})")
        colors.append(STATUS_COLORS.get(s, "#8C8C8C"))
    src, dst, val, link_colors, hover = [], [], [], [], []
    for i, sa in enumerate(left):
        for j, sb in enumerate(right):
            n = int(matrix.loc[sa, sb])
            if n:
                src.append(i)
                dst.append(len(left) + j)
                val.append(n)
                link_colors.append(_rgba(STATUS_COLORS.get(sa, "#8C8C8C"), 0.35))
                hover.append(
                    G["hover_fluxo"].format(
                        de=escape_html(sa),
                        ano_de=de,
                        para=escape_html(sb),
                        ano_para=para,
                        n=textos.plural(n, G["meta"], G["metas"]),
                    )
                )
    for count, origem, destino in (
        (so_em_de, G["so_em"].format(ano=de), G["nao_consta"].format(ano=para)),
        (so_em_para, G["nao_consta"].format(ano=de), G["so_em"].format(ano=para)),
    ):
        if count:  # goals found in one year only: a grey flow, never dropped from the picture
            labels += [origem, destino]
            colors += ["#BBBBBB", "#BBBBBB"]
            src.append(len(labels) - 2)
            dst.append(len(labels) - 1)
            val.append(count)
            link_colors.append("rgba(150,150,150,0.35)")
            hover.append(
                f"{origem} → {destino}: {fmt.numero(count)} {'meta' if count == 1 else 'metas'}"
            )
    inflow, outflow = [0] * len(labels), [0] * len(labels)
    for s_, d_, v in zip(src, dst, val):
        outflow[s_] += v
        inflow[d_] += v
    node_hover = [
        f"{lab}: {fmt.numero(max(i, o))} {'meta' if max(i, o) == 1 else 'metas'}"
        for lab, i, o in zip(labels, inflow, outflow)
    ]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "color": colors,
                "pad": 22,
                "thickness": 18,
                "line": {"color": "white", "width": 0.5},
                "customdata": node_hover,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
            link={
                "source": src,
                "target": dst,
                "value": val,
                "color": link_colors,
                "customdata": hover,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    fig = base_layout(fig, height=max(420, 55 * max(len(left), len(right), 1) + 160), legend=False)
    fig.update_layout(font={"size": 12})
    return fig


def target_chart(
    serie: pd.DataFrame, *, unidade: str = "", previsto: bool = True, esperado: bool = True
) -> go.Figure:
    """A numeric goal or indicator over the years: bars of what was achieved (``realizado``),
    markers of the year's ``previsto``, the plan's target (``meta``) as a dashed line and the
    expected straight path to it (``esperado``) as a dotted line.

    ``serie`` is :func:`pmas.analise.comparacao.goal_series` or :func:`~pmas.analise.comparacao.indicator_series`.
    """
    x = [str(a) for a in serie["ano"]]
    decimals = (
        0
        if all(
            pd.isna(v) or float(v).is_integer()
            for v in pd.concat([serie["realizado"], serie["previsto"], serie["meta"]])
        )
        else 1
    )
    num = lambda v: fmt.numero(v, decimals)  # noqa: E731
    suffix = f" {unidade}" if unidade and unidade != "%" else ("%" if unidade == "%" else "")
    real = list(serie["realizado"])
    fig = go.Figure()
    fig.add_bar(
        x=x,
        y=[None if pd.isna(v) else v for v in real],
        name="Realizado",
        marker_color=ACCENT,
        text=[num(v) if not pd.isna(v) else "" for v in real],
        textposition="outside",
        cliponaxis=False,
        hovertext=[f"<b>{a}</b><br>Realizado: {num(v)}{suffix}" for a, v in zip(x, real)],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    if previsto and serie["previsto"].notna().any():
        prev = list(serie["previsto"])
        fig.add_scatter(
            x=x,
            y=prev,
            name=wrap_label(G["previsto_ano"], 16),
            mode="markers",
            marker={"symbol": "line-ew-open", "size": 34, "color": "#000000", "line": {"width": 3}},
            hovertext=[
                G["hover_previsto"].format(ano=a, valor=f"{num(v)}{suffix}")
                for a, v in zip(x, prev)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    if esperado and serie["esperado"].notna().any():
        esp = list(serie["esperado"])
        fig.add_scatter(
            x=x,
            y=esp,
            name=wrap_label(G["esperado"], 16),
            mode="lines+markers",
            line={"color": "#CC79A7", "dash": "dot", "width": 2},
            hovertext=[
                G["hover_esperado"].format(ano=a, valor=f"{num(v)}{suffix}") for a, v in zip(x, esp)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    meta = serie["meta"].dropna()
    if len(meta):
        m = float(meta.iloc[-1])
        fig.add_scatter(
            x=x,
            y=[m] * len(x),
            name=wrap_label(G["meta_plano"].format(valor=num(m)), 16),
            mode="lines",
            line={"color": "#D55E00", "dash": "dash", "width": 2},
            hovertext=[G["hover_meta_plano"].format(valor=f"{num(m)}{suffix}")] * len(x),
            hovertemplate="%{hovertext}<extra></extra>",
        )
    values = pd.to_numeric(
        pd.concat([serie["realizado"], serie["previsto"], serie["meta"], serie["esperado"]]),
        errors="coerce",
    ).dropna()
    top = float(values.max()) if len(values) else 1.0
    fig.update_layout(
        xaxis={"type": "category", "title": None},
        yaxis={
            "title": unidade or "Valor",
            "gridcolor": "#EEEEEE",
            "range": [0, top * 1.15 or 1],
            "tickformat": ",~r",
        },
    )
    fig = base_layout(fig, height=420)
    return fig


def histogram(values: pd.Series, *, title: str, bin_size: float = 5.0) -> go.Figure:
    """Distribution of a 0–100 figure over many units (hundreds of municipalities): one bar per
    bin instead of one mark per unit, so it stays fast in the browser."""
    vals = [float(v) for v in values.dropna()]
    fig = go.Figure(
        go.Histogram(
            x=vals,
            xbins={"start": 0, "end": 100 + bin_size, "size": bin_size},
            marker_color=ACCENT,
            hovertemplate=G["hover_histograma"],
        )
    )
    fig.update_layout(
        xaxis={"title": title, "ticksuffix": "%", "range": [0, 100]},
        yaxis={"title": G["municipios"], "gridcolor": "#EEEEEE"},
        bargap=0.05,
    )
    return base_layout(fig, height=320, legend=False)


def boxes(frame: pd.DataFrame, columns: dict[str, str], *, title: str) -> go.Figure:
    """One box per column (e.g. the índice of every municipality in each eixo): a summary of
    hundreds of values without drawing each one."""
    fig = go.Figure()
    # horizontal: the eixos' names on the left, wrapped, never on top of each other
    names = [_wrap(escape_html(name), 24) for name in columns.values()]
    for i, (col, name) in enumerate(zip(columns, names)):
        fig.add_box(
            x=[float(v) for v in frame[col].dropna()],
            name=name,
            boxpoints=False,
            marker_color=SERIES[i % len(SERIES)],
            hoverinfo="x+name",
            orientation="h",
        )
    fig.update_layout(
        xaxis={"title": title, "ticksuffix": "%", "range": [0, 105], "gridcolor": "#EEEEEE"},
        yaxis={"autorange": "reversed"},
    )
    base_layout(fig, height=max(300, 70 + 56 * len(columns)), legend=False)
    # room for the longest label line, measured in characters: Plotly's automargin measures
    # before the page's web font has loaded and then cuts the label
    longest = max((len(line) for n in names for line in n.split("<br>")), default=0)
    fig.update_layout(margin={"l": 8 * longest + 16})
    return fig


# --- A chart's data as a table (its text alternative) -------------------------------------------

_TAGS = re.compile(r"<[^>]+>")


def _plain(text: object) -> str:
    """A label without Plotly's markup (``<br>`` becomes a space)."""
    return " ".join(_TAGS.sub(" ", str(text).replace("<br>", " ")).split())


def _bold(hover: object) -> str | None:
    m = re.match(r"\s*<b>(.*?)</b>", str(hover or ""))
    return _plain(m.group(1)) if m else None


def figure_table(fig: go.Figure) -> pd.DataFrame:
    """What a figure shows, as a table of texts (the same Brazilian-formatted figures as its bar
    labels and hovers): one row per category (or per panel, in small multiples), one column per
    series. It is the chart's data for who cannot see the chart, shown under each chart."""
    traces = list(fig.data)
    if not traces:
        return pd.DataFrame()
    if isinstance(traces[0], go.Sankey):
        t = traces[0]
        labels = list(t.node.label)
        rows = [
            {"De": labels[s], "Para": labels[d], "Metas": fmt.numero(v)}
            for s, d, v in zip(t.link.source, t.link.target, t.link.value)
        ]
        return pd.DataFrame(rows)
    if isinstance(traces[0], (go.Histogram, go.Box)):
        rows = []
        for t in traces:
            # a histogram's values are its x; a box's, x when it lies horizontally
            along_x = isinstance(t, go.Histogram) or getattr(t, "orientation", None) == "h"
            vals = pd.Series([v for v in (t.x if along_x else t.y) or []])
            rows.append(
                {
                    G["col_serie"]: _plain(t.name) if t.name else G["valores"],
                    G["col_quantidade"]: fmt.numero(len(vals)),
                    G["col_minimo"]: fmt.pct(vals.min()) if len(vals) else "—",
                    G["col_mediana"]: fmt.pct(vals.median()) if len(vals) else "—",
                    G["col_maximo"]: fmt.pct(vals.max()) if len(vals) else "—",
                }
            )
        return pd.DataFrame(rows)
    titles = {}  # small multiples (several x axes): a panel's title names its rows
    if len({getattr(t, "xaxis", None) or "x" for t in traces}) > 1:
        for i, ann in enumerate(fig.layout.annotations or ()):
            titles["x" if i == 0 else f"x{i + 1}"] = _plain(ann.text)
    table: dict[str, dict[str, str]] = {}
    columns: list[str] = []
    for t in traces:
        horizontal = getattr(t, "orientation", None) == "h"
        cats = list((t.y if horizontal else t.x) or [])
        vals = list((t.x if horizontal else t.y) or [])
        texts = list(t.text) if isinstance(t.text, (list, tuple)) else [None] * len(cats)
        hovers = list(t.hovertext) if isinstance(t.hovertext, (list, tuple)) else []
        column = _plain(t.name) if t.name else "Valor"
        panel = titles.get(getattr(t, "xaxis", None) or "x") if len(titles) > 1 else None
        if column not in columns:
            columns.append(column)
        for i, (cat, val) in enumerate(zip(cats, vals)):
            bold = _bold(hovers[i]) if i < len(hovers) else None
            if bold == column:  # the hover names the series (lines), not the category
                bold = None
            row = panel or bold or _plain(cat)
            text = texts[i] if i < len(texts) and texts[i] not in (None, "") else None
            if text is None:
                text = "" if val is None or pd.isna(val) else fmt.numero(val, 1).replace(",0", "")
            table.setdefault(row, {})[column] = _plain(text) if text else "—"
    first = "Categoria"
    return pd.DataFrame(
        [{first: row, **{c: cells.get(c, "—") for c in columns}} for row, cells in table.items()]
    )


def deliberation_bars(frame: pd.DataFrame, label: str) -> go.Figure:
    """Stacked horizontal bars of deliberations by status, one bar per row of ``frame`` (as
    :func:`pmas.analise.deliberacoes.coverage_by` returns: ``label`` and one count per status)."""
    columns = {
        D.ATENDIDA: "atendidas",
        D.EM_ATENDIMENTO: "em_atendimento",
        D.NAO_ATENDIDA: "nao_atendidas",
        D.SEM_AVALIACAO: "sem_avaliacao",
        D.SEM_META: "sem_meta",
    }
    long_names = [escape_html(n) for n in frame[label].astype(str)]  # typed by people
    names = [_wrap(n) for n in long_names]
    fig = go.Figure()
    for status, col in columns.items():
        if col not in frame or not frame[col].any():
            continue
        counts = frame[col].astype(int).tolist()
        fig.add_bar(
            y=names,
            x=counts,
            name=status,
            orientation="h",
            text=[fmt.numero(c) if c else "" for c in counts],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": DELIB_TEXT_ON[status]},
            marker_color=DELIB_COLORS[status],
            hovertext=[
                G["hover_deliberacoes"].format(
                    nome=n, situacao=status, n=fmt.numero(c), total=fmt.numero(t)
                )
                for n, c, t in zip(long_names, counts, frame["municipais"])
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        xaxis={"title": G["deliberacoes_municipais"], "gridcolor": "#EEEEEE"},
        yaxis={"autorange": "reversed", "title": None, "automargin": True},
    )
    base_layout(fig)
    _labels_above(fig, names, bottom=LEGEND_MARGIN)
    return fig
