"""What every screen shares in the browser: a few style rules (contrast, text that wraps instead
of being cut) and the Portuguese for Streamlit's own remaining English words.

Streamlit has no locale setting. Its English labels (the uploader, the menus, the data grid's
toolbar, screen-reader labels such as "Help for …") are replaced in the browser by a small script,
injected once per page load: it translates what is on the page and, through a MutationObserver,
whatever Streamlit draws later. Only whole texts and attribute values are replaced (from
``textos.INTERFACE`` and ``textos.INTERFACE_PADROES``), so an upgrade that renames a label leaves
it in English, which the browser tests catch (tests/e2e/test_e2e_telas.py), and never breaks a
screen. The page's own content is never touched: app texts are Portuguese already.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from pmas import textos


def _arquivo(nome: str) -> str:
    """A file shipped beside this module (the style rules, the translating script)."""
    return (Path(__file__).parent / nome).read_text(encoding="utf-8")


# Text colours for secondary text: Streamlit's captions (its text colour at 60% opacity) read at 4,0:1, below
# WCAG AA's 4,5:1; this grey reads at 7,6:1 on white and 6,9:1 on the sidebar's background.
CAPTION_COLOR = "#4B5563"

CSS = _arquivo("aparencia.css").replace("__COR_LEGENDA__", CAPTION_COLOR)

_SCRIPT = _arquivo("aparencia.js")


def script() -> str:
    """The translating script with the dictionary from :mod:`pmas.textos`."""
    return _SCRIPT.replace("__EXATOS__", json.dumps(textos.INTERFACE, ensure_ascii=False)).replace(
        "__PADROES__", json.dumps(textos.INTERFACE_PADROES, ensure_ascii=False)
    )


def apply() -> None:
    """Style rules and the Portuguese labels; call once per run, before anything is drawn."""
    st.html(CSS)
    st.html(script(), unsafe_allow_javascript=True)
