"""The two years the Comparativo anual screen compares, bound to the URL (``?de=2022&para=2024``)
and kept for the session through :mod:`pmas.ui.vista`, like the sidebar's filters. A value in a
link that is not a stored year is dropped with a notice; the defaults are the last two years."""

from __future__ import annotations

import streamlit as st

from pmas import textos
from pmas.ui import vista

Q_DE, Q_PARA = "de", "para"  # URL query parameters (short, stable: links are shared)
K_DE, K_PARA = "cmp_de", "cmp_para"  # widget keys


def anos_comparados(anos: list[int]) -> tuple[int, int]:
    """Draw the "Ano inicial" / "Ano final" selectboxes (``anos``: at least two, oldest first)
    and return the chosen ``(de, para)``; the URL's ``de`` and ``para`` follow them, and every
    other query parameter is left as it is."""
    T = textos.COMPARATIVO
    c1, c2, _ = st.columns([1, 1, 2])
    de = c1.selectbox(
        T["ano_inicial"],
        anos,
        **vista.bind(K_DE, Q_DE, anos, default=anos[-2], parse=int, rotulo="o ano inicial"),
    )
    para = c2.selectbox(
        T["ano_final"],
        anos,
        **vista.bind(K_PARA, Q_PARA, anos, default=anos[-1], parse=int, rotulo="o ano final"),
    )
    vista.show_notices()
    vista.to_url(Q_DE, de)
    vista.to_url(Q_PARA, para)
    return de, para
