"""The two years the Comparativo anual screen compares, bound to the URL (``?de=2022&para=2024``)
the way the sidebar binds the filters (pmas.ui.sidebar), in small: on the screen's first run in a
session the URL decides; afterwards the widgets do, and the URL follows them. A kept copy brings
the choice back when the user returns from another screen. A bad value in the URL (text, a year
not stored) is dropped silently: a link is user input, never an error."""

from __future__ import annotations

import streamlit as st

from pmas import textos

Q_DE, Q_PARA = "de", "para"  # URL query parameters (short, stable: links are shared)
K_DE, K_PARA = "cmp_de", "cmp_para"  # widget keys
_INIT = "_pmas_cmp_anos_iniciados"
_KEPT = "_pmas_cmp_anos"  # copies that survive Streamlit's clean-up of widget state between pages


def _ano(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _seed(anos: list[int]) -> None:
    """Put this run's starting values in the widgets' session state: the URL on the first run,
    the kept copies after a page change, the defaults (the last two years) for anything else."""
    ss = st.session_state
    if not ss.get(_INIT):
        ss[_INIT] = True
        for key, param in ((K_DE, Q_DE), (K_PARA, Q_PARA)):
            ano = _ano(st.query_params.get(param))
            if ano is not None:
                ss[key] = ano
    else:
        for key, value in ss.get(_KEPT, {}).items():
            if key not in ss:
                ss[key] = value
    for key, default in ((K_DE, anos[-2]), (K_PARA, anos[-1])):
        if ss.get(key) not in anos:
            ss[key] = default


def anos_comparados(anos: list[int]) -> tuple[int, int]:
    """Draw the "Ano inicial" / "Ano final" selectboxes (``anos``: at least two, oldest first)
    and return the chosen ``(de, para)``; the URL's ``de`` and ``para`` follow them, and every
    other query parameter is left as it is."""
    _seed(anos)
    c1, c2, _ = st.columns([1, 1, 2])
    de = c1.selectbox(textos.COMPARATIVO["ano_inicial"], anos, key=K_DE)
    para = c2.selectbox(textos.COMPARATIVO["ano_final"], anos, key=K_PARA)
    st.session_state[_KEPT] = {K_DE: de, K_PARA: para}
    for param, ano in ((Q_DE, de), (Q_PARA, para)):
        if st.query_params.get(param) != str(ano):
            st.query_params[param] = str(ano)
    return de, para
