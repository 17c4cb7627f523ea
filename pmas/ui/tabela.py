"""A light, accessible HTML table for a screen whose load time matters (the overview).

``st.dataframe`` loads Streamlit's data-grid chunk, heavy JavaScript evaluated on the first
screen; a table drawn as plain HTML costs nothing. It sits in a scroll area that the keyboard can
reach and that has a Portuguese name (a table wider than the screen scrolls, and a scroll area
out of the keyboard's reach fails WCAG), is a real ``<table>`` with its caption and column
headers, and paints the Situação cells with the status palette as ``components.status_style``
does. Every cell is escaped: imported texts are hostile.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from pmas import textos


def _colors() -> dict[str, tuple[str, str]]:
    from pmas.saida.charts import _TEXT_ON, DELIB_COLORS, DELIB_TEXT_ON, STATUS_COLORS

    colors = {**STATUS_COLORS, **DELIB_COLORS}
    text_on = {**_TEXT_ON, **DELIB_TEXT_ON}
    return {k: (v, text_on[k]) for k, v in colors.items()}


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def markup(
    frame: pd.DataFrame,
    *,
    titulo: str,
    status: tuple[str, ...] = (textos.COLUNAS_METAS["situacao"],),
    long: tuple[str, ...] = (),
    row_header: str | None = None,
) -> str:
    """The HTML of ``frame`` (already formatted for display, Portuguese headers): a focusable,
    named scroll area around a ``<table>`` captioned ``titulo``. The cells of the ``status``
    columns are painted with the status palette; those of ``long`` wrap in a wider column;
    ``row_header``'s cells are the rows' headers (``<th scope="row">``)."""
    colors = _colors()
    name = _text(textos.TABELA["regiao"].format(titulo=titulo))
    head = "".join(f'<th scope="col"{_class(c, long)}>{_text(c)}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for col, v in zip(frame.columns, values, strict=True):
            style = ""
            if col in status and v in colors:
                bg, fg = colors[v]
                style = f' style="background-color:{bg};color:{fg}"'
            tag = 'th scope="row"' if col == row_header else "td"
            end = "th" if col == row_header else "td"
            cells.append(f"<{tag}{_class(col, long)}{style}>{_text(v)}</{end}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="pmas-tabela" role="region" tabindex="0" aria-label="{name}">'
        f"<table><caption>{_text(titulo)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _class(col: str, long: tuple[str, ...]) -> str:
    return ' class="pmas-longo"' if col in long else ""


def tabela(frame: pd.DataFrame, *, titulo: str, **kwargs) -> None:
    """Draw :func:`markup` of ``frame`` (see there for the arguments)."""
    st.html(markup(frame, titulo=titulo, **kwargs))
