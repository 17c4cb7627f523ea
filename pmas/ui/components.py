"""Pieces every screen uses: KPI cards, status labels, formatted tables and the safe downloads.

Uploaded text is only ever shown through ``st.dataframe``/``st.text`` or escaped, never as HTML
or unescaped Markdown.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from pmas import fmt, textos
from pmas.analise.filtros import describe, file_suffix
from pmas.dados.plano import Plano
from pmas.saida import export
from pmas.saida.charts import STATUS_COLORS, figure_table
from pmas.ui import nav, tabela

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_md(text: object) -> str:
    """User text made safe to place inside Markdown (no formatting, links or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)) if text is not None else ""


def plano_e_ano(plano: Plano, ano: object) -> str:
    """The caption under a screen's title: "Município · Plano · ano de referência 2024"."""
    return textos.UI["plano_e_ano"].format(
        municipio=escape_md(plano.municipio), plano=escape_md(plano.nome), ano=ano
    )


def kpi_cards(
    figs: dict,
    previous: dict | None = None,
    *,
    previous_year: int | None = None,
    keys=("metas", "pct_realizadas", "pct_realizadas_ou_parciais", "indice_cumprimento"),
) -> None:
    cols = st.columns(len(keys))
    for col, k in zip(cols, keys):
        value = figs.get(k)
        text = fmt.numero(value) if k == "metas" else fmt.pct(value)
        delta, same = None, False
        if previous is not None and value is not None and previous.get(k) is not None:
            delta, same = _delta(k, value - previous[k], previous_year)
        col.metric(
            textos.FIGURAS[k],
            text,
            delta=delta,
            # no arrow and no colour when nothing changed (was "+0 vs. 2023" with an up arrow)
            delta_color="off" if k == "metas" or same else "normal",
            delta_arrow="off" if same else "auto",
            help=textos.AJUDA_FIGURAS.get(k),
            border=True,
        )


def _delta(k: str, diff: float, previous_year: int | None) -> tuple[str, bool]:
    """The card's change against the previous year, and whether it is none (as shown)."""
    desde = f" vs. {previous_year}" if previous_year else ""
    same = round(diff) == 0 if k == "metas" else round(diff, 1) == 0
    if same:
        return textos.UI["sem_variacao"] + desde, True
    text = f"{'+' if diff > 0 else ''}{fmt.numero(diff)}" if k == "metas" else fmt.pp(diff)
    return text + desde, False


def status_style(
    frame: pd.DataFrame, column: str | tuple[str, ...] = textos.COLUNAS_METAS["situacao"]
):
    """A Styler that paints the Situação cells (of one column or several) with the status
    palette (the label stays)."""
    from pmas.saida.charts import _TEXT_ON, DELIB_COLORS, DELIB_TEXT_ON

    colors = {**STATUS_COLORS, **DELIB_COLORS}
    text_on = {**_TEXT_ON, **DELIB_TEXT_ON}

    def paint(v):
        if v in colors:
            return f"background-color: {colors[v]}; color: {text_on[v]}"
        return ""

    styler = frame.style
    columns = [c for c in ((column,) if isinstance(column, str) else column) if c in frame.columns]
    if columns:
        styler = styler.map(paint, subset=columns)
    return styler


def formatted(
    frame: pd.DataFrame,
    labels: dict[str, str],
    *,
    percent: tuple[str, ...] = (),
    money: tuple[str, ...] = (),
    decimals: dict[str, int] | None = None,
) -> pd.DataFrame:
    """A copy for display: Portuguese headers and Brazilian-formatted numbers (as text).
    Cached: a rerun that shows the same rows does not format them again."""
    return _formatted(frame, labels, percent, money, tuple(sorted((decimals or {}).items())))


@st.cache_data(show_spinner=False, max_entries=128)
def _formatted(
    frame: pd.DataFrame,
    labels: dict[str, str],
    percent: tuple[str, ...],
    money: tuple[str, ...],
    decimals_items: tuple,
) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    decimals = dict(decimals_items)
    for col, label in labels.items():
        if col not in frame.columns:
            continue
        s = frame[col]
        if col in percent:
            out[label] = [fmt.pct(v) for v in s]
        elif col in money:
            out[label] = [fmt.dinheiro(v) for v in s]
        elif (
            pd.api.types.is_numeric_dtype(s)
            and not pd.api.types.is_bool_dtype(s)
            and col not in ("ano",)
        ):
            out[label] = [fmt.numero(v, decimals.get(col, _places(s))) for v in s]
        else:
            out[label] = s.astype("object").where(s.notna(), "")
    return out


SHOWN_ROWS = 2000  # a table on screen shows at most this many rows; downloads have them all


