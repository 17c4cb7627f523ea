"""PMAS Monitor: entry point. Page config and navigation over pages/.

Each page starts with ``pmas.ui.page.start()``, which draws the shared sidebar and returns the
context (plan, filters, data); a page can so also be run on its own (as the tests do).
"""

import streamlit as st

from pmas import textos
from pmas.ui import nav, state

st.set_page_config(
    page_title=textos.UI["app"],
    page_icon=nav.ICONE,  # served locally, never fetched from the internet
    layout="wide",
    initial_sidebar_state="auto",  # open on a computer, closed on a phone,
)
st.navigation(nav.pages(state_view=state.many_municipalities())).run()
