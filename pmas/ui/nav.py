"""The screens: file, title, icon and URL path, in menu order (dashboard.py builds st.navigation
from this list; links between screens look their URL up here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from pmas import textos

# The browser tab's icon, a file served by the app itself (a Material icon name made the browser
# fetch the icon from the internet, which a municipal network may block or log).
ICONE = str(Path(__file__).with_name("icone.png"))


@dataclass(frozen=True)
class Screen:
    file: str
    title: str
    icon: str
    url_path: str


def _screen(file: str, icon: str) -> Screen:
    path = file.removeprefix("pages/").removesuffix(".py")
    return Screen(file, textos.MENU[path], icon, path)


SCREENS = (
    _screen("pages/visao-geral.py", ":material/dashboard:"),
    _screen("pages/eixos.py", ":material/account_tree:"),
    _screen("pages/conferencias.py", ":material/groups:"),
    _screen("pages/deliberacoes.py", ":material/how_to_vote:"),
    _screen("pages/comparativo.py", ":material/compare_arrows:"),
    _screen("pages/dados.py", ":material/table:"),
    _screen("pages/importar.py", ":material/upload_file:"),
    _screen("pages/plano.py", ":material/checklist:"),
    _screen("pages/relatorio.py", ":material/description:"),
)
# Shown only when the database holds more than one municipality.
STATE_SCREEN = _screen("pages/panorama.py", ":material/map:")
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


def title(file: str) -> str:
    """The screen's title, as the menu shows it (pages start with it)."""
    return _BY_FILE[file].title


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