def shown(frame: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """The rows a screen table draws: all of them, or the first ``limit`` with a note that the
    downloads hold the rest (formatting and drawing tens of thousands of rows on every rerun
    would make the screen slow for everyone)."""
    limit = SHOWN_ROWS if limit is None else limit
    if len(frame) <= limit:
        return frame
    st.caption(
        textos.UI["tabela_cortada"].format(
            mostradas=fmt.numero(limit), total=fmt.numero(len(frame))
        )
    )
    return frame.head(limit)


def _places(s: pd.Series) -> int:
    vals = pd.to_numeric(s, errors="coerce").dropna()
    if vals.empty or (vals == vals.round()).all():
        return 0
    return 2


def downloads(
    frame: pd.DataFrame,
    labels: dict[str, str],
    *,
    plano: Plano | None,
    filtros,
    nome: str,
    key: str,
    extra_filters: list[tuple[str, str]] | None = None,
) -> None:
    """The two safe downloads (CSV for a Brazilian Excel, and XLSX) of exactly ``frame``."""
    cols = [c for c in labels if c in frame.columns]
    data = export.as_on_screen(frame[cols])  # "12", not "12,0"; 66,7 as on screen
    nome = nome + file_suffix(filtros, nome)  # the file name says which filters
    desc = (describe(filtros, plano) if filtros is not None else []) + (extra_filters or [])
    # side by side as wide as their labels, one under the other when the screen is narrow
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        textos.UI["baixar_csv"],
        data=lambda: export.to_csv_bytes(data, labels),
        file_name=f"{nome}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        help=textos.UI["ajuda_csv"],
        icon=":material/download:",
        on_click="ignore",
    )
    row.download_button(
        textos.UI["baixar_xlsx"],
        data=lambda: export.to_xlsx_bytes(data, labels, filtros=desc, titulo=nome[:31]),
        file_name=f"{nome}.xlsx",
        key=f"{key}_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help=textos.UI["ajuda_xlsx"],
        icon=":material/download:",
        on_click="ignore",
    )


PLOTLY_CONFIG = {
    "displaylogo": False,
    # One button, in Portuguese: the other tools (zoom, pan…) are of little use on these charts
    # and Plotly has no Portuguese for them without its locale bundle; Plotly's own dictionary
    # mechanism (config.locales) gives the remaining words.
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "filename": textos.GRAFICO["imagem"], "scale": 2},
    "locale": "pt-BR",
    "locales": {
        "pt-BR": {
            "dictionary": textos.PLOTLY,
            "format": {"decimal": ",", "thousands": ".", "currency": ["R$ ", ""]},
        }
    },
}


def plot(fig, *, key: str, resumo: str, **kwargs):
    """A Plotly chart drawn with its own (Brazilian, colour-blind-safe) styling, followed by its
    text alternative: ``resumo`` (one sentence saying what the chart shows) and, on demand, the
    chart's data as a table (the same figures as its labels, from :func:`charts.figure_table`)."""
    event = st.plotly_chart(fig, key=key, theme=None, config=PLOTLY_CONFIG, **kwargs)
    _text_alternative(fig, resumo)
    return event


def light_plot(fig, *, key: str, resumo: str, titulo: str, clickable: bool = False):
    """:func:`plot` drawn by the light chart component (Plotly's basic bundle: bar, scatter and
    pie traces only; see pmas.ui.grafico) for a screen whose load time matters. Returns the
    ``customdata`` of the point clicked when ``clickable``, else None."""
    from pmas.ui import grafico

    clicked = grafico.grafico(
        fig,
        key=key,
        titulo=textos.GRAFICO["quadro"].format(titulo=titulo),
        config=PLOTLY_CONFIG,
        clicavel=clickable,
    )
    _text_alternative(fig, resumo, light_title=titulo)
    return clicked


def _text_alternative(fig, resumo: str, light_title: str | None = None) -> None:
    """Under a chart: ``resumo`` and, on demand, the chart's data as a table (a light HTML one,
    captioned after ``light_title``, when given: ``st.table`` loads Streamlit's Arrow code)."""
    st.caption(escape_md(resumo))  # it quotes imported names: never live Markdown
    table = figure_table(fig)
    if not table.empty:
        with st.expander(textos.GRAFICO["ver_dados"], icon=":material/table:"):
            if light_title is None:
                st.table(table.set_index(table.columns[0]))
            else:
                tabela.tabela(
                    table,
                    titulo=textos.GRAFICO["dados"].format(titulo=light_title),
                    status=(),
                    row_header=table.columns[0],
                )


def key_first(labels: dict[str, str], keys: tuple[str, ...]) -> dict[str, str]:
    """``labels`` with the columns named in ``keys`` first (in that order): on a phone, or next
    to long texts, a table shows its first columns, so those must be the ones that matter."""
    return {**{k: labels[k] for k in keys if k in labels}, **labels}


LONG_TEXT = tuple(
    textos.COLUNAS_METAS[k]
    for k in ("acao", "meta", "diretriz", "justificativa", "objetivo", "estrategia", "indicador")
)
KEY_COLUMNS = ("codigo", "situacao", "previsto", "realizado", "execucao_pct")


def table(
    frame,
    *,
    key: str | None = None,
    long: tuple[str, ...] = LONG_TEXT,
    short: tuple[str, ...] = (),
    **kwargs,
):
    """``st.dataframe`` with sized columns: the columns named in ``long`` (long texts: Ação,
    Diretriz…) get a fixed width, those in ``short`` (Situação, Previsto…) a small one, so
    that the key columns stay in view next to long texts. ``frame`` may be a Styler."""
    data = frame.data if hasattr(frame, "data") else frame
    config = {c: st.column_config.Column(width="large") for c in long if c in data.columns}
    config |= {c: st.column_config.Column(width="small") for c in short if c in data.columns}
    config |= kwargs.pop("column_config", None) or {}
    return st.dataframe(frame, hide_index=True, key=key, column_config=config, **kwargs)


def empty_state(message: str, *, link_import: bool = True) -> None:
    st.info(message, icon=":material/info:")
    if link_import:
        nav.link("pages/importar.py", textos.UI["ir_importar"], ":material/upload:")
