"""The screens: file, title, icon and URL path, in menu order (dashboard.py builds st.navigation
from this list; links between screens look their URL up here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

# The browser tab's icon, a file served by the app itself (a Material icon name made the browser
# fetch the icon from the internet, which a municipal network may block or log).
ICONE = str(Path(__file__).with_name("icone.png"))


@dataclass(frozen=True)
class Screen:
    file: str
    title: str
    icon: str
    url_path: str


SCREENS = (
    Screen("pages/visao-geral.py", "Visão geral", ":material/dashboard:", "visao-geral"),
    Screen("pages/eixos.py", "Eixos", ":material/account_tree:", "eixos"),
    Screen("pages/conferencias.py", "Conferências", ":material/groups:", "conferencias"),
    Screen("pages/deliberacoes.py", "Deliberações", ":material/how_to_vote:", "deliberacoes"),
    Screen("pages/comparativo.py", "Comparativo anual", ":material/compare_arrows:", "comparativo"),
    Screen("pages/dados.py", "Dados", ":material/table:", "dados"),
    Screen("pages/importar.py", "Importar", ":material/upload_file:", "importar"),
    Screen("pages/relatorio.py", "Relatório", ":material/description:", "relatorio"),
)
# Shown only when the database holds more than one municipality.
STATE_SCREEN = Screen("pages/panorama.py", "Panorama estadual", ":material/map:", "panorama")
_BY_FILE = {s.file: s for s in (*SCREENS, STATE_SCREEN)}


def pages(*, state_view: bool = False) -> list:
    screens = (*SCREENS, STATE_SCREEN) if state_view else SCREENS
    home, *others = screens
    return [
        # the first screen is shown at the site's root ("/"); its own path is the alias below
        st.Page(home.file, title=home.title, icon=home.icon, url_path=_ROOT, default=True),
        *(st.Page(s.file, title=s.title, icon=s.icon, url_path=s.url_path) for s in others),
        _home_alias(home),
    ]


_ROOT = "inicio"  # the root page's internal name (Streamlit never shows it in the URL)


def _home_alias(home: Screen):
    """Streamlit gives the default page no path of its own, so the first screen's path
    (/visao-geral, e.g. in a shared link) would show Streamlit's English "Page not found". A
    hidden page at that path opens the root, keeping the link's parameters."""

    def open_home() -> None:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        st.switch_page(home.file, query_params=params)

    return st.Page(open_home, title=home.title, url_path=home.url_path, visibility="hidden")


def link(file: str, label: str | None = None, icon: str | None = None) -> None:
    """A link to another screen (a plain link when the page runs on its own, as in tests)."""
    screen = _BY_FILE[file]
    try:
        st.page_link(file, label=label or screen.title, icon=icon or screen.icon)
    except StreamlitAPIException:
        st.markdown(f"[{label or screen.title}](/{screen.url_path})")


def go(file: str) -> None:
    """Open another screen (rerun in place when the page runs on its own)."""
    try:
        st.switch_page(file)
    except StreamlitAPIException:
        st.rerun()
