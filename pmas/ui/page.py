"""The start of every screen: environment checks, the first run, the sidebar and the title."""

from __future__ import annotations

import json
from typing import Literal, overload

import streamlit as st

from pmas import textos
from pmas.ui import acesso, aparencia, components, envios, interno, nav, sidebar, state, vista


@st.cache_resource(show_spinner=False)
def _environment_checked() -> bool:
    from pmas.entrada.security import check_defusedxml

    check_defusedxml()
    return True


def _through_navigation() -> None:
    """A shared link opened before any session has run dashboard.py (e.g. /conferencias right
    after the server starts) reaches the page file directly: Streamlit still treats the
    ``pages/`` folder the old way until ``st.navigation`` has run once. Switch that off and
    rerun, so dashboard.py (page config, navigation) runs and opens this same page."""
    if interno.desligar_pasta_pages():
        st.rerun()


# Refuse to be shown inside another page's frame (clickjacking: a page that frames the dashboard
# under a decoy and gets a manager to click "confirmar" or "desfazer"). Streamlit sets no
# X-Frame-Options / frame-ancestors header itself, so the page checks in the browser and, when
# framed, replaces everything with a notice; the README's nginx example adds the headers too.
_GUARDA_MOLDURA = """<script>
(function () {
  if (window.top === window.self) return;
  var p = document.createElement("p");
  p.setAttribute("data-pmas", "moldura-recusada");
  p.style.cssText = "font: 16px sans-serif; margin: 2em;";
  p.textContent = %s;
  document.body.replaceChildren(p);
  var css = document.createElement("style");  // and whatever the app adds to the page later
  css.textContent = "body > :not([data-pmas]) { display: none !important; }";
  document.head.appendChild(css);
})();
</script>"""


def guarda_moldura() -> None:
    """Blank the app when it is shown inside a frame (see :data:`_GUARDA_MOLDURA`)."""
    aviso = json.dumps(textos.UI["moldura_recusada"]).replace("<", "\\u003c")
    st.html(_GUARDA_MOLDURA % aviso, unsafe_allow_javascript=True)


@overload
def start(title: str, *, needs_goals: Literal[True] = ...) -> state.Contexto: ...
@overload
def start(title: str, *, needs_goals: bool) -> state.Contexto | None: ...
def start(title: str, *, needs_goals: bool = True) -> state.Contexto | None:
    """Draw the sidebar and the title; return the context.

    With ``needs_goals`` (the default) a screen that has nothing to show says what to do and
    stops there, so the page's own code always has goals to draw.
    """
    _through_navigation()
    guarda_moldura()
    aparencia.apply()
    try:
        _environment_checked()
        acesso.config_atual()  # an empty or short manager password: refuse to start
        envios.instalar()  # uploads only from sessions that may import
    except RuntimeError as exc:
        st.error(str(exc))
        st.stop()
    if state.ensure_data(state.get_store()):
        st.toast(textos.UI["banner_primeira_execucao"], icon=":material/science:")
    ctx = sidebar.render()
    st.title(title)
    vista.show_notices()  # link values the data does not offer, dropped (from the sidebar)
    if needs_goals:
        if ctx is None or not ctx.anos:
            components.empty_state(textos.UI["vazio"])
            st.stop()
        if ctx.exemplo:
            st.info(textos.UI["banner_exemplo"], icon=":material/science:")
            nav.link("pages/importar.py", textos.UI["importar_dados"])
            if acesso.actor_atual() is not None:  # managers: the way to remove them
                nav.link("pages/plano.py", textos.UI["remover_exemplo_link"], ":material/delete:")
    return ctx
