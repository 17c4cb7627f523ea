"""Start-up checks and the first run."""

from __future__ import annotations

import streamlit as st

from pmas.ui import state


@st.cache_resource(show_spinner=False)
def _checked() -> bool:
    from pmas.security import check_defusedxml

    check_defusedxml()
    return True


def check_environment() -> None:
    """Refuse to run when the XML defences are off (see pmas.security)."""
    try:
        _checked()
    except RuntimeError as exc:
        st.error(str(exc))
        st.stop()


def first_run() -> bool:
    """Load the example data into an empty database; True when it did so in this run."""
    return state.ensure_data(state.get_store())
