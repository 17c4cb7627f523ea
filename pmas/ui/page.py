"""The start of every screen: environment checks, the first run, the sidebar and the title."""

from __future__ import annotations

import streamlit as st

from pmas import textos
from pmas.ui import components, nav, sidebar, state


@st.cache_resource(show_spinner=False)
def _environment_checked() -> bool:
    from pmas.security import check_defusedxml

    check_defusedxml()
    return True


def start(title: str, *, needs_goals: bool = True) -> state.Contexto | None:
    """Draw the sidebar and the title; return the context.

    With ``needs_goals`` (the default) a screen that has nothing to show says what to do and
    stops there, so the page's own code always has goals to draw.
    """
    try:
        _environment_checked()
    except RuntimeError as exc:
        st.error(str(exc))
        st.stop()
    if state.ensure_data(state.get_store()):
        st.toast(textos.UI["banner_primeira_execucao"], icon=":material/science:")
    ctx = sidebar.render()
    st.title(title)
    if needs_goals:
        if ctx is None or not ctx.anos:
            components.empty_state(textos.UI["vazio"])
            st.stop()
        if ctx.exemplo:
            st.info(textos.UI["banner_exemplo"], icon=":material/science:")
            nav.link("pages/importar.py", "Importar os dados do município")
    return ctx
