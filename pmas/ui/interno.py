"""The only place that reaches into Streamlit's internal (undocumented) APIs.

Each function says what it needs and why no public API serves. ``tests/test_interno.py`` checks
that every internal name used here still exists in the installed Streamlit, so an upgrade that
moves one fails loudly in the tests instead of silently weakening a check at run time.
"""

from __future__ import annotations

# (module, attribute path) of every internal this module uses; the test walks this list.
USADOS: tuple[tuple[str, str], ...] = (
    ("streamlit.runtime.pages_manager", "PagesManager.uses_pages_directory"),
    ("streamlit.runtime", "exists"),
    ("streamlit.runtime", "get_instance"),
    ("streamlit.runtime", "Runtime.get_client"),
    ("streamlit.runtime.scriptrunner", "get_script_run_ctx"),
    ("streamlit.runtime", "Runtime.uploaded_file_mgr"),
    ("streamlit.runtime", "Runtime.is_active_session"),
)


def desligar_pasta_pages() -> bool:
    """Stop Streamlit from treating ``pages/`` as the old multipage folder; True when it did.

    A shared link opened before any session ran dashboard.py reaches the page file directly;
    ``st.navigation`` switches this off only once it has run, and no public API does it."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        return True
    return False


def conexao_da_sessao() -> object | None:
    """The browser connection (Streamlit's session client) this script run serves, or None
    when it cannot be known. A new WebSocket presenting a session's id takes the session over;
    the connection object is what such a newcomer does not get (see pmas.ui.acesso)."""
    try:
        from streamlit.runtime import exists, get_instance
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None or not exists():
            return None
        return get_instance().get_client(ctx.session_id)
    except Exception:  # checked by tests/test_interno.py: unknown is never "allowed"
        return None


def ip_da_conexao(conexao: object | None) -> str | None:
    """The raw TCP peer of a session client (what ``st.context.ip_address`` reads, before it
    hides loopback peers), or None."""
    peer = getattr(getattr(conexao, "client_context", None), "remote_ip", None)
    return peer if isinstance(peer, str) else None


def gestor_de_envios() -> object | None:
    """The server's store of uploaded files (the object Streamlit's upload endpoint puts every
    PUT into), to guard it (pmas.ui.envios); None outside a running server. No public API gives
    it: ``st.file_uploader`` only reads a session's own files."""
    try:
        from streamlit.runtime import exists, get_instance

        return get_instance().uploaded_file_mgr if exists() else None
    except Exception:
        return None


def id_da_sessao() -> str | None:
    """This script run's session id, or None."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return ctx.session_id if ctx is not None else None
    except Exception:
        return None


def sessao_ativa(session_id: str) -> bool:
    """Whether the server still has this session (True when it cannot tell: nothing is dropped
    on a guess)."""
    try:
        from streamlit.runtime import exists, get_instance

        return get_instance().is_active_session(session_id) if exists() else True
    except Exception:
        return True
